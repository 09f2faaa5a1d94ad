// The small facts about sync daemons that config, plan and kernel fake share: the kernel's interface-name rule
// (dev_valid_name) and which addresses it accepts as a sync group (ip_vs_genl_new_daemon: multicast only).

import { isIP } from 'node:net';

/** IFNAMSIZ - 1. */
export const IFNAME_MAX = 15;

/** Why the kernel would refuse `name` as an interface name, or undefined when it is well-formed. */
export function interfaceNameProblem(name: string): string | undefined {
  if (name === '' || name.length > IFNAME_MAX)
    return `an interface name has 1..${IFNAME_MAX} characters, got ${JSON.stringify(name)}`;
  if (name === '.' || name === '..') return `${JSON.stringify(name)} is not an interface name`;
  if (/[/:\s]/.test(name)) return `an interface name has no "/", ":" or white space, got ${JSON.stringify(name)}`;
  return undefined;
}

/** The address family of a multicast group, or undefined when `text` is not a multicast address. */
export function multicastFamily(text: string): 'inet' | 'inet6' | undefined {
  const v = isIP(text);
  if (v === 4) {
    const first = Number(text.split('.')[0]);
    return first >= 224 && first <= 239 ? 'inet' : undefined;
  }
  if (v === 6) return /^ff/i.test(text) ? 'inet6' : undefined;
  return undefined;
}
