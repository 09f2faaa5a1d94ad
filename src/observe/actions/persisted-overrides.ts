// The daemon's operator overrides, restored from and saved to their file (override-store.ts): restored at
// start (only for real servers the config still has, each one logged), saved after every change, in order.
// A save that fails is logged and the daemon goes on: the overrides still apply until it stops.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Config } from '../../model/config';
import type { Logger } from '../log/logger';
import { labelsOfConfig } from '../metrics/target-labels';
import { createOperatorOverrides, type OperatorOverrides, type OverrideKind } from './overrides';
import { loadOverrides, saveOverrides, type OverrideFs } from './override-store';
import { canonicalTargetId } from './target-id';

export const nodeOverrideFs: OverrideFs = {
  readFile: (file) => readFile(file, 'utf8'),
  writeFile: (file, data) => writeFile(file, data, { mode: 0o600 }),
  rename: (from, to) => rename(from, to),
};

export interface PersistedOverridesOptions {
  readonly file: string;
  readonly config: Config;
  readonly logger: Pick<Logger, 'info' | 'error'>;
  readonly fs?: OverrideFs;
}

export interface PersistedOverrides {
  readonly overrides: OperatorOverrides;
  /** Resolves when every save asked for so far has finished (or failed and been logged). */
  saved(): Promise<void>;
}

export async function persistedOverrides(o: PersistedOverridesOptions): Promise<PersistedOverrides> {
  const fs = o.fs ?? nodeOverrideFs;
  const loaded = await loadOverrides(fs, o.file);
  for (const e of loaded.errors) o.logger.error(e);
  const known = new Set([...labelsOfConfig(o.config).keys()].map(canonicalTargetId));
  const initial = new Map<string, OverrideKind>();
  for (const [id, kind] of loaded.overrides) {
    if (known.has(canonicalTargetId(id))) {
      initial.set(id, kind);
      o.logger.info(`operator override restored from ${o.file}: ${id} set to ${kind}`);
    } else {
      o.logger.info(`operator override in ${o.file} dropped: ${id} is no longer configured`);
    }
  }
  let chain: Promise<void> = Promise.resolve();
  const overrides = createOperatorOverrides({
    initial,
    onChange: (state) => {
      const snapshot = new Map(state);
      chain = chain
        .then(() => saveOverrides(fs, o.file, snapshot))
        .catch((e: unknown) => o.logger.error(`${o.file}: cannot save the operator overrides: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
    },
  });
  return { overrides, saved: () => chain };
}
