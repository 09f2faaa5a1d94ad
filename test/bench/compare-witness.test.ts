// The comparison bench times table changes from /proc/net/ip_vs and cross-checks with ipvsadm -Ln: both
// parsers must give the same table for the same kernel state (texts captured from the guest kernel 6.1).
import { disagreement, parseIpvsadm, parseProcIpVs } from '../../bench/compare/table';

const PROC = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
  'TCP  0A020001:0050 wrr  ',
  '  -> 0A010002:0050      Masq    0      0          0         ',
  '  -> 0A010001:0050      Masq    1      0          0         ',
  'TCP  0A0200FE:1F90 rr  ',
  '  -> 0A01FA01:1F90      Route   7      3          1         ',
  '',
].join('\n');

const IPVSADM = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  'TCP  10.2.0.1:80 wrr',
  '  -> 10.1.0.1:80                  Masq    1      0          0         ',
  '  -> 10.1.0.2:80                  Masq    0      0          0         ',
  'TCP  10.2.0.254:8080 rr',
  '  -> 10.1.250.1:8080              Route   7      3          1         ',
  '',
].join('\n');

describe('bench witness: /proc/net/ip_vs and ipvsadm -Ln', () => {
  it('parse to the same table', () => {
    const proc = parseProcIpVs(PROC);
    expect(disagreement(proc, parseIpvsadm(IPVSADM))).toEqual([]);
    expect(proc.get('TCP 10.2.0.1:80')?.dests.get('10.1.0.2:80')).toBe(0);
    expect(proc.get('TCP 10.2.0.254:8080')?.scheduler).toBe('rr');
    expect(proc.get('TCP 10.2.0.254:8080')?.dests.get('10.1.250.1:8080')).toBe(7);
  });

  it('report a weight that differs', () => {
    const changed = parseIpvsadm(
      IPVSADM.replace('10.1.0.2:80                  Masq    0', '10.1.0.2:80                  Masq    1'),
    );
    expect(disagreement(parseProcIpVs(PROC), changed)).toEqual([
      JSON.stringify({ kind: 'dest-weight', service: 'TCP 10.2.0.1:80', dest: '10.1.0.2:80', from: 0, to: 1 }),
    ]);
  });
});
