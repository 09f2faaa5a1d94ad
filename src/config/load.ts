// Loading a configuration: read → parse → validate → freeze. Pure apart from the injected readFile, readdir
// and resolver. Never throws for bad input: every problem comes back as a Diagnostic, all in one run, and a
// failed load returns no config at all (so a reloading daemon keeps its old config whole).

import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config, Diagnostic, VirtualService } from '../model/config';
import { parseCf } from './cf-parse';
import { ConfigFileError, readConfigFile } from './read-file';
import { Diagnostics, formatDiagnostic } from './diagnostics';
import { deepFreeze } from './freeze';
import { buildGlobal, type GlobalContext } from './global-build';
import type { RawSection } from './raw';
import { systemResolver, type Resolver } from './resolver';
import { readScope } from './scope';
import { countingResolver, globalKey, sectionKey, type BuiltSection, type SectionMemo } from './section-memo';
import { buildVirtual } from './virtual-build';

export type { Resolver } from './resolver';
export { formatDiagnostic };

export type LoadResult = { ok: true; config: Config } | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

export interface LoadDeps {
  resolver?: Resolver;
  readFile?: (p: string) => Promise<string>;
  readdir?: (p: string) => Promise<string[]>;
}

/** Only regular files, size-capped, never a blocking open (src/config/read-file.ts). */
const defaultReadFile = (p: string): Promise<string> => readConfigFile(p);
const defaultReaddir = (p: string): Promise<string[]> => fs.readdir(p);

export async function loadConfig(path: string, deps: LoadDeps = {}): Promise<LoadResult> {
  return (await loadRemembering(path, deps, undefined, false)).result;
}

/**
 * A loader for a daemon's successive loads of its config: each good load remembers the sections it built, and
 * the next load takes over every section that is unchanged (section-memo.ts). The same results as loadConfig.
 */
export function createConfigLoader(deps: LoadDeps = {}): (path: string) => Promise<LoadResult> {
  let memo: SectionMemo | undefined;
  return async (path) => {
    const { result, built } = await loadRemembering(path, deps, memo, true);
    if (result.ok) memo = built;
    return result;
  };
}

async function loadRemembering(
  path: string,
  deps: LoadDeps,
  memo: SectionMemo | undefined,
  remember: boolean,
): Promise<{ result: LoadResult; built: SectionMemo | undefined }> {
  const diags = new Diagnostics();
  const io = {
    resolver: deps.resolver ?? systemResolver(),
    readFile: deps.readFile ?? defaultReadFile,
    readdir: deps.readdir ?? defaultReaddir,
  };
  let config: Config | undefined;
  let built: SectionMemo | undefined;
  try {
    ({ config, built } = await load(path, io, diags, memo, remember));
  } catch (e) {
    // Only a defect of ours can get here; it is still reported as a diagnostic, never thrown at the caller.
    const what = e instanceof Error ? e.message : String(e);
    diags.error('E_INTERNAL', `unexpected failure while loading: ${what}`, { file: path, line: 1, col: 1 });
  }
  if (diags.failed || !config) {
    const errors = inFileOrder(diags.errors, path);
    const more = diags.dropped.errors;
    if (more > 0) {
      const last = errors[errors.length - 1]?.source ?? { file: path, line: 1, col: 1 };
      errors.push({
        severity: 'error',
        code: 'E_MORE_ERRORS',
        message: `... and ${more} more error${more === 1 ? '' : 's'} (only the first ${errors.length} are listed)`,
        source: last,
      });
    }
    return { result: { ok: false, errors, warnings: inFileOrder(diags.warnings, path) }, built: undefined };
  }
  return { result: { ok: true, config }, built };
}

/** Main file first, then conf.d files by name; within a file by line and column. */
function inFileOrder(list: readonly Diagnostic[], mainPath: string): Diagnostic[] {
  const rank = (d: Diagnostic): string => (d.source.file === mainPath ? '' : `\u0001${d.source.file}`);
  return [...list].sort((a, b) => {
    const fa = rank(a);
    const fb = rank(b);
    if (fa !== fb) return fa < fb ? -1 : 1;
    return a.source.line - b.source.line || a.source.col - b.source.col;
  });
}

type Io = Required<LoadDeps>;

async function load(
  path: string,
  io: Io,
  diags: Diagnostics,
  memo: SectionMemo | undefined,
  remember: boolean,
): Promise<{ config: Config | undefined; built: SectionMemo | undefined }> {
  const text = await readText(path, io, diags);
  if (text === undefined) return { config: undefined, built: undefined };
  const doc = parseCf(text, path, diags);
  const counting = countingResolver(io.resolver);
  const g = await buildGlobal(readScope(doc.globals, 'global', diags), counting.resolver, diags);
  // Sections are taken over only under the same global lines, read without the resolver (section-memo.ts);
  // a one-off load (loadConfig) neither takes over nor remembers.
  const gkey = remember && counting.calls() === 0 ? globalKey(path, doc.globals) : undefined;
  const reusable = gkey !== undefined && memo?.globalKey === gkey ? memo.sections : undefined;
  const remembered = new Map<string, BuiltSection>();
  const sections: RawSection[] = [...doc.sections, ...(await confdSections(path, g, io, diags))];

  const virtuals: VirtualService[] = [];
  const seen = new Map<string, VirtualService>();
  for (const section of sections) {
    const key = gkey === undefined ? undefined : sectionKey(section);
    const v = await buildOrReuse(section, key, reusable, remembered, g, counting, diags);
    if (!v) continue;
    const first = seen.get(v.id);
    if (first) {
      diags.error(
        'E_DUPLICATE_VIRTUAL',
        `duplicate virtual server ${v.id} (first defined at ${first.source.file}:${first.source.line})`,
        section.opener.at,
      );
      continue;
    }
    seen.set(v.id, v);
    virtuals.push(v);
  }
  if (diags.failed) return { config: undefined, built: undefined };
  const config = deepFreeze({
    file: resolve(path),
    global: g.global,
    virtuals,
    warnings: inFileOrder(diags.warnings, path),
  });
  return { config, built: gkey === undefined ? undefined : { globalKey: gkey, sections: remembered } };
}

/** The section's virtual: the last good load's when the section is unchanged, else built (and remembered). */
async function buildOrReuse(
  section: RawSection,
  key: string | undefined,
  reusable: ReadonlyMap<string, BuiltSection> | undefined,
  remembered: Map<string, BuiltSection>,
  g: GlobalContext,
  counting: ReturnType<typeof countingResolver>,
  diags: Diagnostics,
): Promise<VirtualService | undefined> {
  const hit = key === undefined ? undefined : reusable?.get(key);
  if (hit !== undefined && key !== undefined) {
    for (const w of hit.warnings) diags.replay(w);
    remembered.set(key, hit);
    return hit.virtual;
  }
  const calls = counting.calls();
  const warned = diags.warningCount;
  const kept = diags.warnings.length;
  const v = await buildVirtual(section, g, counting.resolver, diags);
  const asked = counting.calls() !== calls;
  const allKept = diags.warnings.length - kept === diags.warningCount - warned;
  if (v !== undefined && key !== undefined && !asked && allKept)
    remembered.set(key, { virtual: v, warnings: diags.warnings.slice(kept) });
  return v;
}

async function readText(path: string, io: Io, diags: Diagnostics): Promise<string | undefined> {
  try {
    return await io.readFile(path);
  } catch (e) {
    if (e instanceof ConfigFileError) diags.error(e.code, e.message, { file: path, line: 1, col: 1 });
    else diags.error('E_IO', `cannot read ${path}: ${errText(e)}`, { file: path, line: 1, col: 1 });
    return undefined;
  }
}

const FRAGMENT = /\.(cf|ya?ml)$/;

/** The virtual sections of conf.d: `*.cf` fragments and `*.yaml`/`*.yml` files, in name order. */
async function confdSections(mainPath: string, g: GlobalContext, io: Io, diags: Diagnostics): Promise<RawSection[]> {
  if (!g.confdir) return [];
  const dir = resolve(dirname(mainPath), g.confdir.path);
  let names: string[];
  try {
    names = await io.readdir(dir);
  } catch (e) {
    diags.error('E_IO', `confdir: cannot read directory ${dir}: ${errText(e)}`, g.confdir.at);
    return [];
  }
  const out: RawSection[] = [];
  for (const name of names.filter((n) => FRAGMENT.test(n) && !n.startsWith('.')).sort(byCodeUnits)) {
    const file = join(dir, name);
    if (resolve(file) === resolve(mainPath)) continue; // confdir=. : the main file is not its own fragment
    const text = await readText(file, io, diags);
    if (text === undefined) continue;
    if (name.endsWith('.cf')) out.push(...cfFragment(text, file, diags));
    else {
      // The yaml library is loaded with the first YAML file: a .cf-only setup does not pay its start-up.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy loading
      const section = (require('./yaml-parse') as typeof import('./yaml-parse')).parseYamlVirtual(text, file, diags);
      if (section) out.push(section);
    }
  }
  return out;
}

function cfFragment(text: string, file: string, diags: Diagnostics): RawSection[] {
  const doc = parseCf(text, file, diags);
  for (const d of doc.globals) {
    diags.error(
      'E_FRAGMENT',
      `${d.name}: global directives are not allowed in a conf.d fragment (put them in the main file)`,
      d.at,
    );
  }
  if (doc.sections.length === 0) {
    diags.warn('W_EMPTY_FRAGMENT', 'no virtual section in this conf.d file', { file, line: 1, col: 1 });
  }
  for (const extra of doc.sections.slice(1)) {
    diags.error(
      'E_FRAGMENT',
      'a conf.d fragment holds exactly one virtual section; put this one in a file of its own',
      extra.opener.at,
    );
  }
  return doc.sections.slice(0, 1);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e) return String((e as { code: unknown }).code);
  return e instanceof Error ? e.message : String(e);
}
