// Usage and version text. yargs renders the option list from the table it parses with (options.ts); the
// synopsis is ldirectord's grammar (args.ts).

import yargs from 'yargs/yargs';
import { VERSION_LINE } from '../model/version';
import { DEFAULT_USERS_FILE, PASSWD_OPTIONS, withOptions } from './options';

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
  '  ldirectord passwd [--file FILE] USER',
  '  ldirectord completion',
  '',
  'With one argument it is the action and the config file is ldirectord.cf; the config file is looked up as',
  '/etc/ha.d/NAME, /etc/ha.d/conf/NAME, then NAME as given.',
  '',
  'status reports the daemon started by `start` (detached, with a pid file); a daemon run in the foreground',
  'with -d (or supervised=yes) writes no pid file, so status says "stopped" for it.',
  "Exit codes are ldirectord's: 0 ok, 1 config file not found (or not running, for reload), 2 config errors,",
  '3 status: stopped, 255 usage errors (as here).',
  '',
  `passwd writes USER's statususers line (scrypt, PHC form) into FILE (default ${DEFAULT_USERS_FILE}); the`,
  'password is read from the terminal without echo, or from the first line of standard input.',
  'completion prints a bash completion script: ldirectord completion > /etc/bash_completion.d/ldirectord',
].join('\n');

export async function usageText(): Promise<string> {
  const options = await withOptions(yargs([]).scriptName('ldirectord').usage('')).wrap(110).getHelp();
  return `${SYNOPSIS}\n\n${options.trim()}\n`;
}

const PASSWD_SYNOPSIS = [
  'Usage: ldirectord passwd [--file FILE] USER',
  '',
  `Writes USER:HASH into FILE (default ${DEFAULT_USERS_FILE}), replacing USER's line and keeping every other`,
  'line; the file is replaced atomically with mode 0600 (owner and group kept). HASH is scrypt in PHC form,',
  '$scrypt$ln=14,r=8,p=1$SALT$HASH. The password is read from the terminal without echo (asked twice), or from',
  'the first line of standard input when it is not a terminal; never from the command line.',
  'Exit codes: 0 written, 1 not written (no password, passwords differ, I/O error), 2 FILE has a line that',
  'does not parse (nothing written), 255 usage errors.',
].join('\n');

export async function passwdUsageText(): Promise<string> {
  const options = await withOptions(yargs([]).scriptName('ldirectord').usage(''), PASSWD_OPTIONS).wrap(110).getHelp();
  return `${PASSWD_SYNOPSIS}\n\n${options.trim()}\n`;
}
