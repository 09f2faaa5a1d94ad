// The production Spawner of fallbackcommand: bounded in time, and the whole process group goes at the bound,
// so a command that leaves a child behind cannot hold the daemon's stop.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { boundedSpawner } from '../../src/daemon/spawn';
import { processGone, waitFor } from './support/wait';

describe('boundedSpawner', () => {
  it('resolves with the exit status of a command that finishes', async () => {
    expect(await boundedSpawner(spawn, 10_000)('/bin/sh', ['-c', 'exit 3'])).toEqual({ code: 3, signal: null });
  });

  it('kills a hanging command and the child it left behind at the bound', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ldd-spawn-'));
    const pidFile = path.join(dir, 'child');
    const r = await boundedSpawner(spawn, 500)('/bin/sh', ['-c', `sleep 1000 & echo $! > ${pidFile}; wait`]);
    expect(r).toEqual({ code: null, signal: 'SIGKILL' });
    const child = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(`the background child ${child} to be gone`, () => processGone(child));
  });
});
