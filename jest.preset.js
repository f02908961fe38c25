// Shared jest settings for every workspace package. Tests import siblings from their TypeScript
// sources (no build needed to run a package's tests); the published packages resolve through
// their `exports` maps to `dist/`.
const path = require('node:path');

module.exports = function preset(dir) {
  const root = __dirname;
  return {
    displayName: path.basename(dir),
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
    },
    moduleNameMapper: {
      '^@falco-ts/([a-z-]+)$': `${root}/packages/$1/src/index.ts`,
      '^@falco-ts/([a-z-]+)/(.+)$': `${root}/packages/$1/src/$2`,
    },
    testTimeout: 30000,
  };
};
