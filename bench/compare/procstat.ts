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
}

function readStat(pid: number): Stat | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after "(comm)": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      userTicks: Number(f[11]) + Number(f[13]) };
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
    for (const st of all) if (!inTree.has(st.pid) && inTree.has(st.ppid)) { inTree.add(st.pid); grew = true; }
  }
  return [...inTree];
}

/** CPU seconds used so far by the tree under root. */
export function cpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of treePids(root)) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / TICKS_PER_S;
}

/** User-mode CPU seconds used so far by the tree under root (the rest of cpuSeconds is the kernel's). */
export function userCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of treePids(root)) ticks += readStat(pid)?.userTicks ?? 0;
  return ticks / TICKS_PER_S;
}

/** Σ VmHWM (KiB) over the live tree under root. */
export function peakRssKiB(root: number): number {
  let kib = 0;
  for (const pid of treePids(root)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
      if (m) kib += Number(m[1]);
    } catch { /* exited */ }
  }
  return kib;
}

/** Context switches (voluntary + involuntary) so far of every thread of the live tree under root. */
export function contextSwitches(root: number): number {
  let n = 0;
  for (const pid of treePids(root)) {
    let tasks: string[] = [];
    try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      try {
        const st = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'latin1');
        for (const m of st.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) n += Number(m[1]);
      } catch { /* exited */ }
    }
  }
  return n;
}

/** Minor page faults so far of the live tree under root (and of its reaped children). */
export function minorFaults(root: number): number {
  let n = 0;
  for (const pid of treePids(root)) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      n += Number(f[7]) + Number(f[8]); // minflt, cminflt
    } catch { /* exited */ }
  }
  return n;
}
