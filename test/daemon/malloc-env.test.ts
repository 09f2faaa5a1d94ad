import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MALLOC_ENV, withMallocEnv } from '../../src/daemon/process/malloc-env';

const ROOT = path.join(__dirname, '..', '..');

test('the arena limit is added to an environment that has none', () => {
  expect(withMallocEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '1' });
});

test("the operator's own arena limit, glibc tunable or LDIRECTORD_V8_DEFAULTS=1 leave the environment as it is", () => {
  for (const env of [
    { MALLOC_ARENA_MAX: '4' },
    { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1:glibc.malloc.arena_max=2' },
    { LDIRECTORD_V8_DEFAULTS: '1' },
  ])
    expect(withMallocEnv(env)).toBe(env);
  // another tunable alone is not an arena limit
  expect(withMallocEnv({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1' }).MALLOC_ARENA_MAX).toBe('1');
});

test('the systemd unit and the container image set the same limit for the foreground daemon they start', () => {
  const [[name, value]] = Object.entries(MALLOC_ENV) as [[string, string]];
  const unit = readFileSync(path.join(ROOT, 'scripts', 'systemd', 'ldirectord.service'), 'utf8');
  expect(unit).toMatch(new RegExp(`^Environment=.*\\b${name}=${value}\\b`, 'm'));
  const image = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  // the ENV instruction that sets LDIRECTORD_SUPERVISED, to its last continued line
  const block = /^ENV LDIRECTORD_SUPERVISED=yes \\\n(?:.*\\\n)*.*$/m.exec(image)?.[0] ?? '';
  expect(block.split(/\s+/)).toContain(`${name}=${value}`);
});
