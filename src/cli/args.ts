// The ldirectord command line (docs/behaviour.md §1.1), as a function argv → Command. yargs parses the options
// with the one table in options.ts; this file holds ldirectord's grammar for the positionals:
//
//   ldirectord [-d|--debug] [--dry-run] [--] [configfile] ACTION
//   ldirectord [-d] -t [configfile]               (new: validate, exit 0 or 2)
//   ldirectord [-d] --print-table [configfile]    (new: the IPVS table in ipvsadm -S -n format)
//   ldirectord -h|-?|--help | -v|--version
//   ldirectord passwd [--file FILE] USER          (new: write a statususers line)
//   ldirectord completion                         (new: print a bash completion script)
//
// Options come first ("require order"): the first positional, or `--`, ends them. Short options bundle (`-dt`).
// Two or more positionals: config then action (further ones ignored, as ldirectord). One: it is the action and
// the config is ldirectord.cf. None: usage. `passwd` and `completion` are taken only where ldirectord's grammar
// finds no command (`ldirectord passwd start` still starts the config file named passwd).

import yargs from 'yargs/yargs';
import type { Action } from '../daemon/actions';
import { closest } from '../config/suggest';
import {
  DEFAULT_USERS_FILE,
  LDIRECTORD_PARSING,
  OPTIONS,
  PASSWD_OPTIONS,
  withOptions,
  type OptionSpec,
} from './options';

export const ACTIONS: readonly Action[] = [
  'start',
  'stop',
  'restart',
  'try-restart',
  'reload',
  'force-reload',
  'status',
];

export const SUBCOMMANDS = ['passwd', 'completion'] as const;

/** The flag yargs' completion script passes, followed by the words of the command line being completed. */
export const COMPLETIONS_FLAG = '--get-yargs-completions';

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
  | { readonly kind: 'print-table'; readonly configArg?: string; readonly debug: boolean }
  | { readonly kind: 'passwd'; readonly user: string; readonly file: string }
  | { readonly kind: 'passwd-help' }
  | { readonly kind: 'passwd-usage'; readonly message: string }
  | { readonly kind: 'completion-script' }
  | { readonly kind: 'complete'; readonly words: readonly string[] };

interface Parsed {
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv[0] === COMPLETIONS_FLAG) return { kind: 'complete', words: argv.slice(1) };
  const parsed = parseOptions(argv, OPTIONS);
  if (typeof parsed === 'string') return { kind: 'usage', message: parsed };
  const command = ldirectord(parsed);
  const sub = parsed.positionals[0];
  if (command.kind !== 'usage' || parsed.flags.size > 0 || !isSubcommand(sub)) return command;
  return sub === 'passwd' ? passwd(parsed.positionals.slice(1)) : completion(parsed.positionals.slice(1));
}

function ldirectord({ flags, positionals }: Parsed): Command {
  const debug = flags.has('debug');
  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('version')) return { kind: 'version' };
  const test = flags.has('test');
  if (test && flags.has('print-table')) return { kind: 'usage', message: '-t and --print-table cannot be combined' };
  if (test || flags.has('print-table')) {
    if (positionals.length > 1)
      return { kind: 'usage', message: `${test ? '-t' : '--print-table'} takes at most one config file` };
    return { kind: test ? 'test' : 'print-table', configArg: positionals[0], debug };
  }
  if (positionals.length === 0) return { kind: 'usage' };
  const [first, second] = positionals;
  const configArg = positionals.length >= 2 ? first : undefined;
  const actionWord = positionals.length >= 2 ? second : first;
  const action = ACTIONS.find((a) => a === actionWord);
  if (!action) return { kind: 'usage', message: `Unknown action: ${actionWord ?? ''}${hint(actionWord, ACTIONS)}` };
  return { kind: 'action', action, configArg, debug, dryRun: flags.has('dry-run') };
}

const isSubcommand = (word: string | undefined): word is (typeof SUBCOMMANDS)[number] =>
  SUBCOMMANDS.some((s) => s === word);

function passwd(argv: readonly string[]): Command {
  const parsed = parseOptions(argv, PASSWD_OPTIONS, true);
  if (typeof parsed === 'string') return { kind: 'passwd-usage', message: parsed };
  if (parsed.flags.has('help')) return { kind: 'passwd-help' };
  const file = parsed.values.get('file') ?? DEFAULT_USERS_FILE;
  if (file === '') return { kind: 'passwd-usage', message: 'Option file requires an argument' };
  if (parsed.positionals.length !== 1)
    return { kind: 'passwd-usage', message: `passwd takes one user name, got ${parsed.positionals.length}` };
  return { kind: 'passwd', user: parsed.positionals[0] as string, file };
}

function completion(rest: readonly string[]): Command {
  if (rest.length > 0) return { kind: 'usage', message: `completion takes no argument, got ${rest[0] ?? ''}` };
  return { kind: 'completion-script' };
}

/**
 * yargs over argv with an option table: the flags set, the values given, the positionals, or the usage message
 * for an unknown option or a flag given a value. `interspersed`: options may follow positionals (a
 * subcommand's own options) instead of ldirectord's require order.
 */
function parseOptions(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  interspersed = false,
): (Parsed & { readonly values: ReadonlyMap<string, string> }) | string {
  const words = new Map<string, string>();
  for (const o of specs) for (const n of [o.name, ...o.aliases]) words.set(n, o.name);
  const withValue = optionWordsOf(argv, interspersed).find((a) => /^--[^=]+=/.test(a));
  if (withValue !== undefined) {
    const name = withValue.slice(2, withValue.indexOf('='));
    const known = specs.find((o) => o.name === words.get(name));
    if (known !== undefined && known.value === undefined) return `Option ${known.name} does not take an argument`;
  }
  const y = withOptions(yargs([...argv]), specs).parserConfiguration({
    ...LDIRECTORD_PARSING,
    'halt-at-non-option': !interspersed,
  });
  const out = y.parseSync() as Record<string, unknown> & { _: (string | number)[]; '--'?: string[] };
  // `_` holds what yargs did not take: positionals and, left as they were, unknown options (`-` alone is a
  // positional, as in Getopt::Long)
  const rest = out._.map(String);
  const unknown = rest.find((a) => /^-./.test(a));
  if (unknown !== undefined) return unknownOption(unknown, words);
  for (const key of Object.keys(out)) {
    if (key !== '_' && key !== '--' && key !== '$0' && !words.has(key)) return unknownOption(`--${key}`, words);
  }
  const flags = new Set(specs.filter((o) => o.value === undefined && out[o.name] === true).map((o) => o.name));
  const values = new Map<string, string>();
  for (const o of specs)
    if (o.value !== undefined && out[o.name] !== undefined) values.set(o.name, String(out[o.name]));
  return { flags, values, positionals: [...rest, ...(out['--'] ?? [])] };
}

/** The words yargs reads as options: up to `--`, and (require order) up to the first positional. */
function optionWordsOf(argv: readonly string[], interspersed: boolean): readonly string[] {
  const end = argv.findIndex((a) => a === '--' || (!interspersed && !/^-./.test(a)));
  return end === -1 ? argv : argv.slice(0, end);
}

/** `Unknown option: x` as Getopt::Long says it, naming the first unknown letter of a bundle (`-dx` → x). */
function unknownOption(token: string, words: ReadonlyMap<string, string>): string {
  if (token.startsWith('--')) {
    const name = token.slice(2).split('=')[0] ?? '';
    const near = closest(
      name,
      [...words.keys()].filter((w) => w.length > 1),
    );
    return `Unknown option: ${name}${near === undefined ? '' : ` (did you mean --${near}?)`}`;
  }
  const letters = [...token.slice(1)];
  return `Unknown option: ${letters.find((c) => !words.has(c)) ?? letters[0] ?? ''}`;
}

function hint(word: string | undefined, known: readonly string[]): string {
  const near = word === undefined ? undefined : closest(word, known);
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}
