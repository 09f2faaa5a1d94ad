import { msg } from '../../../src/observe/log/messages';

// The catalogue of docs/behaviour.md §1.6, with V = 10.0.0.1:80 and R = 10.0.0.5:80 filled in.
describe('message catalogue keeps the original wording', () => {
  test.each([
    [msg.addedVirtual('V'), 'Added virtual server: V'],
    [msg.changedVirtual('V'), 'Changed virtual server: V'],
    [msg.addedReal('R', 'V', 5), 'Added real server: R (V) (Weight set to 5)'],
    [msg.restoredReal('R', 'V', 5), 'Restored real server: R (V) (Weight set to 5)'],
    [msg.addedFallback('R', 'V'), 'Added fallback server: R (V) (Weight set to 1)'],
    [msg.deletedReal('R', 'V'), 'Deleted real server: R (V)'],
    [msg.deletedFallback('R', 'V'), 'Deleted fallback server: R (V)'],
    [msg.quiescentReal('R', 'V'), 'Quiescent real server: R (V) (Weight set to 0)'],
    [msg.readdQuiescentReal('R', 'V'), 'Readd Quiescent real server: R (V) (Weight set to 0)'],
    [msg.purgedReal('start', 'R', 'V'), 'Purged real server (start): R (V)'],
    [msg.purgedReal('stop', 'R', 'V'), 'Purged real server (stop): R (V)'],
    [msg.purgedVirtual('stop', 'V'), 'Purged virtual server (stop): V'],
    [msg.reloadingOnSignal(), 'Reloading Linux Director Daemon config on signal'],
    [msg.terminatedOnSignal('TERM'), 'Linux Director Daemon terminated on signal: TERM'],
    [msg.systemFailed('cmd', 'No such file'), 'system(cmd) failed: No such file'],
  ])('%s', (got, want) => expect(got).toBe(want));
});
