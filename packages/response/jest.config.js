/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js')(__dirname),
  setupFilesAfterEnv: ['<rootDir>/test/setup-timeout.ts'],
};
