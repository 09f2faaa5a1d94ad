// Starts http-counter.ts inside the real-server namespace and asks it for its counts over stdio.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { NS } from './topology';

export interface HttpCounter {
  /** Requests answered so far, per local address. */
  counts(): Promise<Record<string, number>>;
  total(): Promise<number>;
  stop(): void;
  readonly pid: number;
}

export async function startHttpCounter(node: string, repo: string): Promise<HttpCounter> {
  const script = path.join(repo, 'bench', 'compare', 'http-counter.ts');
  const child: ChildProcess = spawn('ip', ['netns', 'exec', NS, node, '--import', 'tsx', script, '80'], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = (): Promise<string> => new Promise((r) => waiting.push(r));
  const ready = await next();
  if (ready !== 'ready') throw new Error(`http counter said ${ready}`);
  const counts = async (): Promise<Record<string, number>> => {
    const p = next();
    child.stdin!.write('dump\n');
    return JSON.parse(await p) as Record<string, number>;
  };
  return {
    pid: child.pid ?? -1,
    counts,
    async total() {
      return Object.values(await counts()).reduce((a, b) => a + b, 0);
    },
    stop() {
      child.stdin!.end();
      child.kill('SIGTERM');
    },
  };
}
