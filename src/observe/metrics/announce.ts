// BGP announcement metrics, computed at scrape time from the director's snapshot (the keeper in
// src/announce/keeper.ts holds the state). They exist only while a virtual service has announce=yes.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { DirectorSnapshot } from '../../reconcile/snapshot';

export const ANNOUNCE_METRIC = {
  announced: 'ldirectord_announced',
  transitions: 'ldirectord_announce_transitions_total',
  speakers: 'ldirectord_announce_speakers',
  errors: 'ldirectord_announce_errors_total',
} as const;

export function announceMetrics(snapshot: () => DirectorSnapshot, registers: Registry[]): void {
  new Gauge({
    name: ANNOUNCE_METRIC.announced,
    help: 'Whether the director asks the BGP speaker to announce this VIP prefix (1) or withdraw it (0).',
    labelNames: ['vip'],
    registers,
    collect() {
      this.reset();
      for (const p of snapshot().announce?.prefixes ?? []) this.set({ vip: p.prefix }, p.announce ? 1 : 0);
    },
  });
  new Counter({
    name: ANNOUNCE_METRIC.transitions,
    help: 'Changes of a VIP prefix between announced and withdrawn since the daemon started.',
    labelNames: ['vip'],
    registers,
    collect() {
      this.reset();
      for (const p of snapshot().announce?.prefixes ?? []) this.inc({ vip: p.prefix }, p.transitions);
    },
  });
  new Gauge({
    name: ANNOUNCE_METRIC.speakers,
    help: 'Speaker processes (ldirectord-exabgp) connected to the announce socket.',
    registers,
    collect() {
      this.reset();
      const a = snapshot().announce;
      if (a !== undefined) this.set(a.speakers);
    },
  });
  new Counter({
    name: ANNOUNCE_METRIC.errors,
    help: 'Errors of the announce socket since the daemon started.',
    registers,
    collect() {
      this.reset();
      const a = snapshot().announce;
      if (a !== undefined && a.errors > 0) this.inc(a.errors);
    },
  });
}
