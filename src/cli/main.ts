// The `ldirectord` command: parse the command line, then run the one thing it asks for. Exit codes follow
// ldirectord (docs/behaviour.md §1.3): 0 ok, 1 config file missing, 2 config errors, 255 usage.

import { readFile as fsReadFile } from 'node:fs/promises';
import { runAction as defaultRunAction, type Action, type ActionOptions } from '../daemon/actions';
import { configCandidates, DEFAULT_CONFIG_NAME, findConfigFile } from '../config/find';
import { formatDiagnostic, loadConfig, type LoadDeps } from '../config/load';
import type { Config, Diagnostic } from '../model/config';
import { interfaceExists, syncHostProblems } from '../sync/host-check';
import { parseArgs } from './args';
import { cannotWork } from '../health/cannot-work';
import { candidates, completionScript } from './completion';
import { runPasswd, type PasswdDeps } from './passwd';
import { readPassword } from './password-input';
import { readUsersText, writeUsersAtomic } from './users-file';
import { startChecks } from './preflight';
import { printTable } from './print-table';
import { passwdUsageText, usageText, VERSION_BANNER } from './usage';

export const EXIT_USAGE = 255;
export const EXIT_CONFIG_MISSING = 1;
export const EXIT_CONFIG_ERROR = 2;

export interface MainDeps {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly exists?: (path: string) => boolean;
  readonly load?: LoadDeps;
  readonly runAction?: (action: Action, options: ActionOptions) => Promise<number>;
  /** `-t`: whether a network interface exists on this host (default: /sys/class/net). */
  readonly interfaceExists?: (name: string) => boolean;
  /** Reads the files `start` reads before it listens (status TLS and users files); `-t` reads them too. */
  readonly readFile?: (file: string) => Promise<Buffer>;
  /** `passwd`: the password source and the users file (default: the terminal or stdin, and the disk). */
  readonly passwd?: Omit<PasswdDeps, 'stderr'>;
}

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const out = deps.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = deps.stderr ?? ((s: string) => void process.stderr.write(s));
  const cmd = parseArgs(argv);
  switch (cmd.kind) {
    case 'version':
      out(`${VERSION_BANNER}\n`);
      return 0;
    case 'help':
      out(await usageText());
      return 0;
    case 'usage':
      if (cmd.message) err(`${cmd.message}\n`);
      out(await usageText());
      return EXIT_USAGE;
    case 'passwd-help':
      out(await passwdUsageText());
      return 0;
    case 'passwd-usage':
      err(`${cmd.message}\n`);
      out(await passwdUsageText());
      return EXIT_USAGE;
    case 'passwd':
      return runPasswd(cmd.user, cmd.file, {
        readPassword: () => readPassword(process.stdin, (s) => void process.stderr.write(s)),
        readText: readUsersText,
        writeAtomic: writeUsersAtomic,
        ...deps.passwd,
        stderr: err,
      });
    case 'completion-script':
      out(await completionScript());
      return 0;
    case 'complete':
      out(
        candidates(cmd.words)
          .map((c) => `${c}\n`)
          .join(''),
      );
      return 0;
    case 'action': {
      if (!findConfigFile(cmd.configArg, deps.exists)) return missing(cmd.configArg, err);
      const run = deps.runAction ?? defaultRunAction;
      return run(cmd.action, { configArg: cmd.configArg, debug: cmd.debug, dryRun: cmd.dryRun });
    }
    case 'test':
    case 'print-table': {
      const path = findConfigFile(cmd.configArg, deps.exists);
      if (!path) return missing(cmd.configArg, err);
      const result = await loadConfig(path, deps.load);
      if (!result.ok) {
        printDiagnostics([...result.errors, ...result.warnings], err);
        err(`${path}: ${result.errors.length} error(s), configuration not loaded\n`);
        return EXIT_CONFIG_ERROR;
      }
      const host = cmd.kind === 'test' ? syncHostProblems(result.config, deps.interfaceExists ?? interfaceExists) : [];
      if (host.length > 0) {
        printDiagnostics([...host, ...result.config.warnings], err);
        err(`${path}: ${host.length} error(s), configuration not loaded\n`);
        return EXIT_CONFIG_ERROR;
      }
      printDiagnostics(result.config.warnings, err);
      if (cmd.kind === 'print-table') {
        out(printTable(result.config));
        return 0;
      }
      // -t runs every check start runs before it touches anything, and says what cannot work.
      const startErrors = await startChecks(result.config, deps.readFile ?? ((f) => fsReadFile(f)));
      printDiagnostics(cannotWork(result.config), err);
      if (startErrors.length > 0) {
        for (const e of startErrors) err(`${e}\n`);
        err(`${path}: ${startErrors.length} error(s), start would refuse this configuration\n`);
        return EXIT_CONFIG_ERROR;
      }
      out(summary(path, result.config));
      return 0;
    }
  }
}

/** ldirectord's words, then the paths it looked at (in lookup order), so the operator sees where it looked. */
function missing(configArg: string | undefined, err: (s: string) => void): number {
  err(
    `Config file ${configArg ?? DEFAULT_CONFIG_NAME} not found (looked for ${configCandidates(configArg).join(', ')})\n`,
  );
  return EXIT_CONFIG_MISSING;
}

function printDiagnostics(diags: readonly Diagnostic[], err: (s: string) => void): void {
  for (const d of diags) err(`${formatDiagnostic(d)}\n`);
}

function summary(path: string, config: Config): string {
  const reals = config.virtuals.reduce((n, v) => n + v.reals.length, 0);
  return `${path}: configuration OK (${config.virtuals.length} virtual services, ${reals} real servers)\n`;
}
