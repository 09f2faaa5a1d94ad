// The pass triggers (src/reconcile/triggers.ts) as a pure policy: inputs with their times in, exact command
// lists out.
import { INITIAL_TRIGGERS, nextTriggers, type TriggerInput, type TriggerState } from '../../src/reconcile/triggers';

const S = { spacingMs: 50, resyncSeconds: 60 };

function drive(inputs: readonly TriggerInput[]): { state: TriggerState; log: string[] } {
  let state = INITIAL_TRIGGERS;
  const log: string[] = [];
  for (const input of inputs) {
    const step = nextTriggers(state, input);
    state = step.state;
    for (const c of step.commands) {
      if (c.type === 'pass')
        log.push(c.phase === 'transition' ? `pass transition ${[...c.vids].join(',')}` : 'pass resync');
      else log.push('ms' in c ? `${c.type} ${c.ms}` : c.type);
    }
  }
  return { state, log };
}

describe('pass triggers', () => {
  it('start arms the resync; resyncinterval=0 arms nothing', () => {
    expect(drive([{ type: 'start', settings: S }]).log).toEqual(['arm-resync 60000']);
    expect(drive([{ type: 'start', settings: { ...S, resyncSeconds: 0 } }]).log).toEqual([]);
  });

  it('a transition after a quiet spell passes at once; the next within the spacing is held and merged', () => {
    expect(
      drive([
        { type: 'transitions', vids: ['a'], now: 1000, settings: S },
        { type: 'transitions', vids: ['b'], now: 1010, settings: S },
        { type: 'transitions', vids: ['c', 'b'], now: 1020, settings: S },
        { type: 'spacing-elapsed', now: 1050 },
        { type: 'transitions', vids: ['d'], now: 1200, settings: S },
      ]).log,
    ).toEqual(['pass transition a', 'arm-spacing 40', 'pass transition b,c', 'pass transition d']);
  });

  it('a slow transition pass spaces the next: twice its duration from its start, at most 1 s', () => {
    expect(
      drive([
        { type: 'transitions', vids: ['a'], now: 1000, settings: S },
        { type: 'transition-pass-done', durationMs: 300 },
        { type: 'transitions', vids: ['b'], now: 1300, settings: S }, // 2 × 300 ms from 1000: held until 1600
        { type: 'spacing-elapsed', now: 1600 },
        { type: 'transition-pass-done', durationMs: 5000 },
        { type: 'transitions', vids: ['c'], now: 1700, settings: S }, // 2 × 5 s, capped: until 2600
        { type: 'spacing-elapsed', now: 2600 },
        { type: 'transition-pass-done', durationMs: 10 },
        { type: 'transitions', vids: ['d'], now: 2620, settings: S }, // a quick pass: the 50 ms spacing again
      ]).log,
    ).toEqual([
      'pass transition a',
      'arm-spacing 300',
      'pass transition b',
      'arm-spacing 900',
      'pass transition c',
      'arm-spacing 30',
    ]);
  });

  it('spacing 0: one pass per batch; a clock step back holds a pass at most the spacing', () => {
    expect(
      drive([
        { type: 'transitions', vids: ['a'], now: 5, settings: { ...S, spacingMs: 0 } },
        { type: 'transitions', vids: ['b'], now: 5, settings: { ...S, spacingMs: 0 } },
      ]).log,
    ).toEqual(['pass transition a', 'pass transition b']);
    expect(
      drive([
        { type: 'transitions', vids: ['a'], now: 10_000, settings: S },
        { type: 'transitions', vids: ['b'], now: 0, settings: S },
      ]).log,
    ).toEqual(['pass transition a', 'arm-spacing 50']);
  });

  it('resync: a pass when the timer fires, re-armed when it is done; reload restarts it with the new interval', () => {
    expect(
      drive([
        { type: 'start', settings: S },
        { type: 'resync-elapsed' },
        { type: 'resync-done', settings: S },
        { type: 'reloaded', settings: { ...S, resyncSeconds: 5 } },
        { type: 'reloaded', settings: { ...S, resyncSeconds: 0 } },
      ]).log,
    ).toEqual([
      'arm-resync 60000',
      'pass resync',
      'arm-resync 60000',
      'cancel-resync',
      'arm-resync 5000',
      'cancel-resync',
    ]);
  });

  it('stop cancels both timers, drops held vids, and nothing starts a pass afterwards', () => {
    const { state, log } = drive([
      { type: 'transitions', vids: ['a'], now: 0, settings: S },
      { type: 'transitions', vids: ['b'], now: 1, settings: S },
      { type: 'stop' },
      { type: 'spacing-elapsed', now: 50 },
      { type: 'resync-elapsed' },
      { type: 'transitions', vids: ['c'], now: 500, settings: S },
      { type: 'resync-done', settings: S },
    ]);
    expect(log).toEqual(['pass transition a', 'arm-spacing 49', 'cancel-spacing', 'cancel-resync']);
    expect(state).toEqual({ running: false, lastTransitionPass: 0, lastPassMs: 0, held: undefined });
  });
});
