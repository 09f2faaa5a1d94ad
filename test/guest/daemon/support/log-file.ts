// Follows ldirectord's log file (`[ctime|CFGNAME|pid] msg`, appended per message): waits for lines on
// inotify events of its directory, never on a timer.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LogLine {
  readonly pid: number;
  readonly message: string;
}

const LINE = /^\[[^|\]]+\|[^|\]]+\|(\d+)\] (.*)$/;

export function readLog(file: string): LogLine[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((l) => {
    const m = LINE.exec(l);
    return m ? [{ pid: Number(m[1]), message: m[2]! }] : [];
  });
}

/** Resolves with the index of the first line at or after `from` for which `pred` holds. */
export function waitForLog(file: string, pred: (l: LogLine) => boolean, from = 0): Promise<number> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const i = readLog(file).findIndex((l, k) => k >= from && pred(l));
      if (i < 0) return false;
      watcher.close();
      resolve(i);
      return true;
    };
    const watcher = fs.watch(path.dirname(file), () => void check());
    check();
  });
}
