// A measured window of a benchmark: wall time and this process's CPU (all its threads) while `seconds` pass.
import { performance } from 'node:perf_hooks';

export async function measureWindow(seconds: number): Promise<{ wallMs: number; cpu: NodeJS.CpuUsage }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wallMs = performance.now() - t0;
  return { wallMs, cpu: process.cpuUsage(cpu0) };
}
