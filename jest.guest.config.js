// Guest-kernel suite: run only inside the guest (scripts/guest/run-suite), as root, with IPVS loaded.
// Every wait in it is on a condition (a log line, an event, the table as ipvsadm shows it); a loaded machine
// only makes them slower. So the per-test limit is generous and the real bound is run-suite's outer limit on
// the whole guest.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/guest'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 900_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/support/file-results-reporter.js'],
};
