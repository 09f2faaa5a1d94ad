import { logReconcileEvent, opMessage } from '../../../src/observe/log/reconcile-log';
import { createLogger, createMemorySink } from '../../../src/observe/log/logger';
import { configMapping as map } from '../../../src/reconcile/mapping';
import type { Op } from '../../../src/reconcile/ops';
import { desiredTable, realTargetId } from '../../../src/reconcile/desired';
import { plan } from '../../../src/reconcile/plan';
import { config, real, virtual } from '../../reconcile/support/fixtures';

const v = virtual('10.0.0.1', 80, [real('10.0.0.5', 80, { weight: 4 })]);
const v6 = virtual('2001:db8::1', 80, [real('2001:db8::5', 80, { family: 'inet6', weight: 2 })], {
  family: 'inet6',
  id: 'tcp:[2001:db8::1]:80',
});
const fw = virtual('', 0, [real('10.0.0.5', 0, { forwarding: 'gate' })], {
  protocol: 'fwm',
  fwmark: 7,
  address: undefined,
  id: 'fwm:7',
});

const dest = (x: typeof v, w?: number): Op => ({
  kind: 'add-dest',
  service: map.service(x),
  dest: map.dest(x, x.reals[0]!, w),
  role: 'real',
  why: 'up',
  label: 'L',
  destLabel: 'R',
});

describe('op → catalogue line', () => {
  test.each<[string, Op, 'start' | 'stop', string]>([
    ['added', dest(v), 'start', 'Added real server: R (L) (Weight set to 4)'],
    ['restored', { ...dest(v), kind: 'edit-dest' } as Op, 'start', 'Restored real server: R (L) (Weight set to 4)'],
    [
      'quiescent',
      { ...dest(v, 0), kind: 'edit-dest', why: 'quiesce' } as Op,
      'start',
      'Quiescent real server: R (L) (Weight set to 0)',
    ],
    ['readd', { ...dest(v, 0), why: 'readd' } as Op, 'start', 'Readd Quiescent real server: R (L) (Weight set to 0)'],
    [
      'fallback in',
      { ...dest(v, 1), role: 'fallback' } as Op,
      'start',
      'Added fallback server: R (L) (Weight set to 1)',
    ],
    [
      'deleted',
      {
        kind: 'delete-dest',
        key: map.service(v),
        dest: map.dest(v, v.reals[0]!),
        role: 'real',
        why: 'down',
        label: 'L',
        destLabel: 'R',
      },
      'start',
      'Deleted real server: R (L)',
    ],
    [
      'fallback out',
      {
        kind: 'delete-dest',
        key: map.service(v),
        dest: map.dest(v, v.reals[0]!),
        role: 'fallback',
        why: 'down',
        label: 'L',
        destLabel: 'R',
      },
      'start',
      'Deleted fallback server: R (L)',
    ],
    [
      'stray',
      {
        kind: 'delete-dest',
        key: map.service(v),
        dest: map.dest(v, v.reals[0]!),
        role: 'unknown',
        why: 'stray',
        label: 'L',
        destLabel: 'R',
      },
      'stop',
      'Purged real server (start): R (L)',
    ],
    [
      'purge at stop',
      {
        kind: 'delete-dest',
        key: map.service(v),
        dest: map.dest(v, v.reals[0]!),
        role: 'unknown',
        why: 'purge',
        label: 'L',
        destLabel: 'R',
      },
      'stop',
      'Purged real server (stop): R (L)',
    ],
    ['virtual added', { kind: 'add-service', service: map.service(v), label: 'L' }, 'start', 'Added virtual server: L'],
    [
      'virtual changed',
      { kind: 'edit-service', service: map.service(v), label: 'L' },
      'start',
      'Changed virtual server: L',
    ],
    [
      'virtual dropped by reload',
      { kind: 'delete-service', key: map.service(v), label: 'L', why: 'removed' },
      'start',
      'Purged virtual server (start): L',
    ],
    [
      'virtual purged at stop',
      { kind: 'delete-service', key: map.service(v), label: 'L', why: 'stop' },
      'stop',
      'Purged virtual server (stop): L',
    ],
  ])('%s', (_name, op, phase, line) => expect(opMessage(op, phase)).toBe(line));

  test('labels: IPv6 in brackets, a firewall mark as `fwmark N` (through the reconciler path)', () => {
    const lines = (x: typeof v) => {
      const d = desiredTable(config([x]), (id) => id === realTargetId(x, x.reals[0]!), new Map(), map);
      return plan(d, new Map()).map((op) => opMessage(op, 'start'));
    };
    expect(lines(v6)).toEqual([
      'Added virtual server: [2001:db8::1]:80',
      'Added real server: [2001:db8::5]:80 ([2001:db8::1]:80) (Weight set to 2)',
    ]);
    expect(lines(fw)).toEqual([
      'Added virtual server: fwmark 7',
      'Added real server: 10.0.0.5:0 (fwmark 7) (Weight set to 1)',
    ]);
  });

  test('a fallback coming in is followed by a line saying why', () => {
    const sink = createMemorySink();
    logReconcileEvent(
      { type: 'op-applied', phase: 'transition', op: { ...dest(v, 1), role: 'fallback' } as Op },
      createLogger({ sink }),
    );
    expect(sink.messages()).toEqual([
      'Added fallback server: R (L) (Weight set to 1)',
      'Fallback server R serves L: none of its real servers is available (all down or in maintenance)',
    ]);
  });

  test('a refused op and a failed fallbackcommand are logged as errors with the reason', () => {
    const sink = createMemorySink();
    const logger = createLogger({ sink });
    logReconcileEvent(
      { type: 'op-failed', phase: 'transition', op: dest(v), error: new Error('no such service (ESRCH)') },
      logger,
    );
    logReconcileEvent(
      {
        type: 'fallback-command-failed',
        vid: v.id,
        command: '/bin/sorry start 10.0.0.1:80 tcp',
        reason: 'exit status 3',
      },
      logger,
    );
    expect(sink.records.map((r) => `${r.level} ${r.message}`)).toEqual([
      'error IPVS add-dest R (L) failed: no such service (ESRCH)',
      'error system(/bin/sorry start 10.0.0.1:80 tcp) failed: exit status 3',
    ]);
  });

  test('a resync logs the drift it repaired, not the held ups it applied with it', () => {
    const sink = createMemorySink();
    const logger = createLogger({ sink });
    logReconcileEvent({ type: 'pass', phase: 'resync', ops: 44, failed: 0, drift: 0 }, logger);
    logReconcileEvent({ type: 'pass', phase: 'resync', ops: 3, failed: 0, drift: 2 }, logger);
    logReconcileEvent({ type: 'pass', phase: 'resync', ops: 1, failed: 0 }, logger); // drift not known
    expect(sink.messages()).toEqual([
      'Resync: repaired 2 differences between the IPVS table and the configuration',
      'Resync: repaired 1 difference between the IPVS table and the configuration',
    ]);
  });
});
