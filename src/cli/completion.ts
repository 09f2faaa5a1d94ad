// Shell completion. The script is yargs' bash script (it calls `ldirectord --get-yargs-completions WORDS…`);
// the candidates for those words come from ldirectord's grammar (args.ts) and option table (options.ts). Pure
// apart from yargs rendering its template. When no candidate fits, the script falls back to file names, which
// is what a config file argument wants.

import yargs from 'yargs/yargs';
import { ACTIONS, SUBCOMMANDS } from './args';
import { optionWords, PASSWD_OPTIONS } from './options';

/** The bash completion script, as yargs writes it for a program named `ldirectord`. */
export function completionScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    void yargs(['completion'])
      .scriptName('ldirectord')
      .help(false)
      .version(false)
      .exitProcess(false)
      .completion('completion', false)
      .parse(['completion'], {}, (err: Error | undefined, _argv: unknown, output: string) =>
        err ? reject(err) : resolve(output.endsWith('\n') ? output : `${output}\n`),
      );
  });
}

/**
 * The candidates for the last of `words` (the command line as the shell split it, program name first). The
 * shell keeps those that start with what was typed.
 */
export function candidates(words: readonly string[]): string[] {
  const typed = words.slice(1);
  const current = typed[typed.length - 1] ?? '';
  const before = typed.slice(0, -1);
  let i = 0;
  let optionsEnded = false;
  const flags: string[] = [];
  for (; i < before.length; i++) {
    const w = before[i] as string;
    if (w === '--') {
      optionsEnded = true;
      i++;
      break;
    }
    if (!/^-./.test(w)) break;
    flags.push(w);
  }
  const positionals = before.slice(i);
  if (positionals[0] === 'passwd' && flags.length === 0 && !ACTIONS.some((a) => a === positionals[1])) {
    return current.startsWith('-') ? optionWords(PASSWD_OPTIONS) : [];
  }
  if (current.startsWith('-') && !optionsEnded && positionals.length === 0) return optionWords();
  const fileOnly = flags.some((f) => f === '-t' || f === '--test' || f === '--print-table' || /^-[^-]*t/.test(f));
  if (fileOnly || positionals.length > 1) return [];
  if (positionals.length === 1) return ACTIONS.some((a) => a === positionals[0]) ? [] : [...ACTIONS];
  return flags.length === 0 && !optionsEnded ? [...ACTIONS, ...SUBCOMMANDS] : [...ACTIONS];
}
