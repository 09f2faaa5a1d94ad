// Usage and version text. The option list is rendered by yargs (the only thing yargs does here: the grammar
// itself is ldirectord's and lives in args.ts).

import yargs from 'yargs/yargs';
import { VERSION_LINE } from '../model/version';

export const VERSION_BANNER = [
  VERSION_LINE,
  'ldirectord-ts: a TypeScript reimplementation of ldirectord for Linux Virtual Server',
  'Original ldirectord: Copyright (C) 1999-2006 Jacob Rief, Horms and others',
  'This is free software released under the GNU General Public License, version 2 or later.',
  '',
  'There is NO warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.',
].join('\n');

const SYNOPSIS = [
  'Usage:',
  '  ldirectord [-d|--debug] [--dry-run] [--] [configfile] start|stop|restart|try-restart|reload|force-reload|status',
  '  ldirectord [-d|--debug] -t [configfile]',
  '  ldirectord [-d|--debug] --print-table [configfile]',
  '  ldirectord -h|-?|--help',
  '  ldirectord -v|--version',
  '',
  'With one argument it is the action and the config file is ldirectord.cf; the config file is looked up as',
  '/etc/ha.d/NAME, /etc/ha.d/conf/NAME, then NAME as given.',
  '',
  'status reports the daemon started by `start` (detached, with a pid file); a daemon run in the foreground',
  'with -d (or supervised=yes) writes no pid file, so status says "stopped" for it.',
  "Exit codes are ldirectord's: 0 ok, 1 config file not found (or not running, for reload), 2 config errors,",
  '3 status: stopped, 255 usage errors (as here).',
].join('\n');

export async function usageText(): Promise<string> {
  const options = await yargs([])
    .scriptName('ldirectord')
    .usage('')
    .option('debug', { alias: 'd', type: 'boolean', describe: 'Stay in the foreground, log to stderr at debug level' })
    .option('test', {
      alias: 't',
      type: 'boolean',
      describe: 'Check the config file: exit 0 if valid, else print every error and exit 2',
    })
    .option('print-table', {
      type: 'boolean',
      describe: 'Print the IPVS table the config describes (every real server up), as ipvsadm -S -n',
    })
    .option('dry-run', {
      type: 'boolean',
      describe: 'Run the action against an in-memory IPVS table, changing nothing in the kernel',
    })
    .help('help', 'Show this help')
    .alias('help', ['h', '?'])
    .version('version', 'Show the version', VERSION_BANNER)
    .alias('version', 'v')
    .wrap(110)
    .getHelp();
  return `${SYNOPSIS}\n\n${options.trim()}\n`;
}
