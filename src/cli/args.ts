// The ldirectord command line (docs/behaviour.md §1.1), as a pure function argv → Command.
//
//   ldirectord [-d|--debug] [--dry-run] [--] [configfile] ACTION
//   ldirectord [-d] -t [configfile]               (new: validate, exit 0 or 2)
//   ldirectord [-d] --print-table [configfile]    (new: the IPVS table in ipvsadm -S -n format)
//   ldirectord -h|-?|--help | -v|--version
//
// Options come first ("require order"): the first positional, or `--`, ends them. Short options bundle (`-dt`).
// Two or more positionals: config then action (further ones ignored, as ldirectord). One: it is the action and
// the config is ldirectord.cf. None: usage.

import type { Action } from '../daemon/actions';

export const ACTIONS: readonly Action[] = [
  'start',
  'stop',
  'restart',
  'try-restart',
  'reload',
  'force-reload',
  'status',
];

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage'; readonly message?: string }
  | {
      readonly kind: 'action';
      readonly action: Action;
      readonly configArg?: string;
      readonly debug: boolean;
      readonly dryRun: boolean;
    }
  | { readonly kind: 'test'; readonly configArg?: string; readonly debug: boolean }
  | { readonly kind: 'print-table'; readonly configArg?: string; readonly debug: boolean };

interface Flags {
  debug: boolean;
  help: boolean;
  version: boolean;
  test: boolean;
  printTable: boolean;
  dryRun: boolean;
}

const LONG: Readonly<Record<string, keyof Flags>> = {
  debug: 'debug',
  help: 'help',
  version: 'version',
  'print-table': 'printTable',
  'dry-run': 'dryRun',
  test: 'test',
};
const SHORT: Readonly<Record<string, keyof Flags>> = { d: 'debug', h: 'help', '?': 'help', v: 'version', t: 'test' };

export function parseArgs(argv: readonly string[]): Command {
  const flags: Flags = { debug: false, help: false, version: false, test: false, printTable: false, dryRun: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const key = LONG[a.slice(2)];
      if (!key) return { kind: 'usage', message: `Unknown option: ${a.slice(2)}` };
      flags[key] = true;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        const key = SHORT[c];
        if (!key) return { kind: 'usage', message: `Unknown option: ${c}` };
        flags[key] = true;
      }
    } else break;
  }
  const positionals = argv.slice(i);
  if (flags.help) return { kind: 'help' };
  if (flags.version) return { kind: 'version' };
  if (flags.test && flags.printTable) return { kind: 'usage', message: '-t and --print-table cannot be combined' };
  if (flags.test || flags.printTable) {
    if (positionals.length > 1)
      return { kind: 'usage', message: `${flags.test ? '-t' : '--print-table'} takes at most one config file` };
    return { kind: flags.test ? 'test' : 'print-table', configArg: positionals[0], debug: flags.debug };
  }
  if (positionals.length === 0) return { kind: 'usage' };
  const [first, second] = positionals;
  const configArg = positionals.length >= 2 ? first : undefined;
  const actionWord = positionals.length >= 2 ? second : first;
  const action = ACTIONS.find((a) => a === actionWord);
  if (!action) return { kind: 'usage', message: `Unknown action: ${actionWord ?? ''}` };
  return { kind: 'action', action, configArg, debug: flags.debug, dryRun: flags.dryRun };
}
