// Operator overrides on disk, so that a drain or maintenance set from the status page survives a restart
// of the daemon (a crash, `ldirectord restart`, systemd or heartbeat restarting it). The file sits beside the
// pid file (`ldirectord.<config>.overrides.json` in the run directory; daemon/pidfile.ts names both), so it
// shares the pid file's lifetime: a reboot clears /run, and with it the overrides.
// Format: {"version": 1, "overrides": {"<target id>": "drain" | "maintenance"}}.
// Parsing is pure (parseOverrides); loading never throws (a missing file is no overrides, an unreadable or
// broken one is reported and ignored); saving is durable before it resolves: the temporary file is written and
// fsynced, renamed over the old one, and the directory fsynced (the rename itself then survives a power cut).
// A save that fails removes its temporary file and rejects; the old file is untouched.
import { OVERRIDE_KINDS, type OverrideKind } from './overrides';

export interface OverrideFs {
  readFile(file: string): Promise<string>;
  /** Writes the whole file and fsyncs it before resolving. */
  writeFile(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** fsync of a directory: makes a rename in it durable. */
  syncDir(dir: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

export interface ParsedOverrides {
  readonly overrides: ReadonlyMap<string, OverrideKind>;
  /** One line per problem, each naming the file. */
  readonly errors: readonly string[];
}

export function parseOverrides(text: string, file: string): ParsedOverrides {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      overrides: new Map(),
      errors: [`${file}: not valid JSON (${(e as Error).message}); no operator overrides restored`],
    };
  }
  const d = doc as { version?: unknown; overrides?: unknown };
  if (
    typeof doc !== 'object' ||
    doc === null ||
    d.version !== 1 ||
    typeof d.overrides !== 'object' ||
    d.overrides === null ||
    Array.isArray(d.overrides)
  ) {
    return {
      overrides: new Map(),
      errors: [`${file}: expected {"version": 1, "overrides": {...}}; no operator overrides restored`],
    };
  }
  const overrides = new Map<string, OverrideKind>();
  const errors: string[] = [];
  for (const [id, kind] of Object.entries(d.overrides as Record<string, unknown>)) {
    if (typeof kind === 'string' && (OVERRIDE_KINDS as readonly string[]).includes(kind))
      overrides.set(id, kind as OverrideKind);
    else
      errors.push(
        `${file}: override of ${JSON.stringify(id)} is ${JSON.stringify(kind)}, not "drain" or "maintenance"; ignored`,
      );
  }
  return { overrides, errors };
}

export function serializeOverrides(overrides: ReadonlyMap<string, OverrideKind>): string {
  const sorted = [...overrides].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify({ version: 1, overrides: Object.fromEntries(sorted) }, null, 2)}\n`;
}

export async function loadOverrides(fs: OverrideFs, file: string): Promise<ParsedOverrides> {
  let text: string;
  try {
    text = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { overrides: new Map(), errors: [] };
    return {
      overrides: new Map(),
      errors: [`${file}: cannot read it (${code ?? (e as Error).message}); no operator overrides restored`],
    };
  }
  return parseOverrides(text, file);
}

/**
 * Replaces the file atomically and durably (a crash mid-write leaves the old file, never half a new one; once
 * this resolves the new content survives a crash). On failure the temporary file is removed and the error
 * rethrown: the old file still holds the old state.
 */
export async function saveOverrides(
  fs: OverrideFs,
  file: string,
  overrides: ReadonlyMap<string, OverrideKind>,
): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    await fs.writeFile(tmp, serializeOverrides(overrides));
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fs.syncDir(dirname(file));
}

function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : file.slice(0, i);
}
