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
  const diags = new Diagnostics();
  const io = {
    resolver: deps.resolver ?? systemResolver(),
    readFile: deps.readFile ?? defaultReadFile,
    readdir: deps.readdir ?? defaultReaddir,
  };
  let config: Config | undefined;
  try {
    config = await load(path, io, diags);
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
    return { ok: false, errors, warnings: inFileOrder(diags.warnings, path) };
  }
  return { ok: true, config };
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

async function load(path: string, io: Io, diags: Diagnostics): Promise<Config | undefined> {
  const text = await readText(path, io, diags);
  if (text === undefined) return undefined;
  const doc = parseCf(text, path, diags);
  const g = await buildGlobal(readScope(doc.globals, 'global', diags), io.resolver, diags);
  const sections: RawSection[] = [...doc.sections, ...(await confdSections(path, g, io, diags))];

  const virtuals: VirtualService[] = [];
  const seen = new Map<string, VirtualService>();
  for (const section of sections) {
    const v = await buildVirtual(section, g, io.resolver, diags);
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
  if (diags.failed) return undefined;
  return deepFreeze({ file: resolve(path), global: g.global, virtuals, warnings: inFileOrder(diags.warnings, path) });
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
