// The quick tier (`npm run test:unit`): the pure and fake-clock tests — config, planner, reducer, pool under
// the fake clock, codec and in-memory IPVS, log and metric formatting. Left out: everything that starts
// another process (the real Debian daemons, our daemon, external check programs, the browser, the guest
// kernel) and everything that does real I/O against real time (loopback servers and netlink sockets with
// timeouts in milliseconds, which fail on a machine too busy to answer in time). Those run in `npx jest` and
// scripts/test.
const STARTS_PROCESSES = [
  'test/e2e/',
  'test/integration/',
  'test/guest-harness/run.test.ts',
  'test/guest-harness/install-deps.test.ts',
  'test/daemon/alerts.test.ts',
  'test/daemon/daemon-process.test.ts',
  'test/daemon/process-units.test.ts',
  'test/health/checks/external.test.ts',
  'test/health/services/http.test.ts',
  'test/health/checks/hostile.test.ts',
  'test/health/services/', // every negotiation against a real or scripted server on loopback
  'test/container/', // podman (and jest.container.config.js's own)
  'test/compat/perl-table.test.ts', // the Perl ldirectord
  'test/daemon/alerts-postfix.test.ts',
  'test/deployment/systemd.test.ts', // systemd-analyze, the built CLI
  'test/cli/passwd-process.test.ts',
  'test/cli/completion.test.ts', // bash
  'test/health/daemon-reaping.test.ts', // the built daemon
  'test/daemon/reload-daemon.test.ts', // the daemon through the CLI launcher
  'test/health/checks/reaping.test.ts', // check commands and their escaping grandchildren
  'test/daemon/spawn.test.ts', // fallbackcommand processes
  'test/daemon/heap-flags.test.ts', // a fresh node with the heap flags
  'test/daemon/loaded-modules.test.ts', // the built daemon
];

const REAL_IO = [
  'test/daemon/director-starter.test.ts',
  'test/daemon/watch-fs.test.ts',
  'test/health/pool-real.test.ts',
  'test/health/support.test.ts',
  'test/health/workers/threads.test.ts',
  'test/ipvs/client.test.ts',
  'test/ipvs/golden.test.ts',
  'test/ipvs/host-kernel.test.ts',
  'test/ipvs/usersock.test.ts',
  'test/observe/actions/persisted-overrides.test.ts',
  'test/observe/http/server.test.ts',
  'test/observe/http/listener.test.ts', // 5 s header deadlines on real sockets
  'test/announce/speaker-feed.test.ts',
  'test/observe/http/settings.test.ts',
  'test/observe/log/sinks.test.ts',
  'test/observe/metrics/scrape.test.ts',
  'test/observe/status/cli-status.test.ts',
  'test/observe/status/units.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/guest/', ...[...STARTS_PROCESSES, ...REAL_IO].map((p) => `<rootDir>/${p}`)],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/file-results-reporter.js'],
};
