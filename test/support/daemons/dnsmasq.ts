// dnsmasq as an authoritative-enough DNS server on loopback: no upstream, no /etc/hosts, records given on the
// command line, UDP and TCP on 127.0.0.1 and ::1.
import { freePort, spawnDaemon, waitForPorts, type RunningDaemon } from './process';

export interface DnsmasqServer {
  readonly port: number;
  readonly daemon: RunningDaemon;
  stop(): Promise<void>;
}

/** `host-record` lines: name → addresses (A and AAAA, plus the matching PTR records). */
export async function startDnsmasq(
  hostRecords: Readonly<Record<string, readonly string[]>>,
  ptrRecords: Readonly<Record<string, string>> = {},
): Promise<DnsmasqServer> {
  const port = await freePort();
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--pid-file=',
    '--log-facility=-',
    '--log-queries',
    `--port=${port}`,
    '--bind-interfaces',
    '--listen-address=127.0.0.1',
    '--listen-address=::1',
    '--user=root',
    ...Object.entries(hostRecords).map(([name, addrs]) => `--host-record=${name},${addrs.join(',')}`),
    ...Object.entries(ptrRecords).map(([ptr, name]) => `--ptr-record=${ptr},${name}`),
  ];
  const daemon = spawnDaemon('dnsmasq', 'dnsmasq', args);
  try {
    await waitForPorts(daemon, [
      { host: '127.0.0.1', port },
      { host: '::1', port },
    ]);
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return { port, daemon, stop: () => daemon.stop() };
}
