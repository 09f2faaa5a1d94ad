// CPU time and peak memory of a program and its children, from /proc.
// CPU = utime+stime of every live process in the tree + cutime+cstime of each (children already reaped).
// Peak RSS = Σ VmHWM of the live processes of the tree (a reaped child's peak is lost; sampled often enough
// that long-lived children, e.g. keepalived's checker, are seen).

import * as fs from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

interface Stat {
  pid: number;
  ppid: number;
  ticks: number;
  /** utime + cutime (user mode only). */
  userTicks: number;
  /** minflt + cminflt. */
  faults: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after "(comm)": state(0) ppid(1) … minflt(7) cminflt(8) … utime(11) stime(12) cutime(13) cstime(14)
    return {
      pid,
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      userTicks: Number(f[11]) + Number(f[13]),
      faults: Number(f[7]) + Number(f[8]),
    };
  } catch {
    return undefined;
  }
}

export function treePids(root: number): number[] {
  const all: Stat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) all.push(st);
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const st of all)
      if (!inTree.has(st.pid) && inTree.has(st.ppid)) {
        inTree.add(st.pid);
        grew = true;
      }
  }
  return [...inTree];
}

/** CPU seconds used so far by the tree under root. */
export function cpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of treePids(root)) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / TICKS_PER_S;
}

/** Σ VmHWM (KiB) over the live tree under root. */
export function peakRssKiB(root: number): number {
  let kib = 0;
  for (const pid of treePids(root)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
      if (m) kib += Number(m[1]);
    } catch {
      /* exited */
    }
  }
  return kib;
}

/** Context switches (voluntary + involuntary) so far of every thread of the live process pid. */
function contextSwitchesOf(pid: number): number {
  let n = 0;
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      const st = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'latin1');
      for (const m of st.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) n += Number(m[1]);
    } catch {
      /* exited */
    }
  }
  return n;
}

export interface TreeCounters {
  readonly cpuS: number;
  /** The user-mode part of cpuS (the rest is the kernel's). */
  readonly userCpuS: number;
  /** Of every thread of the live tree. */
  readonly contextSwitches: number;
  /** Minor page faults of the live tree and its reaped children. */
  readonly minorFaults: number;
}

/** The cumulative counters of the tree under root, from one walk of it (cpu-probe.ts diffs two of them). */
export function treeCounters(root: number): TreeCounters {
  let ticks = 0;
  let userTicks = 0;
  let faults = 0;
  let switches = 0;
  for (const pid of treePids(root)) {
    const st = readStat(pid);
    if (st === undefined) continue;
    ticks += st.ticks;
    userTicks += st.userTicks;
    faults += st.faults;
    switches += contextSwitchesOf(pid);
  }
  return {
    cpuS: ticks / TICKS_PER_S,
    userCpuS: userTicks / TICKS_PER_S,
    contextSwitches: switches,
    minorFaults: faults,
  };
}
