// Decide: the ExaBGP API commands (text encoder, ExaBGP 4.x) that take the speaker from the routes it has
// announced to the routes wanted. Withdrawals first, so a shrinking set never briefly grows; each list in
// prefixOrder. Pure: the process that ExaBGP runs (exabgp-process.ts) writes the lines to its stdout.
//
//   announce route 10.0.0.1/32 next-hop self
//   withdraw route 10.0.0.1/32 next-hop self

import { prefixOrder } from './plan';

export interface SpeakerStep {
  readonly lines: readonly string[];
  /** What the speaker announces after the lines. */
  readonly announced: ReadonlySet<string>;
}

export function exabgpStep(announced: ReadonlySet<string>, wanted: readonly string[], nexthop: string): SpeakerStep {
  const want = new Set(wanted);
  const gone = [...announced].filter((p) => !want.has(p)).sort(prefixOrder);
  const added = [...want].filter((p) => !announced.has(p)).sort(prefixOrder);
  return {
    lines: [
      ...gone.map((p) => `withdraw route ${p} next-hop ${nexthop}`),
      ...added.map((p) => `announce route ${p} next-hop ${nexthop}`),
    ],
    announced: want,
  };
}
