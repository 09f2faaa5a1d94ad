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

describe('hints and Getopt::Long refusals', () => {
  test.each([
    [['stpo'], 'Unknown action: stpo (did you mean stop?)'],
    [['web.cf', 'relaod'], 'Unknown action: relaod (did you mean reload?)'],
    [['--debgu', 'start'], 'Unknown option: debgu (did you mean --debug?)'],
    [['--dry-rnu', 'start'], 'Unknown option: dry-rnu (did you mean --dry-run?)'],
    // ldirectord's options are flags: no negation, no value
    [['--no-debug', 'start'], 'Unknown option: no-debug'],
    [['--debug=0', 'start'], 'Option debug does not take an argument'],
    [['-d', '--dry-run=yes', 'start'], 'Option dry-run does not take an argument'],
    // after the first positional it is a word, not an option (require order)
    [['web.cf', '--debug=1'], 'Unknown action: --debug=1'],
    [['--__proto__', 'start'], 'Unknown option: __proto__'],
  ])('%j → usage', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ kind: 'usage', message });
  });

  test('a lone "-" is a positional, numbers stay strings', () => {
    expect(parseArgs(['-', 'start'])).toEqual(action('start', '-'));
    expect(parseArgs(['007', 'stop'])).toEqual(action('stop', '007'));
  });
});

describe('passwd and completion: new words only where ldirectord finds no command', () => {
  const users = '/etc/ha.d/ldirectord.users';
  test.each([
    [['passwd', 'alice'], { kind: 'passwd', user: 'alice', file: users }],
    [['passwd', 'alice', '--file', '/srv/u'], { kind: 'passwd', user: 'alice', file: '/srv/u' }],
    [['passwd', '-f', '/srv/u', 'alice'], { kind: 'passwd', user: 'alice', file: '/srv/u' }],
    [['passwd', '--file=/srv/u', 'alice'], { kind: 'passwd', user: 'alice', file: '/srv/u' }],
    [['passwd', '--', 'start'], { kind: 'passwd', user: 'start', file: users }],
    [['passwd', '--help'], { kind: 'passwd-help' }],
    [['passwd'], { kind: 'passwd-usage', message: 'passwd takes one user name, got 0' }],
    [['passwd', 'a', 'b'], { kind: 'passwd-usage', message: 'passwd takes one user name, got 2' }],
    [['passwd', 'alice', '--file'], { kind: 'passwd-usage', message: 'Option file requires an argument' }],
    [['passwd', 'alice', '-x'], { kind: 'passwd-usage', message: 'Unknown option: x' }],
    [['completion'], { kind: 'completion-script' }],
    [['completion', 'x'], { kind: 'usage', message: 'completion takes no argument, got x' }],
    [['--get-yargs-completions', 'ldirectord', 'st'], { kind: 'complete', words: ['ldirectord', 'st'] }],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  test.each([
    // ldirectord's meaning wins: a config file named passwd or completion
    [['passwd', 'start'], action('start', 'passwd')],
    [['completion', 'status'], action('status', 'completion')],
  ])('%j keeps its ldirectord meaning', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  test('options before the new words are not taken for them', () => {
    expect(parseArgs(['-d', 'passwd', 'alice'])).toEqual({ kind: 'usage', message: 'Unknown action: alice' });
  });
});
