// ipvsadm as the independent witness: the dests of one virtual service as `ADDR:PORT Forward Weight`.
import { execFileSync } from 'node:child_process';

export function ipvsadmDests(vip: string, port: number): string[] | undefined {
  const out = execFileSync('ipvsadm', ['-Ln', '-t', `${vip}:${port}`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  return out
    .split('\n')
    .filter((l) => l.trim().startsWith('->') && !l.includes('RemoteAddress'))
    .map((l) => l.trim().split(/\s+/).slice(1, 4).join(' '))
    .sort();
}

/** The dests, or undefined when the service does not exist. */
export function ipvsadmDestsOrNone(vip: string, port: number): string[] | undefined {
  try {
    return ipvsadmDests(vip, port);
  } catch {
    return undefined;
  }
}

export function ipvsadm(...args: string[]): void {
  execFileSync('ipvsadm', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
