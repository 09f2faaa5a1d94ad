// Waiting on observable events of another process (a file appearing, a line in a journal, a pid vanishing).
// fs.watch on the directory delivers the event; a slow re-check covers changes fs.watch can miss (renames onto
// an existing name, /proc). Bounded: rejects with what it was waiting for.

import { existsSync, readFileSync, watch } from 'node:fs';
import * as path from 'node:path';

export function waitFor(what: string, check: () => boolean, dir?: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve();
      return;
    }
    const watcher =
      dir !== undefined
        ? watch(dir, () => {
            if (check()) done();
          })
        : undefined;
    const recheck = setInterval(() => {
      if (check()) done();
    }, 50);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    function cleanup(): void {
      watcher?.close();
      clearInterval(recheck);
      clearTimeout(timer);
    }
    function done(): void {
      cleanup();
      resolve();
    }
  });
}

export function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

export function waitForLine(file: string, pattern: RegExp, timeoutMs?: number): Promise<void> {
  return waitFor(
    `a line matching ${pattern} in ${file}`,
    () => readLines(file).some((l) => pattern.test(l)),
    path.dirname(file),
    timeoutMs,
  );
}

export function processGone(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline === '';
  } catch {
    return true;
  }
}
