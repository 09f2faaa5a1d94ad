// A long-running process in a network namespace (`ip netns exec NS …`, which execs: the pid is the
// program's own), with its output kept, waits on its lines, and a kill that resolves once it is reaped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The argv of `shell script` in mount, UTS and PID namespaces of its own (a cluster node's private /run, hostname
 * and process tree, /proc remounted), killed with the command that started it. */
export const inOwnNamespaces = (shell: string, script: string): string[] => [
  'unshare',
  '--mount',
  '--uts',
  '--pid',
  '--fork',
  '--kill-child',
  '--mount-proc=/proc',
  shell,
  script,
];

export interface NsProcess {
  readonly name: string;
  readonly pid: number;
  readonly lines: readonly string[];
  /** Resolves with the index of the first line at or after `from` matching `re`; rejects if it exits first. */
  line(re: RegExp, from?: number, timeoutMs?: number): Promise<number>;
  /** Writes a line on its stdin. */
  send(text: string): void;
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: Promise<number | null>;
}

export function startInNs(
  name: string,
  ns: string | undefined,
  argv: readonly string[],
  env?: NodeJS.ProcessEnv,
): NsProcess {
  const full = ns === undefined ? [...argv] : ['ip', 'netns', 'exec', ns, ...argv];
  const child: ChildProcess = spawn(full[0] ?? '', full.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let done = false;
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on('line', (l) => {
        lines.push(l);
        wake();
      });
  }
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      lines.push(`spawn error: ${e.message}`);
      done = true;
      wake();
      resolve(null);
    });
    // 'exit', not 'close': a child it leaves behind (a forked helper) may hold the pipes open for good.
    child.once('exit', (code) => {
      done = true;
      wake();
      resolve(code);
    });
  });
  return {
    name,
    pid: child.pid ?? -1,
    lines,
    exited,
    send: (text) => {
      child.stdin?.write(`${text}\n`);
    },
    async line(re, from = 0, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const at = lines.findIndex((l, i) => i >= from && re.test(l));
        if (at >= 0) return at;
        if (done)
          throw new Error(
            `${name} exited (${String(child.exitCode ?? child.signalCode)}) before printing ${re}:\n${lines.slice(-20).join('\n')}`,
          );
        if (Date.now() > end)
          throw new Error(`${name}: no line ${re} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, Math.max(0, end - Date.now()) + 1);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    async kill(signal = 'SIGKILL') {
      if (!done) child.kill(signal);
      await exited;
    },
  };
}

/** Runs a program to completion (in `ns`), rejecting with its output on a non-zero exit. */
export function runInNs(ns: string | undefined, argv: readonly string[], input = ''): Promise<string> {
  const full = ns === undefined ? [...argv] : ['ip', 'netns', 'exec', ns, ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(full[0] ?? '', full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      out += s;
    });
    child.once('error', reject);
    // A program that exits without reading its input (an `ip -batch` line it refused) closes the pipe: its
    // exit status and output say why, the EPIPE must not take the process down.
    child.stdin.on('error', () => undefined);
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${full.join(' ')}: exit ${String(code)}: ${out.trim()}`));
    });
    child.stdin.end(input);
  });
}
