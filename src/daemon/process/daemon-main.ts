// Entry point of the detached daemon child that `ldirectord start` spawns (daemonize.ts). Parses the internal
// arguments, runs the daemon, reports readiness over IPC, and exits with runDaemon's status. An unexpected
// exception is logged and turned into a graceful stop (crash-guard.ts), so the cleanup still runs.

import { guardProcess } from './crash-guard';
import { applyHeapFlags } from './heap-flags';
import { parseDaemonArgs } from './daemon-args';
import type { DirectorStarter, Readiness } from './collaborators';
import { ipcReadiness } from './readiness';
import { runDaemon } from './run-daemon';
import { systemDaemonDeps, systemDirectorStarter } from './system';

/** What an entry point may put in place of the real parts: tests start this same main with a stand-in
 * director from their own entry file (test/daemon/fixtures/fake-daemon-main.ts), never through argv. */
export interface DaemonMainParts {
  readonly startDirector?: DirectorStarter;
}

export async function daemonMain(argv: readonly string[], parts: DaemonMainParts = {}): Promise<number> {
  let readiness: Readiness = ipcReadiness(process);
  try {
    const args = parseDaemonArgs(argv);
    const deps = systemDaemonDeps({
      debug: false,
      foreground: false,
      dryRun: args.dryRun,
      configArg: args.configArg,
      startDirector: parts.startDirector ?? systemDirectorStarter(),
      readiness,
      self: args.self,
    });
    readiness = deps.readiness;
    guardProcess(process, deps.log);
    return await runDaemon(
      {
        configArg: args.configArg,
        configFile: args.configFile,
        mode: 'daemon',
        dryRun: args.dryRun,
        runDir: args.runDir,
        procRoot: args.procRoot,
      },
      deps,
    );
  } catch (e) {
    readiness.failed(1, (e as Error).message);
    return 1;
  }
}

/** Runs daemonMain as this process's main and exits with its status. */
export function runAsMain(parts: DaemonMainParts = {}): void {
  void daemonMain(process.argv.slice(2), parts).then((code) => {
    process.exitCode = code;
    // Whatever is still open (a hung socket of a finished check) must not keep a stopped daemon alive.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) {
  applyHeapFlags();
  runAsMain();
}
