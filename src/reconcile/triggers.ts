// When the director runs a reconcile pass, decided without timers or I/O: the director (src/daemon/director.ts)
// feeds every input (a batch of health transitions, a timer that fired, a reload, a stop) to `nextTriggers`
// and carries out the commands it returns, in order. Time comes in with the inputs, so the policy is tested
// with plain numbers.
//
//   transitions  a pass over the affected virtuals at once, unless one started less than the spacing ago: then
//                the vids are held and merged until the spacing has passed (one timer, armed once). The
//                spacing is spacingMs, or PASS_SPACING_FACTOR times the last transition pass's duration when
//                that is longer (at most PASS_SPACING_MAX_MS): a pass costs the size of the virtuals it covers,
//                so while ups arrive in a trickle (a cold start of thousands of real servers) back-to-back
//                passes of a few ops each would take the whole CPU from the checks (docs/benchmarks.md, "Cold
//                start"); this keeps them to about half of it, in fewer, larger passes
//   resync       every resyncSeconds (0: never) a full pass; the next interval starts when that pass is done
//   reload       the resync interval restarts with the new config's value
//   stop         no pass is started any more; both timers are cancelled
//
// The stop order (director.ts) has one special case: the log subscription goes last, so the purge of the
// cleanstop services is still logged.

export interface TriggerSettings {
  /** Transition passes start at most this often (ms); 0: one per batch. */
  readonly spacingMs: number;
  /** The config's resyncinterval (s); 0 or less: no periodic resync. */
  readonly resyncSeconds: number;
}

/** A transition pass waits at least this many times the last one's duration after its start … */
export const PASS_SPACING_FACTOR = 2;
/** … but never longer than this (ms): a slow pass must not hold the next transition for long. */
export const PASS_SPACING_MAX_MS = 1000;

export interface TriggerState {
  readonly running: boolean;
  /** When the last transition pass started (clock ms). */
  readonly lastTransitionPass: number;
  /** How long the last transition pass took, from its start to its end (ms). */
  readonly lastPassMs: number;
  /** Vids waiting for the spacing timer; undefined when no timer is armed. */
  readonly held: ReadonlySet<string> | undefined;
}

export type TriggerInput =
  | { readonly type: 'start'; readonly settings: TriggerSettings }
  | {
      readonly type: 'transitions';
      readonly vids: readonly string[];
      readonly now: number;
      readonly settings: TriggerSettings;
    }
  | { readonly type: 'spacing-elapsed'; readonly now: number }
  | { readonly type: 'transition-pass-done'; readonly durationMs: number }
  | { readonly type: 'resync-elapsed' }
  | { readonly type: 'resync-done'; readonly settings: TriggerSettings }
  | { readonly type: 'reloaded'; readonly settings: TriggerSettings }
  | { readonly type: 'stop' };

export type TriggerCommand =
  | { readonly type: 'pass'; readonly phase: 'transition'; readonly vids: ReadonlySet<string> }
  | { readonly type: 'pass'; readonly phase: 'resync' }
  | { readonly type: 'arm-spacing'; readonly ms: number }
  | { readonly type: 'cancel-spacing' }
  | { readonly type: 'arm-resync'; readonly ms: number }
  | { readonly type: 'cancel-resync' };

export interface TriggerStep {
  readonly state: TriggerState;
  readonly commands: readonly TriggerCommand[];
}

export const INITIAL_TRIGGERS: TriggerState = {
  running: true,
  lastTransitionPass: -Infinity,
  lastPassMs: 0,
  held: undefined,
};

const resyncTimer = (s: TriggerSettings): TriggerCommand[] =>
  s.resyncSeconds > 0 ? [{ type: 'arm-resync', ms: s.resyncSeconds * 1000 }] : [];

export function nextTriggers(state: TriggerState, input: TriggerInput): TriggerStep {
  if (!state.running) return { state, commands: [] };
  switch (input.type) {
    case 'start':
      return { state, commands: resyncTimer(input.settings) };
    case 'transitions': {
      if (state.held !== undefined) {
        return { state: { ...state, held: new Set([...state.held, ...input.vids]) }, commands: [] };
      }
      const spacing = Math.max(
        0,
        input.settings.spacingMs,
        Math.min(PASS_SPACING_MAX_MS, PASS_SPACING_FACTOR * state.lastPassMs),
      );
      // Bounded by the spacing, so a wall-clock step back cannot hold a pass for long.
      const wait = Math.min(spacing, state.lastTransitionPass + spacing - input.now);
      if (!(wait > 0)) {
        return {
          state: { ...state, lastTransitionPass: input.now },
          commands: [{ type: 'pass', phase: 'transition', vids: new Set(input.vids) }],
        };
      }
      return { state: { ...state, held: new Set(input.vids) }, commands: [{ type: 'arm-spacing', ms: wait }] };
    }
    case 'spacing-elapsed': {
      if (state.held === undefined) return { state, commands: [] };
      return {
        state: { ...state, held: undefined, lastTransitionPass: input.now },
        commands: [{ type: 'pass', phase: 'transition', vids: state.held }],
      };
    }
    case 'transition-pass-done':
      return { state: { ...state, lastPassMs: Math.max(0, input.durationMs) }, commands: [] };
    case 'resync-elapsed':
      return { state, commands: [{ type: 'pass', phase: 'resync' }] };
    case 'resync-done':
      return { state, commands: resyncTimer(input.settings) };
    case 'reloaded':
      return { state, commands: [{ type: 'cancel-resync' }, ...resyncTimer(input.settings)] };
    case 'stop':
      return {
        state: { ...state, running: false, held: undefined },
        commands: [{ type: 'cancel-spacing' }, { type: 'cancel-resync' }],
      };
  }
}
