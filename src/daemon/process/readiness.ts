// The readiness channel of a detached daemon: the child reports `ready` (virtual services programmed) or
// `failed` (with the exit status the CLI should return and the reason) over the IPC channel its parent opened,
// then drops the channel so the parent can exit. Messages are plain JSON objects, checked on receipt.

import type { Readiness } from './collaborators';

export type ReadinessMessage =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'failed'; readonly exitCode: number; readonly message: string };

export function parseReadinessMessage(m: unknown): ReadinessMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'ready' && typeof o.pid === 'number') return { type: 'ready', pid: o.pid };
  if (o.type === 'failed' && typeof o.exitCode === 'number' && typeof o.message === 'string') {
    return { type: 'failed', exitCode: o.exitCode, message: o.message };
  }
  return undefined;
}

export interface IpcProcess {
  send?: (
    message: unknown,
    sendHandle?: undefined,
    options?: undefined,
    callback?: (err: Error | null) => void,
  ) => boolean;
  disconnect?: () => void;
  readonly connected?: boolean;
}

/** Readiness over the IPC channel of `proc` (the child's own process object). At most one message is sent. */
export function ipcReadiness(proc: IpcProcess): Readiness {
  let sent = false;
  const post = (m: ReadinessMessage): void => {
    if (sent || proc.send === undefined || proc.connected === false) return;
    sent = true;
    proc.send(m, undefined, undefined, () => {
      if (proc.connected !== false) proc.disconnect?.();
    });
  };
  return {
    ready: (pid) => post({ type: 'ready', pid }),
    failed: (exitCode, message) => post({ type: 'failed', exitCode, message }),
  };
}
