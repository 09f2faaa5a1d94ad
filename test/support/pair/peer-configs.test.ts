// The configs of the two peer arrangements of the pair bench, checked on the host: keepalived as the whole
// product (its checker and lvs_sync_daemon) and corosync + pacemaker holding only the VIP.
import { keepalivedCheckerConfig } from './keepalived-checker-config';
import { cibXml, corosyncConfig, nodeScript } from './pacemaker-config';
import { NAT_GATEWAY, VIP } from './plan';

const vrrp = { advertInt: 1, preemptDelay: 8 } as const;

/** The lines of the block that opens with `open` (up to its closing brace at the same indentation). */
function block(text: string, open: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === open);
  if (at < 0) throw new Error(`no block '${open}' in:\n${text}`);
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  const end = lines.findIndex((l, i) => i > at && l === `${indent}}`);
  return lines.slice(at + 1, end).map((l) => l.trim());
}

describe('keepalived alone (VRRP + checker + lvs_sync_daemon)', () => {
  test('the sync daemon follows the VRRP instance on the back link, inside global_defs', () => {
    const text = keepalivedCheckerConfig(1, { forwarding: 'nat', syncid: 7, ...vrrp });
    expect(block(text, 'global_defs {')).toContain('lvs_sync_daemon eth1 VI_PAIR id 7');
    expect(text).toContain('vrrp_instance VI_PAIR {');
  });

  test('the no-sync control has no sync daemon', () => {
    expect(keepalivedCheckerConfig(2, { forwarding: 'nat', ...vrrp })).not.toContain('lvs_sync_daemon');
  });

  test('both services, three real servers each, checked the way ldirectord-ts checks them', () => {
    const text = keepalivedCheckerConfig(1, { forwarding: 'dr', syncid: 7, ...vrrp });
    const http = block(text, `virtual_server ${VIP} 80 {`);
    const stream = block(text, `virtual_server ${VIP} 9000 {`);
    expect(http.filter((l) => l === 'HTTP_GET {')).toHaveLength(3);
    expect(stream.filter((l) => l === 'TCP_CHECK {')).toHaveLength(3);
    for (const vs of [http, stream]) {
      expect(vs).toEqual(expect.arrayContaining(['delay_loop 1', 'lb_algo rr', 'lb_kind DR', 'connect_timeout 2']));
    }
    expect(keepalivedCheckerConfig(1, { forwarding: 'nat', ...vrrp })).toContain('lb_kind NAT');
  });
});

describe('corosync + pacemaker holding only the VIP', () => {
  test('corosync: the token, two_node quorum without wait_for_all, no real-time scheduling', () => {
    const text = corosyncConfig({ tokenMs: 5000 }, '/tmp/c.log');
    expect(block(text, 'totem {')).toContain('token: 5000');
    expect(block(text, 'quorum {')).toEqual(['provider: corosync_votequorum', 'two_node: 1', 'wait_for_all: 0']);
    expect(block(text, 'system {')).toEqual(['sched_rr: no']);
    expect(text.match(/name: node\d/g)).toEqual(['name: node1', 'name: node2']);
  });

  test('CIB: no fencing, quorum ignored, the VIP group prefers node1; the NAT gateway moves with the VIP', () => {
    const nat = cibXml('nat');
    expect(nat).toContain('name="stonith-enabled" value="false"');
    expect(nat).toContain('name="no-quorum-policy" value="ignore"');
    expect(nat).toContain('<rsc_location id="address-prefers-node1" rsc="address" node="node1" score="100"/>');
    // The gateway first: the group starts its members in order, and the VIP needs the replies' route.
    expect(nat.match(/name="ip" value="[^"]+"/g)).toEqual([
      `name="ip" value="${NAT_GATEWAY}"`,
      `name="ip" value="${VIP}"`,
    ]);
    expect(cibXml('dr').match(/name="ip" value="[^"]+"/g)).toEqual([`name="ip" value="${VIP}"`]);
    // Nothing but addresses is a cluster resource: ldirectord-ts runs on both nodes (hot standby).
    expect(nat.match(/type="[^"]+"/g)).toEqual(['type="IPaddr2"', 'type="IPaddr2"']);
    // No stickiness by default (the group moves back to node1); with `stay` one above the preference's 100.
    expect(nat).not.toContain('resource-stickiness');
    expect(cibXml('nat', true)).toContain('name="resource-stickiness" value="200"');
  });

  test('the node script starts pacemakerd only after corosync, and keeps the shell as PID 1', () => {
    const lines = nodeScript(2, '/tmp/n2').split('\n');
    const corosync = lines.findIndex((l) => l.startsWith('corosync -f'));
    const ready = lines.findIndex((l) => l.startsWith('until ready'));
    const pacemaker = lines.findIndex((l) => l.includes('pacemakerd &'));
    expect(corosync).toBeGreaterThanOrEqual(0);
    expect([corosync < ready, ready < pacemaker]).toEqual([true, true]);
    expect(lines).toContain('hostname node2');
    // No exec replaces the shell (only a descriptor redirection), and it ends waiting on its children.
    expect(lines.filter((l) => /(^|; )exec (?!\d+<>)/.test(l))).toEqual([]);
    expect(lines.filter((l) => l !== '').pop()).toBe('wait');
  });
});
