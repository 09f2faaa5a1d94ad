// The autoreload poll's filesystem as the composition root binds it (real files, a real FIFO).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { systemWatchFs } from '../../src/daemon/process/system';

describe('the autoreload poll on the system filesystem', () => {
  it('refuses a FIFO in place of the config at once (E_NOT_REGULAR) instead of waiting for a writer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ldd-watch-fifo-'));
    const fifo = path.join(dir, 'ldirectord.cf');
    execFileSync('mkfifo', [fifo]);
    await expect(systemWatchFs.readFile(fifo)).rejects.toMatchObject({ code: 'E_NOT_REGULAR' });
    const file = path.join(dir, 'plain.cf');
    writeFileSync(file, 'checkinterval=1\n');
    expect((await systemWatchFs.readFile(file)).toString()).toBe('checkinterval=1\n');
  });
});
