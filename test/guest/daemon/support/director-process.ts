// Runs support/run-director.ts as a real process and lets a test wait on its events and log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

export interface DirectorEventLine {
  readonly type: string;
  readonly phase?: string;
  readonly op?: string;
  readonly ops?: number;
  readonly failed?: number;
}

export class DirectorProcess {
  readonly events: DirectorEventLine[] = [];
  readonly logs: string[] = [];
  private readonly child: ChildProcess;
  private readonly waiters: Array<() => void> = [];
  private closed = false;
  readonly exited: Promise<number | null>;

  constructor(configPath: string) {
    const runner = path.join(__dirname, 'run-director.ts');
    this.child = spawn(process.execPath, ['--import', 'tsx', runner, configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    readline.createInterface({ input: this.child.stdout! }).on('line', (l) => {
      this.events.push(JSON.parse(l) as DirectorEventLine);
      this.wake();
    });
    readline.createInterface({ input: this.child.stderr! }).on('line', (l) => {
      this.logs.push(l);
      this.wake();
    });
    // 'close' (not 'exit'): every line the process wrote has been read by then.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code) => {
        this.closed = true;
        this.wake();
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `cond()` holds, re-evaluated after every event or log line; rejects if the process exits. */
  async until(what: string, cond: () => boolean): Promise<void> {
    while (!cond()) {
      if (this.closed) {
        throw new Error(
          `director exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}\n${this.logs.join('\n')}`,
        );
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Waits for a log line matching `re` at index >= `from`; returns its index. */
  async log(re: RegExp, from = 0): Promise<number> {
    let at = -1;
    await this.until(`log ${re}`, () => (at = this.logs.findIndex((l, i) => i >= from && re.test(l))) >= 0);
    return at;
  }

  /** Waits for an event matching `pred` at index >= `from`; returns its index. */
  async event(pred: (e: DirectorEventLine) => boolean, from = 0): Promise<number> {
    let at = -1;
    await this.until('event', () => (at = this.events.findIndex((e, i) => i >= from && pred(e))) >= 0);
    return at;
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }
}
