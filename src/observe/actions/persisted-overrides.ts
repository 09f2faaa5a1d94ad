// The daemon's operator overrides, restored from and saved to their file (override-store.ts): restored at
// start (only for real servers the config still has, each one logged). An operator's change (`change`) is
// saved durably before it takes effect: a save that fails rejects with the reason and changes nothing, so the
// action answers an error instead of a success the daemon would forget at its next start. Forgetting the
// overrides of real servers a reload removed (`retain`) is saved best-effort, in order, and a failure logged.
import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { Config } from '../../model/config';
import type { Logger } from '../log/logger';
import { labelsOfConfig } from '../metrics/target-labels';
import { createOperatorOverrides, type OperatorOverrides, type OverrideKind } from './overrides';
import { loadOverrides, saveOverrides, type OverrideFs } from './override-store';
import { canonicalTargetId } from './target-id';

async function writeSynced(file: string, data: string): Promise<void> {
  const h = await open(file, 'w', 0o600);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

export const nodeOverrideFs: OverrideFs = {
  readFile: (file) => readFile(file, 'utf8'),
  writeFile: writeSynced,
  rename: (from, to) => rename(from, to),
  syncDir,
  unlink: (file) => unlink(file),
};

const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export interface PersistedOverridesOptions {
  readonly file: string;
  readonly config: Config;
  readonly logger: Pick<Logger, 'info' | 'error'>;
  readonly fs: OverrideFs;
}

export interface PersistedOverrides {
  readonly overrides: OperatorOverrides;
  /** Resolves when every save asked for so far has finished (or failed and been logged). */
  saved(): Promise<void>;
}

export async function persistedOverrides(o: PersistedOverridesOptions): Promise<PersistedOverrides> {
  const { fs } = o;
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
    persist: (next) => {
      const saving = chain.then(() => saveOverrides(fs, o.file, next));
      chain = saving.catch(() => undefined);
      return saving.catch((e: unknown) => {
        throw new Error(`${o.file}: cannot save the operator overrides (${reason(e)}); nothing changed`, { cause: e });
      });
    },
    onChange: (state) => {
      const snapshot = new Map(state);
      chain = chain
        .then(() => saveOverrides(fs, o.file, snapshot))
        .catch((e: unknown) => o.logger.error(`${o.file}: cannot save the operator overrides: ${reason(e)}`));
    },
  });
  return { overrides, saved: () => chain };
}
