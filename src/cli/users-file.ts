// The statususers file on disk for `ldirectord passwd`: read it (absent is not an error) and replace it
// atomically: a temporary file in the same directory, mode 0600, the old file's owner and group kept, flushed,
// then renamed over the old one (through a symlink, to its target), so a reader (a daemon reloading) sees the
// old file or the new one, never a half-written one.

import { constants } from 'node:fs';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function readUsersText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function writeUsersAtomic(file: string, text: string): Promise<void> {
  const target = await realpath(file).catch(() => file);
  const old = await stat(target).catch(() => undefined);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    if (old !== undefined && (old.uid !== process.getuid?.() || old.gid !== process.getgid?.()))
      await fh.chown(old.uid, old.gid);
    await fh.chmod(0o600);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    await fh.close();
    await rename(temp, target);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  const dir = await open(dirname(target), constants.O_RDONLY);
  await dir.sync().finally(() => dir.close());
}
