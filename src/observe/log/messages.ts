// The message catalogue: every line the director logs, with the Perl ldirectord's exact wording
// (docs/behaviour.md §1.6) so that log-based monitoring keeps working. V = `VIP:VPORT` (IPv6 in brackets) or
// `fwmark N` (the original: the bare number; docs/compat.md); R = `RIP:RPORT`. Lines marked NEW have no counterpart in the original (docs/compat.md).

export type Phase = 'start' | 'stop';

export const msg = {
  addedVirtual: (v: string) => `Added virtual server: ${v}`,
  changedVirtual: (v: string) => `Changed virtual server: ${v}`,
  addedReal: (r: string, v: string, w: number) => `Added real server: ${r} (${v}) (Weight set to ${w})`,
  restoredReal: (r: string, v: string, w: number) => `Restored real server: ${r} (${v}) (Weight set to ${w})`,
  addedFallback: (r: string, v: string) => `Added fallback server: ${r} (${v}) (Weight set to 1)`,
  deletedReal: (r: string, v: string) => `Deleted real server: ${r} (${v})`,
  deletedFallback: (r: string, v: string) => `Deleted fallback server: ${r} (${v})`,
  quiescentReal: (r: string, v: string) => `Quiescent real server: ${r} (${v}) (Weight set to 0)`,
  readdQuiescentReal: (r: string, v: string) => `Readd Quiescent real server: ${r} (${v}) (Weight set to 0)`,
  purgedReal: (phase: Phase, r: string, v: string) => `Purged real server (${phase}): ${r} (${v})`,
  purgedVirtual: (phase: Phase, v: string) => `Purged virtual server (${phase}): ${v}`,
  reloadingOnSignal: () => 'Reloading Linux Director Daemon config on signal',
  terminatedOnSignal: (sig: string) => `Linux Director Daemon terminated on signal: ${sig}`,
  systemFailed: (cmd: string, why: string) => `system(${cmd}) failed: ${why}`,
  /** NEW: an IPVS operation the kernel refused (the original only logged ipvsadm's exit). */
  ipvsFailed: (what: string, why: string) => `IPVS ${what} failed: ${why}`,
  /** NEW: a reload whose config had errors; the old config keeps running. */
  reloadRejected: (file: string, n: number) =>
    `Reload of ${file} rejected: ${n} error${n === 1 ? '' : 's'}; the running configuration is unchanged`,
  /** NEW: follows `Added fallback server`: why the fallback comes in. */
  fallbackWhy: (r: string, v: string) =>
    `Fallback server ${r} serves ${v}: none of its real servers is available (all down or in maintenance)`,
  /** NEW: drift repaired by the periodic resync (see resyncinterval). */
  resyncRepaired: (n: number) =>
    `Resync: repaired ${n} difference${n === 1 ? '' : 's'} between the IPVS table and the configuration`,
} as const;
