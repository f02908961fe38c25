/** @type {import('jest').Config} */
module.exports = {
  // Project configs do not carry testTimeout when run as projects of the root config; set it here
  // too so slow suites (real dockerd, nats-server, the live driver) behave the same both ways.
  testTimeout: 60000,
  projects: ['<rootDir>/packages/*/jest.config.js', '<rootDir>/tools/*/jest.config.js'],
};
