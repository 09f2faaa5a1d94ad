// The production Spawner (fallbackcommand): runs a program without a shell, stdio ignored, in a process group of
// its own, and resolves with how it exited. Bounded: after timeoutMs the whole group is killed (SIGKILL), so
// a command that hangs, or leaves a child behind that hangs, cannot hold the daemon's stop.

import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { Spawner } from '../reconcile/fallback-command';

export type SpawnFn = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export function boundedSpawner(spawn: SpawnFn, timeoutMs: number): Spawner {
  return (file, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(file, [...args], { stdio: 'ignore', detached: true });
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, timeoutMs);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
}
