// The quick tier (`npm run test:unit`): every test that starts no other process — pure functions, the fake
// clock, in-memory IPVS, in-process loopback sockets. Left out: the real Debian daemons, our daemon as a
// process, external check programs, the browser and the guest kernel (those run in `npx jest` and
// scripts/test). Under a minute on a 2-core machine.
const STARTS_PROCESSES = [
  'test/e2e/',
  'test/integration/',
  'test/guest-harness/run.test.ts',
  'test/guest-harness/install-deps.test.ts',
  'test/daemon/alerts.test.ts',
  'test/daemon/daemon-process.test.ts',
  'test/daemon/process-units.test.ts',
  'test/health/checks/external.test.ts',
  'test/health/checks/http.test.ts',
  'test/health/checks/hostile.test.ts',
  ...['dns', 'ftp', 'ldap', 'mail-access', 'radius', 'smtp', 'sql'].map((s) => `test/health/services/${s}.test.ts`),
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/guest/', ...STARTS_PROCESSES.map((p) => `<rootDir>/${p}`)],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/file-results-reporter.js'],
};
