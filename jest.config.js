// Host test suite: everything under test/ except the guest-kernel suite (test/guest), which needs a
// kernel with IPVS and runs inside the guest through scripts/guest/run-suite. A file whose Debian daemon is
// not installed is left out with a loud warning, except under CI (test/support/requirements.js). The container
// suite (test/container) is jest.container.config.js's.
// The quick tier is jest.unit.config.js (`npm run test:unit`).
const { skipMissing } = require('./test/support/requirements');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/guest/', '<rootDir>/test/container/', ...skipMissing(__dirname)],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // Tests wait on conditions, each with its own bound; this only stops a test that waits on nothing.
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/support/file-results-reporter.js'],
};
