// execute= sub-instances (docs/behaviour.md §1.3, §4.5): `<this ldirectord> <value> <action>` run along with this
// instance's start, stop, status and reload. On reload, instances that disappeared are stopped, kept ones are
// reloaded (started if the reload fails) and new ones started. Failures are logged, never fatal.

import type { SpawnFn } from './daemonize';
import type { Logger } from './collaborators';
import type { Command } from './self-command';

export type SubAction = 'start' | 'stop' | 'status' | 'reload';

export interface ExecuteRunner {
  run(value: string, action: SubAction): Promise<number>;
}

export interface ExecuteOptions {
  readonly self: Command | undefined;
  /** Options placed before the positionals (e.g. `--dry-run`). */
  readonly flags: readonly string[];
  readonly spawn: SpawnFn;
  readonly logger: Logger;
  readonly timeoutMs: number;
}

export function createExecuteRunner(o: ExecuteOptions): ExecuteRunner {
  return {
    run(value, action) {
      const self = o.self;
      if (self === undefined) {
        o.logger.error(`execute=${value}: cannot run "${action}": the ldirectord command is unknown`);
        return Promise.resolve(1);
      }
      return new Promise<number>((resolve) => {
        const child = o.spawn(self.command, [...self.args, ...o.flags, value, action], { stdio: 'inherit' });
        const timer = setTimeout(() => {
          o.logger.error(`execute=${value} ${action}: no exit within ${o.timeoutMs / 1000} s, kill -TERM child`);
          child.kill('SIGTERM');
        }, o.timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          o.logger.error(`execute=${value} ${action}: ${e.message}`);
          resolve(1);
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          if (code !== 0) o.logger.error(`execute=${value} ${action}: exit status ${code}`);
          resolve(code ?? 1);
        });
      });
    },
  };
}

/** Reload of the sub-instance set: the ordered list of what to run. Pure. */
export function planExecuteReload(
  before: readonly string[],
  after: readonly string[],
): Array<[string, 'stop' | 'reload' | 'start']> {
  const plan: Array<[string, 'stop' | 'reload' | 'start']> = [];
  for (const v of before) if (!after.includes(v)) plan.push([v, 'stop']);
  for (const v of after) plan.push([v, before.includes(v) ? 'reload' : 'start']);
  return plan;
}

export async function applyExecuteReload(
  runner: ExecuteRunner,
  before: readonly string[],
  after: readonly string[],
): Promise<void> {
  for (const [value, action] of planExecuteReload(before, after)) {
    const code = await runner.run(value, action);
    if (action === 'reload' && code !== 0) await runner.run(value, 'start');
  }
}
