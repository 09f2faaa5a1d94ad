// The one table of ldirectord's options: yargs parses argv with it (args.ts), renders the help from it
// (usage.ts), and completion offers its names (completion.ts). Every option is a flag: `--debug=x` is refused
// as Getopt::Long refused it (docs/behaviour.md §1.1).

import type { Argv } from 'yargs';

export interface OptionSpec {
  readonly name: string;
  /** Other spellings: one letter is a short option (`-d`), as in ldirectord. */
  readonly aliases: readonly string[];
  readonly describe: string;
  /** An option with a value (`--file F`, `--file=F`); the others are flags. */
  readonly value?: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'debug', aliases: ['d'], describe: 'Stay in the foreground, log to stderr at debug level' },
  {
    name: 'test',
    aliases: ['t'],
    describe: 'Check the config file: exit 0 if valid, else print every error and exit 2',
  },
  {
    name: 'print-table',
    aliases: [],
    describe: 'Print the IPVS table the config describes (every real server up), as ipvsadm -S -n',
  },
  {
    name: 'dry-run',
    aliases: [],
    describe: 'Run the action against an in-memory IPVS table, changing nothing in the kernel',
  },
  // '?' first: yargs-parser applies the aliases of `-?` only when it leads the list
  { name: 'help', aliases: ['?', 'h'], describe: 'Show this help' },
  { name: 'version', aliases: ['v'], describe: 'Show the version' },
];

/** Where `ldirectord passwd` writes when no --file is given (the path docs/observability.md uses). */
export const DEFAULT_USERS_FILE = '/etc/ha.d/ldirectord.users';

/** `ldirectord passwd`'s own options (they may follow the user name). */
export const PASSWD_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'file',
    aliases: ['f'],
    describe: `The statususers file to write (default ${DEFAULT_USERS_FILE})`,
    value: 'FILE',
  },
  { name: 'help', aliases: ['?', 'h'], describe: 'Show this help' },
];

/**
 * ldirectord's Getopt::Long settings as yargs-parser configuration: options stop at the first positional or
 * `--` ("require order"; the rest is in `argv['--']`), short options bundle (`-dt`), an unknown option stops
 * parsing and is left in `argv._` for the caller to name, and nothing is converted (no `--no-x` negation,
 * numbers stay strings, no dots or camel case).
 */
export const LDIRECTORD_PARSING = {
  'halt-at-non-option': true,
  'unknown-options-as-args': true,
  'populate--': true,
  'short-option-groups': true,
  'boolean-negation': false,
  'camel-case-expansion': false,
  'dot-notation': false,
  'parse-numbers': false,
  'parse-positional-numbers': false,
  'duplicate-arguments-array': false,
} as const;

/** A yargs instance that knows the table (yargs' own help, version and exit are off: main decides). */
export function withOptions(y: Argv, specs: readonly OptionSpec[] = OPTIONS): Argv {
  let out = y.help(false).version(false).exitProcess(false).strict(false);
  for (const o of specs) {
    const type = o.value === undefined ? 'boolean' : 'string';
    out = out.option(o.name, { alias: [...o.aliases], type, describe: o.describe, requiresArg: false });
  }
  return out;
}

/** Every spelling of every option, as typed (`-d`, `--debug`, …). */
export function optionWords(specs: readonly OptionSpec[] = OPTIONS): string[] {
  return specs.flatMap((o) => [o.name, ...o.aliases].map((n) => (n.length === 1 ? `-${n}` : `--${n}`)));
}
