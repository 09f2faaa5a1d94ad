// Lifecycle actions of the CLI (start, stop, restart, try-restart, reload, force-reload, status).
// Placeholder until the daemon lands: every action reports that it is not available yet.

export type Action = 'start' | 'stop' | 'restart' | 'try-restart' | 'reload' | 'force-reload' | 'status';

export interface ActionOptions {
  /** The config argument exactly as typed (undefined = default `ldirectord.cf`). */
  readonly configArg?: string;
  readonly debug: boolean;
  /** --dry-run: run against an in-memory IPVS table instead of the kernel (added by the CLI). */
  readonly dryRun?: boolean;
}

export async function runAction(action: Action, _options: ActionOptions): Promise<number> {
  process.stderr.write(`ldirectord: action ${action} is not implemented yet\n`);
  return 1;
}
