/** @type {import('jest').Config} */
const config = require('../../jest.preset.js')(__dirname);
// .ci/run runs the live end-to-end suite on its own before the full run and sets this variable so
// the full run does not repeat it: in the full serial run, some earlier suite leaves state after
// which its four network behaviours raise no alert (not reproduced alone or with the other live
// suites; see docs/event-generator.md).
if (process.env.FALCO_TS_E2E_RUN_SEPARATELY === '1') {
  config.testPathIgnorePatterns = ['/node_modules/', '<rootDir>/test/live/e2e\\.test\\.ts$'];
}
module.exports = config;
