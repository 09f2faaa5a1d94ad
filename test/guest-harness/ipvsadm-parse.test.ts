// The ipvsadm witness parser (test/support/ipvsadm.ts) against listings printed by ipvsadm 1.31 on the guest
// kernel (captured from scripts/guest/run), so a parser bug cannot make the guest witness tests agree
// with a wrong client.
import { createIpvsadm, mergeThresholds, parseTunnelInfo, type Runner } from '../support/ipvsadm';

const LIST = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn
TCP  192.0.2.1:80 wrr persistent 300 mask 255.255.255.0
  -> 203.0.113.5:8080             Masq    n/a           3      0          0         
  -> 203.0.113.6:80               Route   n/a           0      0          0         
  -> 203.0.113.7:80               Tunnel  gue:6080:+c   1      0          0         
TCP  192.0.2.3:21 none persistent 30 pe sip
SCTP 192.0.2.2:5000 mh (mh-port)
  -> 203.0.113.9:5000             Tunnel  ipip          1      0          0         
UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port) ops
  -> [2001:db8::5]:53             Route   n/a           2      0          0         
FWM  7 rr persistent 60
  -> 203.0.113.5:0                Route   n/a           1      0          0         
FWM  8 IPv6 lc persistent 100 mask 64
  -> [2001:db8::7]:0              Tunnel  gre:-c        1      0          0         
`;

const THRESHOLDS = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn 
  -> RemoteAddress:Port
TCP  192.0.2.1:80 wrr persistent 300 mask 255.255.255.0
  -> 203.0.113.5:8080             100        10         0          0         
  -> 203.0.113.6:80               0          0          0          0         
  -> 203.0.113.7:80               0          0          0          0         
TCP  192.0.2.3:21 none persistent 30 pe sip
SCTP 192.0.2.2:5000 mh (mh-port)
  -> 203.0.113.9:5000             0          0          0          0         
UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port) ops
  -> [2001:db8::5]:53             0          0          0          0         
FWM  7 rr persistent 60
  -> 203.0.113.5:0                0          0          0          0         
FWM  8 IPv6 lc persistent 100 mask 64
  -> [2001:db8::7]:0              0          0          0          0         
`;

const NO_FLAGS = { persistent: false, onePacket: false, sched1: false, sched2: false, sched3: false };
const base = { upperThreshold: 0, lowerThreshold: 0 };

describe('ipvsadm witness parser', () => {
  test('parses -Ln --tun-info merged with --thresholds into model services and destinations', () => {
    expect(mergeThresholds(LIST, THRESHOLDS)).toEqual([
      {
        service: {
          family: 'inet',
          protocol: 'tcp',
          address: '192.0.2.1',
          port: 80,
          scheduler: 'wrr',
          flags: { ...NO_FLAGS, persistent: true },
          timeout: 300,
          netmask: '255.255.255.0',
        },
        dests: [
          {
            family: 'inet',
            address: '203.0.113.5',
            port: 8080,
            forwarding: 'masq',
            weight: 3,
            upperThreshold: 100,
            lowerThreshold: 10,
          },
          { family: 'inet', address: '203.0.113.6', port: 80, forwarding: 'route', weight: 0, ...base },
          {
            family: 'inet',
            address: '203.0.113.7',
            port: 80,
            forwarding: 'tunnel',
            weight: 1,
            ...base,
            tunnel: { type: 'gue', port: 6080, csum: 'csum' },
          },
        ],
      },
      {
        service: {
          family: 'inet',
          protocol: 'tcp',
          address: '192.0.2.3',
          port: 21,
          scheduler: 'none',
          flags: { ...NO_FLAGS, persistent: true },
          timeout: 30,
          netmask: '255.255.255.255',
          peName: 'sip',
        },
        dests: [],
      },
      {
        service: {
          family: 'inet',
          protocol: 'sctp',
          address: '192.0.2.2',
          port: 5000,
          scheduler: 'mh',
          flags: { ...NO_FLAGS, sched2: true },
          timeout: 0,
          netmask: '255.255.255.255',
        },
        dests: [
          {
            family: 'inet',
            address: '203.0.113.9',
            port: 5000,
            forwarding: 'tunnel',
            weight: 1,
            ...base,
            tunnel: { type: 'ipip', port: 0, csum: 'nocsum' },
          },
        ],
      },
      {
        service: {
          family: 'inet6',
          protocol: 'udp',
          address: '2001:db8::1',
          port: 53,
          scheduler: 'sh',
          flags: { ...NO_FLAGS, onePacket: true, sched1: true, sched2: true },
          timeout: 0,
          netmask: 128,
        },
        dests: [{ family: 'inet6', address: '2001:db8::5', port: 53, forwarding: 'route', weight: 2, ...base }],
      },
      {
        service: {
          family: 'inet',
          fwmark: 7,
          scheduler: 'rr',
          flags: { ...NO_FLAGS, persistent: true },
          timeout: 60,
          netmask: '255.255.255.255',
        },
        dests: [{ family: 'inet', address: '203.0.113.5', port: 0, forwarding: 'route', weight: 1, ...base }],
      },
      {
        service: {
          family: 'inet6',
          fwmark: 8,
          scheduler: 'lc',
          flags: { ...NO_FLAGS, persistent: true },
          timeout: 100,
          netmask: 64,
        },
        dests: [
          {
            family: 'inet6',
            address: '2001:db8::7',
            port: 0,
            forwarding: 'tunnel',
            weight: 1,
            ...base,
            tunnel: { type: 'gre', port: 0, csum: 'nocsum' },
          },
        ],
      },
    ]);
  });

  test('tunnel info: every type and checksum option, as ipvsadm 1.31 prints them', () => {
    expect(
      ['n/a', 'ipip', 'gue:6080:-c', 'gue:1:+c', 'gue:65535:r+c', 'gre:-c', 'gre:+c', 'gre:r+c'].map(parseTunnelInfo),
    ).toEqual([
      undefined,
      { type: 'ipip', port: 0, csum: 'nocsum' },
      { type: 'gue', port: 6080, csum: 'nocsum' },
      { type: 'gue', port: 1, csum: 'csum' },
      { type: 'gue', port: 65535, csum: 'remcsum' },
      { type: 'gre', port: 0, csum: 'nocsum' },
      { type: 'gre', port: 0, csum: 'csum' },
      { type: 'gre', port: 0, csum: 'remcsum' },
    ]);
  });

  test('unknown output is an IPVSADM_UNPARSABLE error quoting the line', () => {
    const bad = LIST.replace('Masq ', 'Sideways ');
    expect(() => mergeThresholds(bad, THRESHOLDS)).toThrow(expect.objectContaining({ code: 'IPVSADM_UNPARSABLE' }));
    expect(() => mergeThresholds(bad, THRESHOLDS)).toThrow(/Sideways/);
    expect(() => parseTunnelInfo('vxlan')).toThrow(expect.objectContaining({ code: 'IPVSADM_UNPARSABLE' }));
  });

  test('listings that disagree (the table changed between the two calls) are reported, not merged', () => {
    const fewer = THRESHOLDS.split('FWM  7')[0] ?? '';
    expect(() => mergeThresholds(LIST, fewer)).toThrow(expect.objectContaining({ code: 'IPVSADM_UNPARSABLE' }));
  });

  test('a failing ipvsadm rejects with IPVSADM_FAILED naming the arguments and its stderr; -R gets the rules on stdin', async () => {
    const calls: { args: readonly string[]; input: string | undefined }[] = [];
    const run: Runner = async (_file, args, input) => {
      calls.push({ args, input });
      return args[0] === '-d'
        ? { status: 2, stdout: '', stderr: 'Memory allocation problem\n' }
        : { status: 0, stdout: '', stderr: '' };
    };
    const ipvsadm = createIpvsadm({ run });
    await expect(ipvsadm.exec(['-d', '-t', '192.0.2.1:80', '-r', '203.0.113.5'])).rejects.toMatchObject({
      code: 'IPVSADM_FAILED',
      message: 'ipvsadm -d -t 192.0.2.1:80 -r 203.0.113.5: exit 2: Memory allocation problem',
    });
    await ipvsadm.restore('-A -t 192.0.2.1:80 -s rr\n');
    expect(calls[1]).toEqual({ args: ['-R'], input: '-A -t 192.0.2.1:80 -s rr\n' });
  });
});
