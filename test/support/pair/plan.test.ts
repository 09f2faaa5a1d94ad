// The bed's plan and the configs it runs, checked on the host (no kernel): what each namespace gets.
import { heartbeatConfig, heartbeatResources, keepalivedConfig, ldirectordConfig, perlConfig } from './configs';
import { countEstablished, tableComplete } from './kernel-view';
import { parseProcIpVs } from '../../../bench/compare/table';
import { kernelSetup, SYNC_ID } from './keepalived-pair';
import { ok } from '../../config/helpers';
import { benchPlan, directorPlan, NAT_GATEWAY, ROUTER_BACK, VIP } from './plan';

describe('bed plan', () => {
  test('NAT: the real servers route through the floating gateway and do not hold the VIP', () => {
    const lines = benchPlan('nat')
      .filter((b) => b.ns === 'prs1')
      .flatMap((b) => b.lines.map((l) => l.join(' ')));
    expect(lines).toEqual([
      'addr add 10.30.0.11/24 dev eth0',
      'link set eth0 up',
      `route add default via ${NAT_GATEWAY}`,
    ]);
  });

  test('DR: the real servers hold the VIP on lo and route through the guest root namespace', () => {
    const lines = benchPlan('dr')
      .filter((b) => b.ns === 'prs2')
      .flatMap((b) => b.lines.map((l) => l.join(' ')));
    expect(lines).toEqual([
      'addr add 10.30.0.12/24 dev eth0',
      'link set eth0 up',
      `addr add ${VIP}/32 dev lo`,
      `route add default via ${ROUTER_BACK}`,
    ]);
  });

  test("the bridges have MAC addresses of their own, so a director's leg going does not change the router's", () => {
    const root = benchPlan('dr').find((b) => b.ns === undefined);
    expect(root?.lines.map((l) => l.join(' ')).filter((l) => l.includes('type bridge'))).toEqual([
      'link add pfront address 02:00:0a:14:00:fd type bridge',
      'link add pback address 02:00:0a:1e:00:fd type bridge',
    ]);
  });

  test('a director gets one leg on each bridge and its own addresses', () => {
    const [root, inside] = directorPlan(2);
    expect(root?.ns).toBeUndefined();
    expect(root?.lines.map((l) => l.join(' '))).toEqual([
      'link add pd2f type veth peer name eth0 netns pd2',
      'link set pd2f master pfront',
      'link set pd2f up',
      'link add pd2b type veth peer name eth1 netns pd2',
      'link set pd2b master pback',
      'link set pd2b up',
    ]);
    expect(inside?.lines.map((l) => l.join(' '))).toEqual([
      'addr add 10.20.0.2/24 dev eth0',
      'addr add 10.30.0.2/24 dev eth1',
      'link set eth0 up',
      'link set eth1 up',
    ]);
  });
});

describe('configs', () => {
  test("keepalived moves the VIP, and in NAT the real servers' gateway; director 1 is preferred", () => {
    const nat = keepalivedConfig(1, { forwarding: 'nat', advertInt: 0.1, preemptDelay: 8 });
    expect(nat).toContain('priority 150');
    expect(nat).toContain('vrrp_version 3');
    expect(nat).toContain('advert_int 0.1');
    expect(nat).toContain('preempt_delay 8');
    expect(nat).toMatch(/virtual_ipaddress \{\n\s+10\.20\.0\.10\/24 dev eth0\n\s+10\.30\.0\.254\/24 dev eth1\n/);
    const dr = keepalivedConfig(2, { forwarding: 'dr', advertInt: 0.1, preemptDelay: 0 });
    expect(dr).toContain('priority 100');
    expect(dr).not.toContain('10.30.0.254');
    expect(dr).not.toContain('preempt_delay');
  });

  test('ldirectord-ts: same file on both directors, masq or gate', () => {
    expect(ldirectordConfig({ forwarding: 'nat', logfile: '/x' })).toContain('\treal=10.30.0.13:9000 masq 1');
    expect(ldirectordConfig({ forwarding: 'dr', logfile: '/x' })).toContain('\treal=10.30.0.11:80 gate 1');
  });

  test('sync daemons: the director keeps master and backup on the back link (its own config), or none', async () => {
    const synced = await ok(ldirectordConfig({ forwarding: 'nat', logfile: '/x', syncid: SYNC_ID }));
    expect(synced.global.syncdaemon).toMatchObject({ roles: ['master', 'backup'], interface: 'eth1', syncid: 7 });
    const control = await ok(ldirectordConfig({ forwarding: 'nat', logfile: '/x' }));
    expect(control.global.syncdaemon).toBeUndefined();
    expect(control.warnings).toEqual([]);
    // No ipvsadm --start-daemon beside the director: the daemons are its desired state.
    expect(kernelSetup()).toBe('echo 1 > /proc/sys/net/ipv4/ip_forward');
  });
});

describe('heartbeat configs', () => {
  const timers = { keepalive: 1, warntime: 2, deadtime: 3, initdead: 10 };

  test('ha.cf: unicast to the peer on the front link, v1 resources, timers as given, preferred node returns', () => {
    const cf = heartbeatConfig(1, '/n1', timers).split('\n');
    expect(cf).toEqual(
      expect.arrayContaining([
        'logfile /n1/ha-log',
        'keepalive 1',
        'deadtime 3',
        'initdead 10',
        'ucast eth0 10.20.0.2',
        'auto_failback on',
        'crm no',
      ]),
    );
    expect(heartbeatConfig(2, '/n2', timers)).toContain('ucast eth0 10.20.0.1\n');
    // stay: a node that comes back remains the standby (no failback move)
    expect(heartbeatConfig(1, '/n1', { ...timers, stay: true }).split('\n')).toContain('auto_failback off');
  });

  test('haresources: only the addresses for a hot standby; the director after the VIP in classic mode', () => {
    expect(heartbeatResources('nat', 'none')).toBe('node1 IPaddr2::10.30.0.254/24/eth1 IPaddr2::10.20.0.10/24/eth0\n');
    expect(heartbeatResources('dr', 'after-vip')).toBe('node1 IPaddr2::10.20.0.10/24/eth0 ldirectord::ldirectord.cf\n');
  });

  test("the Perl ldirectord's config is ours without our own directives", () => {
    const ours = ldirectordConfig({ forwarding: 'nat', logfile: '/x', syncid: SYNC_ID });
    const perl = perlConfig(ours);
    expect(perl).not.toMatch(/^(statusaddress|syncdaemon|syncinterface|syncid)=/m);
    expect(perl).toContain('checktype=negotiate');
    expect(perl.split('\n').length).toBe(ours.split('\n').length - 4);
  });
});

describe('kernel view', () => {
  const proc = (weights: number[]): string =>
    [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
      ...[80, 9000].flatMap((port) => {
        const hp = port.toString(16).toUpperCase().padStart(4, '0');
        return [
          `TCP  0A14000A:${hp} rr `,
          ...weights.map(
            (w, i) =>
              `  -> 0A1E000${(11 + i).toString(16).toUpperCase()}:${hp}      Masq    ${w}      0          0         `,
          ),
        ];
      }),
    ].join('\n');

  test('complete only with every real of both services at a weight above 0', () => {
    expect(tableComplete(parseProcIpVs(proc([1, 1, 1])))).toBe(true);
    expect(tableComplete(parseProcIpVs(proc([1, 0, 1])))).toBe(false);
    expect(tableComplete(parseProcIpVs(proc([1, 1])))).toBe(false);
  });

  test('established entries towards a port, synced ones included', () => {
    const text = [
      'Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData',
      'TCP 0A140064 C350 0A14000A 2328 0A1E000B 2328 ESTABLISHED    899',
      'TCP 0A140064 C351 0A14000A 2328 0A1E000C 2328 ESTABLISHED    180',
      'TCP 0A140064 C352 0A14000A 2328 0A1E000C 2328 CLOSE_WAIT      10',
      'TCP 0A140064 C353 0A14000A 0050 0A1E000C 0050 ESTABLISHED    899',
    ].join('\n');
    expect(countEstablished(text, 9000)).toBe(2);
    expect(countEstablished(text, 80)).toBe(1);
  });
});
