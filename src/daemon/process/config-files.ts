// How the daemon reads its config files: opened without blocking (O_NONBLOCK), so a FIFO or a device in the
// config directory cannot hold a thread of the I/O pool for ever (an open() blocked on a FIFO also keeps the
// process from exiting), and refused unless it is a regular file. The loader turns the refusal into an
// E_IO diagnostic naming the file.

import { constants, promises as fs } from 'node:fs';

export class NotRegularFileError extends Error {
  /** The loader shows the code: "cannot read F: not a regular file". */
  readonly code = 'not a regular file';
}

export async function readRegularFile(file: string): Promise<string> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new NotRegularFileError(`${file} is not a regular file`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
