// A daemon's loader (createConfigLoader) takes over the virtuals of unchanged sections from its last good load
// (src/config/section-memo.ts): the same frozen objects, the same warnings; its results always equal a fresh
// loadConfig of the same files.
import { parseCf } from '../../src/config/cf-parse';
import { Diagnostics } from '../../src/config/diagnostics';
import { createConfigLoader, loadConfig, type LoadResult } from '../../src/config/load';
import type { Config } from '../../src/model/config';
import { fakeResolver, MAIN, memFs } from './helpers';

const A = ['virtual=192.0.2.1:80', '\treal=192.0.2.10:80 masq 1', '\treal=192.0.2.11:80 masq 2', '\trequest="/a"', ''];
const B = ['virtual=192.0.2.2:80', '\treal=192.0.2.20:80 masq 1', '\treal=192.0.2.20:80 masq 3', ''];
const C = ['virtual=192.0.2.3:80', '\treal=web1.example:80 gate', ''];

/** A loader over a file system whose main file the test rewrites; `resolver` counts name lookups. */
function daemonLoader(): {
  load: (text: string) => Promise<LoadResult>;
  fresh: (text: string) => Promise<LoadResult>;
  lookups: string[];
} {
  const files: Record<string, string> = {};
  const resolver = fakeResolver();
  const deps = { resolver, ...memFs(files) };
  const loader = createConfigLoader(deps);
  return {
    load: (text) => ((files[MAIN] = text), loader(MAIN)),
    fresh: (text) => ((files[MAIN] = text), loadConfig(MAIN, { resolver: fakeResolver(), ...memFs(files) })),
    lookups: resolver.lookups,
  };
}

const okConfig = (r: LoadResult): Config => {
  if (!r.ok) throw new Error(`expected the config to load: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.config;
};

describe('createConfigLoader', () => {
  it('hands back the same virtual for an unchanged section, and builds the changed one again', async () => {
    const d = daemonLoader();
    const first = okConfig(await d.load(['checkinterval=5', '', ...A, ...B].join('\n')));
    const changedB = ['virtual=192.0.2.2:80', '\treal=192.0.2.20:80 masq 1', '\treal=192.0.2.20:80 masq 4', ''];
    const text = ['checkinterval=5', '', ...A, ...changedB].join('\n');
    const second = okConfig(await d.load(text));
    expect(second.virtuals[0]).toBe(first.virtuals[0]);
    expect(second.virtuals[1]).not.toBe(first.virtuals[1]);
    expect(second.virtuals[1]?.reals[1]?.weight).toBe(4);
    expect(second).toEqual(okConfig(await d.fresh(text)));
    expect(Object.isFrozen(second.virtuals[1]?.reals[1])).toBe(true);
  });

  it('gives a reused section its warnings again', async () => {
    const d = daemonLoader();
    const text = ['', ...A, ...B].join('\n');
    const first = okConfig(await d.load(text));
    expect(first.warnings.map((w) => w.code)).toEqual(['W_DUPLICATE_REAL']);
    const second = okConfig(await d.load(text));
    expect(second.virtuals[1]).toBe(first.virtuals[1]);
    expect(second.warnings).toEqual(first.warnings);
  });

  it('builds every section again when a global line changes', async () => {
    const d = daemonLoader();
    const first = okConfig(await d.load(['checkinterval=5', '', ...A].join('\n')));
    const text = ['checkinterval=7', '', ...A].join('\n');
    const second = okConfig(await d.load(text));
    expect(second.virtuals[0]).not.toBe(first.virtuals[0]);
    expect(second.virtuals[0]?.checkinterval).toBe(7);
    expect(second).toEqual(okConfig(await d.fresh(text)));
  });

  it('builds a section again when it moved to another line (its sources are new)', async () => {
    const d = daemonLoader();
    const first = okConfig(await d.load(['', ...A, ...B].join('\n')));
    const text = ['', ...B, ...A].join('\n');
    const second = okConfig(await d.load(text));
    expect(second.virtuals[1]).not.toBe(first.virtuals[0]);
    expect([first.virtuals[0]?.source.line, second.virtuals[1]?.source.line]).toEqual([2, 6]);
    expect(second).toEqual(okConfig(await d.fresh(text)));
  });

  it('resolves a section with a host name again on every load', async () => {
    const d = daemonLoader();
    const text = ['', ...A, ...C].join('\n');
    const first = okConfig(await d.load(text));
    expect(d.lookups).toEqual(['web1.example/inet']);
    const second = okConfig(await d.load(text));
    expect(d.lookups).toEqual(['web1.example/inet', 'web1.example/inet']);
    expect(second.virtuals[0]).toBe(first.virtuals[0]);
    expect(second.virtuals[1]).not.toBe(first.virtuals[1]);
  });

  it('keeps what it remembered across a load that fails', async () => {
    const d = daemonLoader();
    const text = ['', ...A].join('\n');
    const first = okConfig(await d.load(text));
    expect((await d.load(['', ...A, 'bogus line'].join('\n'))).ok).toBe(false);
    const third = okConfig(await d.load(text));
    expect(third.virtuals[0]).toBe(first.virtuals[0]);
  });
});

describe('parseCf: a section as written', () => {
  it('runs from its opener to its last line, comment lines inside included, the ending blank line not', () => {
    const text = [
      'quiescent=no',
      'virtual=192.0.2.1:80',
      '\treal=192.0.2.10:80 masq',
      '\t# note',
      '\tscheduler=rr',
      '',
      'virtual=192.0.2.2:80',
      '\treal=192.0.2.20:80 masq\r',
      'checkinterval=3',
    ].join('\n');
    const doc = parseCf(text, MAIN, new Diagnostics());
    expect(doc.sections.map((s) => s.written)).toEqual([
      { line: 2, text: 'virtual=192.0.2.1:80\n\treal=192.0.2.10:80 masq\n\t# note\n\tscheduler=rr' },
      { line: 7, text: 'virtual=192.0.2.2:80\n\treal=192.0.2.20:80 masq\r' },
    ]);
    expect(doc.globals.map((d) => d.name)).toEqual(['quiescent', 'checkinterval']);
  });
});
