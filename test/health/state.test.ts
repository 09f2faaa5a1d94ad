// Table-driven sequences through the one reducer: each row is a sequence of events and the exact
// transitions and notes it must produce.
import { reduce, UNKNOWN, type StateEvent, type StepNote, type TargetState } from '../../src/health/state';

const ok = (reason = 'ok'): StateEvent => ({ kind: 'result', ok: true, reason });
const bad = (reason = 'bad'): StateEvent => ({ kind: 'result', ok: false, reason });
const force = (up: boolean, reason = 'forced'): StateEvent => ({ kind: 'force', up, reason });

function noteText(n: StepNote): string {
  switch (n.kind) {
    case 'soft-failure':
      return `soft failure ${n.count}/${n.of}: ${n.reason}`;
    case 'failures-reset':
      return `resetting soft failure count: ${n.reason}`;
    case 'soft-success':
      return `success ${n.count}/${n.of}: ${n.reason}`;
    case 'successes-reset':
      return `resetting success count: ${n.reason}`;
  }
}

function run(
  events: StateEvent[],
  failurecount: number,
  successcount: number,
  start: TargetState = UNKNOWN,
): { out: string[]; state: TargetState } {
  let state = start;
  const out: string[] = [];
  for (const event of events) {
    const step = reduce(state, event, { failurecount, successcount });
    state = step.state;
    if (step.transition) out.push(`${step.transition.up ? 'UP' : 'DOWN'}:${step.transition.reason}`);
    else if (step.note) out.push(`note:${noteText(step.note)}`);
    else out.push('-');
  }
  return { out, state };
}

const cases: [string, StateEvent[], number, number, string[]][] = [
  ['first success decides up', [ok('200 OK')], 1, 1, ['UP:200 OK']],
  ['first failure decides down at once, even with failurecount 3', [bad('503')], 3, 1, ['DOWN:503']],
  ['failurecount 1: first failure on an up server goes down', [ok(), bad('refused')], 1, 1, ['UP:ok', 'DOWN:refused']],
  [
    'failurecount 3: soft failures 1/3, 2/3, then down',
    [ok(), bad('a'), bad('b'), bad('c')],
    3,
    1,
    ['UP:ok', 'note:soft failure 1/3: a', 'note:soft failure 2/3: b', 'DOWN:c'],
  ],
  [
    'a success resets the failure counter',
    [ok(), bad('a'), bad('b'), ok('back'), bad('c'), bad('d'), bad('e')],
    3,
    1,
    [
      'UP:ok',
      'note:soft failure 1/3: a',
      'note:soft failure 2/3: b',
      'note:resetting soft failure count: back',
      'note:soft failure 1/3: c',
      'note:soft failure 2/3: d',
      'DOWN:e',
    ],
  ],
  [
    'failures on a down server are not counted',
    [bad('x'), bad('y'), bad('z'), ok('up again')],
    2,
    1,
    ['DOWN:x', '-', '-', 'UP:up again'],
  ],
  [
    'successcount 3: down needs three consecutive successes',
    [bad('x'), ok('1'), ok('2'), ok('3')],
    1,
    3,
    ['DOWN:x', 'note:success 1/3: 1', 'note:success 2/3: 2', 'UP:3'],
  ],
  [
    'successcount: a failure restarts the streak',
    [bad('x'), ok('1'), bad('y'), ok('2'), ok('3')],
    1,
    2,
    ['DOWN:x', 'note:success 1/2: 1', 'note:resetting success count: y', 'note:success 1/2: 2', 'UP:3'],
  ],
  ['steady up emits nothing', [ok(), ok(), ok()], 1, 1, ['UP:ok', '-', '-']],
  [
    'forced down bypasses failurecount',
    [ok(), force(false, 'Server in maintenance')],
    5,
    1,
    ['UP:ok', 'DOWN:Server in maintenance'],
  ],
  ['forced down twice emits once', [force(false), force(false)], 1, 1, ['DOWN:forced', '-']],
  [
    'after a force is lifted the normal rules apply (successcount)',
    [force(false), ok('1'), ok('2')],
    1,
    2,
    ['DOWN:forced', 'note:success 1/2: 1', 'UP:2'],
  ],
  ['forced up from down', [bad('x'), force(true, 'checktype on')], 1, 1, ['DOWN:x', 'UP:checktype on']],
];

test.each(cases)('%s', (_name, events, failurecount, successcount, expected) => {
  expect(run(events, failurecount, successcount).out).toEqual(expected);
});

test('the state starts unknown and stays unknown without events', () => {
  expect(UNKNOWN.up).toBeUndefined();
  expect(run([], 1, 1).state.up).toBeUndefined();
});

test('the reducer does not mutate its input', () => {
  const state: TargetState = Object.freeze({ up: true, failures: 1, successes: 0 });
  expect(reduce(state, bad(), { failurecount: 3, successcount: 1 }).state).toEqual({
    up: true,
    failures: 2,
    successes: 0,
  });
  expect(state.failures).toBe(1);
});
