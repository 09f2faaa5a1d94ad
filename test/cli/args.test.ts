// The ldirectord command-line grammar (docs/behaviour.md §1.1) as a pure function.

import { parseArgs } from '../../src/cli/args';

const action = (a: string, configArg?: string, extra: { debug?: boolean; dryRun?: boolean } = {}) => ({
  kind: 'action',
  action: a,
  configArg,
  debug: extra.debug ?? false,
  dryRun: extra.dryRun ?? false,
});

test.each([
  [['start'], action('start')],
  [['status'], action('status')],
  [['ldirectord.cf', 'stop'], action('stop', 'ldirectord.cf')],
  [['/etc/ha.d/web.cf', 'restart', 'ignored', 'too'], action('restart', '/etc/ha.d/web.cf')],
  [['-d', 'web.cf', 'try-restart'], action('try-restart', 'web.cf', { debug: true })],
  [['--debug', 'reload'], action('reload', undefined, { debug: true })],
  [['--', 'force-reload'], action('force-reload')],
  [['-d', '--', '-odd-name.cf', 'start'], action('start', '-odd-name.cf', { debug: true })],
  [['--dry-run', '-d', 'start'], action('start', undefined, { debug: true, dryRun: true })],
])('%j', (argv, expected) => {
  expect(parseArgs(argv)).toEqual(expected);
});

test.each([
  [[], { kind: 'usage' }],
  [['frobnicate'], { kind: 'usage', message: 'Unknown action: frobnicate' }],
  [['web.cf', 'frobnicate'], { kind: 'usage', message: 'Unknown action: frobnicate' }],
  [['-x', 'start'], { kind: 'usage', message: 'Unknown option: x' }],
  [['-dx', 'start'], { kind: 'usage', message: 'Unknown option: x' }],
  [['--frob', 'start'], { kind: 'usage', message: 'Unknown option: frob' }],
  // options must come before positionals (require order): -d after the action is an action word
  [['start', '-d'], { kind: 'usage', message: 'Unknown action: -d' }],
  [['-t', '--print-table'], { kind: 'usage', message: '-t and --print-table cannot be combined' }],
  [['-t', 'a.cf', 'b.cf'], { kind: 'usage', message: '-t takes at most one config file' }],
])('%j → usage', (argv, expected) => {
  expect(parseArgs(argv)).toEqual(expected);
});

test.each([
  [['-h'], { kind: 'help' }],
  [['-?'], { kind: 'help' }],
  [['--help', 'start'], { kind: 'help' }],
  [['-v'], { kind: 'version' }],
  [['--version'], { kind: 'version' }],
  [['-dv'], { kind: 'version' }],
  [['-t'], { kind: 'test', configArg: undefined, debug: false }],
  [['-t', 'web.cf'], { kind: 'test', configArg: 'web.cf', debug: false }],
  [['-dt', 'web.cf'], { kind: 'test', configArg: 'web.cf', debug: true }],
  [['--test', 'web.cf'], { kind: 'test', configArg: 'web.cf', debug: false }],
  [['--print-table'], { kind: 'print-table', configArg: undefined, debug: false }],
  [['--print-table', '--', 'web.cf'], { kind: 'print-table', configArg: 'web.cf', debug: false }],
])('%j', (argv, expected) => {
  expect(parseArgs(argv)).toEqual(expected);
});
