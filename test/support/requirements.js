// Which host test files need which Debian programs (the real daemons the checks are tested against, the
// browser, ocf-tester), and which of those this machine lacks. jest.config.js leaves out a file whose
// program is missing and says so LOUDLY, so `npx jest` on a machine without nginx or postgres runs the rest
// instead of failing; under CI (CI=true, where scripts/install-deps installed them all) nothing is left out
// and a missing program fails its file. A new test file that starts a Debian daemon belongs in NEEDS.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

/** Test file (relative to the repository) → programs it starts; each program is found on PATH or at `dirs`. */
const NEEDS = {
  'test/health/services/dns.test.ts': ['dnsmasq'],
  'test/health/services/ftp.test.ts': ['vsftpd'],
  'test/health/services/ldap.test.ts': ['slapd', 'slapadd'],
  'test/health/services/mail-access.test.ts': ['dovecot'],
  'test/health/services/radius.test.ts': ['freeradius'],
  'test/health/services/smtp.test.ts': ['/usr/lib/postfix/sbin/master'],
  'test/daemon/alerts-postfix.test.ts': ['/usr/lib/postfix/sbin/master', 'dovecot', 'openssl'],
  'test/health/services/sql.test.ts': ['mariadbd', 'mariadb-install-db', 'postgres', 'initdb'],
  'test/health/services/http.test.ts': ['nginx'],
  'test/health/checks/hostile.test.ts': ['nginx'],
  'test/integration/ocf.test.ts': ['/usr/sbin/ocf-tester', 'xmllint'],
  'test/deployment/systemd.test.ts': ['/usr/bin/systemd-analyze', '/usr/bin/systemd-notify', '/usr/bin/python3'],
  'test/e2e/status-page.test.ts': ['/usr/bin/chromium'],
  'test/compat/perl-table.test.ts': ['/usr/sbin/ldirectord'],
  'test/observe/metrics/prometheus-rules.test.ts': ['promtool'],
  'test/cli/man-page.test.ts': ['man', 'groff'],
  'test/container/image.test.ts': ['buildah', 'podman', 'runc', 'mmdebstrap', 'skopeo'],
};

/** Where Debian keeps programs that are not on PATH (PostgreSQL's initdb and postgres). */
function extraDirs() {
  const pg = '/usr/lib/postgresql';
  if (!existsSync(pg)) return [];
  return readdirSync(pg)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(pg, v, 'bin'));
}

function found(program) {
  if (program.startsWith('/')) return existsSync(program);
  const dirs = [...(process.env.PATH || '').split(':').filter(Boolean), '/usr/sbin', '/sbin', ...extraDirs()];
  return dirs.some((d) => existsSync(path.join(d, program)));
}

/** The test files whose programs are missing, each with what is missing. */
function missingPrograms() {
  return Object.entries(NEEDS)
    .map(([file, programs]) => ({ file, missing: programs.filter((p) => !found(p)) }))
    .filter((m) => m.missing.length > 0);
}

const inCi = () => process.env.CI === 'true' || process.env.CI === '1';

/** testPathIgnorePatterns for the files that cannot run here (none under CI), after a loud warning. */
function skipMissing(rootDir) {
  if (inCi()) return [];
  const missing = missingPrograms();
  if (missing.length === 0) return [];
  const lines = missing.map((m) => `#   ${m.file}: no ${m.missing.join(', ')}`);
  process.stderr.write(
    [
      '',
      '################################################################################',
      `#  SKIPPING ${missing.length} test file(s): the Debian programs they test against are not installed.`,
      ...lines,
      '#  scripts/install-deps installs them all; under CI=true these files run (and fail) instead.',
      '################################################################################',
      '',
    ].join('\n') + '\n',
  );
  return missing.map((m) => `^${escape(path.join(rootDir, m.file))}$`);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = { NEEDS, missingPrograms, skipMissing, extraDirs };
