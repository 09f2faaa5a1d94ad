// How this program runs itself again: the detached daemon child (daemonize.ts) and `execute=` sub-instances.
// Compiled code runs as plain `node file.js`; from the TypeScript sources (tests, tsx) the child goes through
// tsx's CommonJS hook, so both layouts work without a build step.

import * as path from 'node:path';

export interface Command {
  readonly command: string;
  readonly args: readonly string[];
}

/** `node <file>` (with the tsx hook for a .ts file). */
export function nodeCommand(file: string, execPath = process.execPath): Command {
  if (file.endsWith('.ts')) {
    return { command: execPath, args: ['--require', require.resolve('tsx/cjs'), file] };
  }
  return { command: execPath, args: [file] };
}

/** The daemon child's entry point, next to this file in either layout. */
export function daemonMainFile(): string {
  return path.join(__dirname, `daemon-main${path.extname(__filename)}`);
}

/**
 * The CLI as it was invoked (`node /usr/lib/ldirectord/bin/ldirectord`), for `execute=` sub-instances; undefined
 * when this process is not the ldirectord CLI (e.g. a test runner) and no override was given.
 */
export function cliCommand(argv: readonly string[] = process.argv, execPath = process.execPath): Command | undefined {
  const script = argv[1];
  if (script === undefined || !path.basename(script).includes('ldirectord')) return undefined;
  return { command: execPath, args: [script] };
}
