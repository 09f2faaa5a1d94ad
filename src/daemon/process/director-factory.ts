// Turning a loaded config into a running director (src/daemon/director.ts): the IPVS client (in-memory for
// --dry-run, netlink otherwise; opened first, so a kernel without IPVS fails with IPVS_UNAVAILABLE), the
// health pool and its targets, the logger. Parts that another module owns
// and that may be absent from a build are loaded by name and reported clearly when missing.

import * as path from 'node:path';
import { createMemoryIpvs } from '../../ipvs/memory/table';
import { openIpvs } from '../../ipvs/open';
import type { IpvsClient } from '../../ipvs/types';
import type { HealthPoolApi, PoolTarget } from '../../health/types';
import type { Config } from '../../model/config';
import { startDirector } from '../director';
import { directorEventsFrom } from './director-events';
import type { DirectorFactory, DirectorLike } from './ports';

export class DirectorSetupError extends Error {
  readonly code = 'DIRECTOR_SETUP';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DirectorSetupError';
  }
}

/** Loads a module by path relative to src/ (or dist/); undefined when it does not exist. */
function optionalModule(relative: string): Record<string, unknown> | undefined {
  const file = path.join(__dirname, '..', '..', relative);
  try {
    require.resolve(file);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Record<string, unknown>;
}

function exported<T>(mod: Record<string, unknown> | undefined, names: readonly string[]): T | undefined {
  for (const n of names) if (mod !== undefined && typeof mod[n] === 'function') return mod[n] as T;
  return undefined;
}

export interface DirectorParts {
  ipvs(dryRun: boolean): Promise<IpvsClient>;
  pool(): HealthPoolApi;
  targets(config: Config): readonly PoolTarget[];
}

/** The parts as the rest of the tree provides them. */
export function systemDirectorParts(): DirectorParts {
  return {
    async ipvs(dryRun) {
      return dryRun ? createMemoryIpvs() : openIpvs();
    },
    pool() {
      const create = exported<() => HealthPoolApi>(optionalModule('health/pool'), ['createHealthPool', 'createPool']);
      if (create === undefined) throw new DirectorSetupError('the health-check pool is not available in this build');
      return create();
    },
    targets(config) {
      const targetsFor = exported<(c: Config) => readonly PoolTarget[]>(optionalModule('health/spec'), ['targetsFor']);
      if (targetsFor === undefined) throw new DirectorSetupError('the health-check targets (health/spec) are not available in this build');
      return targetsFor(config);
    },
  };
}

export function directorFactory(parts: DirectorParts = systemDirectorParts()): DirectorFactory {
  return async ({ config, dryRun, logger }) => {
    const ipvs = await parts.ipvs(dryRun);
    let current = config;
    try {
      const director = await startDirector({ config, ipvs, pool: parts.pool(), targets: parts.targets, logger, dryRun });
      const events = directorEventsFrom((l) => director.subscribe(l), () => current);
      const like: DirectorLike = {
        async reload(load) {
          const applied = await director.reload({ ok: true, config: load.config });
          if (!applied) throw new DirectorSetupError('the director did not accept the new configuration');
          current = load.config;
        },
        async stop() {
          try {
            await director.stop();
          } finally {
            events.dispose();
            await ipvs.close().catch(() => undefined);
          }
        },
        events,
      };
      return like;
    } catch (e) {
      await ipvs.close().catch(() => undefined);
      throw e;
    }
  };
}

/** A factory exported by a module (`createDirector`): the daemon child's test seam (--director-module). */
export function directorFromModule(file: string): DirectorFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as Record<string, unknown>;
  const f = mod.createDirector;
  if (typeof f !== 'function') throw new DirectorSetupError(`${file} does not export createDirector`);
  return f as DirectorFactory;
}
