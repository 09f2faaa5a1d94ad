// Reading one configuration file safely: only a regular file, at most MAX_CONFIG_BYTES, and never a wait that
// cannot end. The file is opened with O_NONBLOCK, so a FIFO (or a device) opens at once instead of parking a
// thread-pool thread until a writer appears, and it is then refused by its fstat, before one byte is read.
// A symlink is followed, so what is checked is what it points to (a fragment linked to /dev/zero is a
// character device and refused). Limits and wording: docs/config.md ("Files the loader reads").

import { constants, promises as fs } from 'node:fs';

/** 8 MiB per file: a config listing 100,000 real servers one per line is about 4 MiB. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** A file the loader refuses, with a message that names what it found. */
export class ConfigFileError extends Error {
  readonly code: 'E_NOT_REGULAR' | 'E_TOO_LARGE';
  constructor(code: ConfigFileError['code'], message: string) {
    super(message);
    this.name = 'ConfigFileError';
    this.code = code;
  }
}

export async function readConfigFile(path: string, maxBytes: number = MAX_CONFIG_BYTES): Promise<string> {
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ConfigFileError('E_NOT_REGULAR', `${path} is ${kindOf(st)}, not a regular file`);
    if (st.size > maxBytes) throw tooLarge(path, st.size, maxBytes);
    // Read until end of file but never more than one byte past the cap: a file that grew after the fstat is
    // refused too, never read without bound.
    const chunks: Buffer[] = [];
    let used = 0;
    for (;;) {
      const want = Math.min(64 * 1024, maxBytes + 1 - used);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await handle.read(buf, 0, want, used);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      used += bytesRead;
      if (used > maxBytes) throw tooLarge(path, used, maxBytes);
    }
    return Buffer.concat(chunks, used).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, size: number, maxBytes: number): ConfigFileError {
  return new ConfigFileError(
    'E_TOO_LARGE',
    `${path} is larger than the ${maxBytes}-byte limit for a config file (${size} bytes or more)`,
  );
}

function kindOf(st: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isDirectory(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}
