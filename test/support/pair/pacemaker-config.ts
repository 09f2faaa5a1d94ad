// Config text for corosync 3 + pacemaker 2.1 on the two directors, hot standby: the cluster manager holds only
// the VIP (IPaddr2; in NAT the real servers' gateway too, in one group), ldirectord-ts runs on both directors
// outside the cluster (as under systemd). Written to disk before the daemons start: the guest has no
// pcs/crm shell, and pacemaker reads /var/lib/pacemaker/cib/cib.xml at its first start. Pure.
import { NAT_GATEWAY, VIP, directorFront, type DirectorId, type Forwarding } from './plan';

export interface ClusterTiming {
  /** corosync's token timeout, ms: a node is declared lost after token + consensus (1.2 × token). */
  readonly tokenMs: number;
}

export const nodeName = (d: DirectorId): string => `node${d}`;

/**
 * corosync.conf (the same on both nodes): udpu on the front link, no crypto, two_node quorum. Not knet, the
 * default: in the guest knet's start alone took 100 s ("Initializing transport (Kronosnet)" to "Configuring
 * link 0", docs/benchmarks.md, the pair section); udpu is corosync 3's plain UDP unicast, enough on one bridge.
 */
export function corosyncConfig(t: ClusterTiming, logfile: string): string {
  const node = (d: DirectorId): string[] => [
    '  node {',
    `    ring0_addr: ${directorFront(d)}`,
    `    name: ${nodeName(d)}`,
    `    nodeid: ${d}`,
    '  }',
  ];
  return [
    'totem {',
    '  version: 2',
    '  cluster_name: pair',
    '  transport: udpu',
    `  token: ${t.tokenMs}`,
    '  crypto_cipher: none',
    '  crypto_hash: none',
    '}',
    'nodelist {',
    ...node(1),
    ...node(2),
    '}',
    'quorum {',
    '  provider: corosync_votequorum',
    '  two_node: 1',
    // The story starts node 1 alone and expects it to take the VIP before node 2 exists.
    '  wait_for_all: 0',
    '}',
    // Real-time scheduling on a uniprocessor guest would starve the directors and the client.
    'system {',
    '  sched_rr: no',
    '}',
    // pacemaker's daemons run as hacluster and talk to corosync's IPC.
    'uidgid {',
    '  uid: hacluster',
    '  gid: haclient',
    '}',
    'logging {',
    '  to_logfile: yes',
    `  logfile: ${logfile}`,
    '  to_syslog: no',
    '  to_stderr: no',
    '  timestamp: on',
    '}',
    '',
  ].join('\n');
}

const nv = (id: string, name: string, value: string): string =>
  `<nvpair id="${id}-${name}" name="${name}" value="${value}"/>`;

function ipaddr2(id: string, ip: string, nic: string): string[] {
  return [
    `<primitive id="${id}" class="ocf" provider="heartbeat" type="IPaddr2">`,
    `  <instance_attributes id="${id}-ia">`,
    `    ${nv(id, 'ip', ip)}`,
    `    ${nv(id, 'cidr_netmask', '24')}`,
    `    ${nv(id, 'nic', nic)}`,
    '  </instance_attributes>',
    // A resource script is a chain of forks, each slow in a uniprocessor guest: generous op timeouts.
    '  <operations>',
    `    <op id="${id}-start" name="start" interval="0s" timeout="120s"/>`,
    `    <op id="${id}-stop" name="stop" interval="0s" timeout="120s"/>`,
    `    <op id="${id}-monitor" name="monitor" interval="10s" timeout="60s"/>`,
    '  </operations>',
    '</primitive>',
  ];
}

/**
 * The initial CIB: no fencing (two namespaces of one kernel cannot fence each other), quorum ignored (a pair
 * that lost its peer must keep the VIP), a 5 s dc-deadtime (the default 20 s only delays the first start),
 * and the VIP group preferring node 1 with no stickiness, so it moves back when node 1 returns (`stay`: a
 * resource-stickiness of 200, above the preference's 100, so it stays where it runs, docs/deployment.md). No schema
 * validation (validate-with="none"): checking the CIB against pacemaker's RelaxNG schemas took pacemaker-based
 * 45 s in the starved guest, past pacemakerd's patience with a silent subdaemon (docs/benchmarks.md). The same
 * text with either attribute passes `xmllint --relaxng /usr/share/pacemaker/pacemaker-3.9.rng` (by hand).
 */
export function cibXml(forwarding: Forwarding, stay = false): string {
  // The gateway first: a group starts its members in order, and the VIP must not be up before the replies
  // can be routed (docs/deployment.md; the 08:13 bench run, VIP first, had the VIP 10 s before the gateway).
  const members = [
    ...(forwarding === 'nat' ? ipaddr2('gateway', NAT_GATEWAY, 'eth1') : []),
    ...ipaddr2('vip', VIP, 'eth0'),
  ];
  return [
    '<cib crm_feature_set="3.16.1" validate-with="none" epoch="1" num_updates="0" admin_epoch="0">',
    '  <configuration>',
    '    <crm_config>',
    '      <cluster_property_set id="options">',
    `        ${nv('options', 'stonith-enabled', 'false')}`,
    `        ${nv('options', 'no-quorum-policy', 'ignore')}`,
    `        ${nv('options', 'dc-deadtime', '5s')}`,
    '      </cluster_property_set>',
    '    </crm_config>',
    '    <nodes/>',
    '    <resources>',
    '      <group id="address">',
    ...(stay
      ? [
          '        <meta_attributes id="address-meta">',
          `          ${nv('address-meta', 'resource-stickiness', '200')}`,
          '        </meta_attributes>',
        ]
      : []),
    ...members.map((l) => `        ${l}`),
    '      </group>',
    '    </resources>',
    '    <constraints>',
    `      <rsc_location id="address-prefers-node1" rsc="address" node="${nodeName(1)}" score="100"/>`,
    '    </constraints>',
    '  </configuration>',
    '  <status/>',
    '</cib>',
    '',
  ].join('\n');
}

/**
 * The node's PID 1 (a shell in its own mount, PID and UTS namespaces inside the director's network
 * namespace): private tmpfs state for corosync and pacemaker, corosync, then pacemakerd once corosync's IPC
 * is up (pacemakerd gives up on corosync after a few retries). The shell stays PID 1: when it dies, the node
 * dies whole. Waits use builtins only (every fork is slow in the guest).
 */
export function nodeScript(d: DirectorId, dir: string): string {
  return [
    'set -u',
    'for m in /run /dev/shm /var/lib/corosync /var/lib/pacemaker; do mount -t tmpfs tmpfs $m || exit 1; done',
    'mkdir -p /run/resource-agents /run/lock /run/crm /var/lib/pacemaker/cib /var/lib/pacemaker/pengine \\',
    '  /var/lib/pacemaker/blackbox /var/lib/pacemaker/cores',
    `cp ${dir}/cib.xml /var/lib/pacemaker/cib/cib.xml`,
    `touch ${dir}/pacemaker.log`,
    `chown -R hacluster:haclient /var/lib/pacemaker /run/crm ${dir}/pacemaker.log`,
    'chmod 750 /var/lib/pacemaker/cib',
    `hostname ${nodeName(d)}`,
    `corosync -f -c ${dir}/corosync.conf &`,
    'mkfifo /run/tick; exec 9<>/run/tick',
    'ready() { while read -r l; do case "$l" in *@cmap*) return 0;; esac; done < /proc/net/unix; return 1; }',
    'until ready; do read -rt 0.1 -u 9; done',
    'echo "corosync ready"',
    `PCMK_logfile=${dir}/pacemaker.log PCMK_logfacility=none pacemakerd &`,
    'echo "pacemakerd started"',
    // The cluster's own logs on the node's output, so a failed story's tail shows what the cluster did.
    `tail -n 0 -F ${dir}/corosync.log ${dir}/pacemaker.log &`,
    'wait',
    '',
  ].join('\n');
}
