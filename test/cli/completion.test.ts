// Shell completion: `ldirectord completion` prints yargs' bash script; sourced in a real bash with the built
// CLI on PATH as `ldirectord`, completing a partial word offers what ldirectord's grammar allows there.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { candidates } from '../../src/cli/completion';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'completion.js'));

describe('candidates (pure)', () => {
  const ACTIONS = ['start', 'stop', 'restart', 'try-restart', 'reload', 'force-reload', 'status'];
  test.each([
    [
      ['ldirectord', ''],
      [...ACTIONS, 'passwd', 'completion'],
    ],
    [['ldirectord', 'web.cf', ''], ACTIONS],
    [['ldirectord', '-d', ''], ACTIONS],
    [['ldirectord', 'start', ''], []],
    [['ldirectord', 'web.cf', 'start', ''], []],
    [['ldirectord', '-t', ''], []],
    [['ldirectord', '-dt', ''], []],
    [['ldirectord', '--print-table', ''], []],
    [
      ['ldirectord', '-'],
      ['--debug', '-d', '--test', '-t', '--print-table', '--dry-run', '--help', '-?', '-h', '--version', '-v'],
    ],
    [['ldirectord', 'web.cf', '-'], ACTIONS], // options end at the first positional
    [
      ['ldirectord', 'passwd', '-'],
      ['--file', '-f', '--help', '-?', '-h'],
    ],
    [
      ['ldirectord', 'passwd', 'alice', '--'],
      ['--file', '-f', '--help', '-?', '-h'],
    ],
    [['ldirectord', 'passwd', ''], []],
  ])('%j', (words, expected) => {
    expect(candidates(words)).toEqual(expected);
  });
});

test('the CLI is built (npm run build), which the bash test runs', () => {
  expect(BUILT).toBe(true);
});

(BUILT ? describe : describe.skip)('in bash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ldirectord-completion-'));
    const shim = path.join(dir, 'ldirectord');
    writeFileSync(
      shim,
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'bin', 'ldirectord'))} "$@"\n`,
    );
    chmodSync(shim, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** COMPREPLY after completing the last word of each line, in one bash that sourced `ldirectord completion`. */
  function complete(lines: readonly (readonly string[])[]): string[][] {
    const script = [
      'source <(ldirectord completion)',
      'complete -p ldirectord >&2',
      ...lines.flatMap((words) => [
        `COMP_WORDS=(ldirectord ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}`,
        '_ldirectord_yargs_completions',
        'echo "${COMPREPLY[*]}"',
      ]),
    ].join('\n');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, HOME: dir },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([
      0,
      'complete -o bashdefault -o default -F _ldirectord_yargs_completions ldirectord\n',
    ]);
    return r.stdout
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l === '' ? [] : l.split(' ')));
  }

  test('a partial action, a partial option, a config file then an action, passwd options', () => {
    const lines = [['st'], ['--d'], ['web.cf', 're'], ['pa'], ['passwd', 'alice', '--f'], ['web']];
    expect(complete(lines)).toEqual([
      ['start', 'stop', 'status'],
      ['--debug', '--dry-run'],
      ['restart', 'reload'],
      ['passwd'],
      ['--file'],
      // nothing fits: empty, so bash falls back to file names (-o default), as a config file wants
      [],
    ]);
  });
});
