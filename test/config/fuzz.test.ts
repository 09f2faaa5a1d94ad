// Fuzzing the loader: 12,000 random and mutated configs (main files and conf.d .cf/YAML files) from a seeded
// PRNG, so every run sees the same inputs. The loader must only ever answer with diagnostics of the catalogue:
// it never throws, never reports E_INTERNAL (a defect of ours), and every diagnostic has a position.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, WARNING_CODES } from '../../src/config/codes';
import { formatDiagnostic, loadConfig, type LoadResult } from '../../src/config/load';
import { DIRECTIVES } from '../../src/config/directives';
import { fakeResolver, memFs } from './helpers';

const root = join(__dirname, '..', '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  read('test/fixtures/config/debian-sample.cf'),
  read('conf.d/example.cf').replace('confdir=services', 'confdir=d'),
  read('conf.d/services/10-http-fallback.cf'),
  read('conf.d/services/40-fwmark.cf'),
  'virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::10]:80 masq 2 "a", "b" l:1 u:2\n\tfallback6=[::1]\n',
  'fallback=127.0.0.1\nvirtual=7\n\treal=192.0.2.1->192.0.2.9 gate\n\tchecktype=3\n',
];
const YAML_SEEDS = [
  read('conf.d/services/20-https-virtualhost.yaml'),
  read('conf.d/services/30-dns-udp.yaml'),
  read('conf.d/services/50-ipv6.yaml'),
];
const ALPHABET = ' \t\n"#:=[]->,.0123456789abcdefglmpqruvwxyz:/\\{}\'*&!|%@';
const VALUES = [
  '',
  '0',
  '1',
  '65535',
  '65536',
  '-1',
  '99999999999999999999',
  'yes',
  'no',
  '"x"',
  '"',
  'gate',
  'masq',
  '192.0.2.1',
  '192.0.2.1:80',
  '[::1]:80',
  '[::1',
  'web1.example',
  'a->b',
  '127.0.0.1->127.0.0.255',
  '0.0.0.0->255.255.255.255',
  'sh-port',
  'all,none',
  '\u00e9\u0000',
  'x'.repeat(300),
];
const NAMES = [...DIRECTIVES.map((d) => d.name), 'virtual', 'virtual6', 'Virtual', 'realx', ''];

function mutate(rand: () => number, text: string, yaml: boolean): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let s = text;
  const rounds = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < rounds; i++) {
    const pos = Math.floor(rand() * (s.length + 1));
    const lines = s.split('\n');
    const li = Math.floor(rand() * lines.length);
    switch (Math.floor(rand() * 8)) {
      case 0: // delete a span
        s = s.slice(0, pos) + s.slice(pos + 1 + Math.floor(rand() * 8));
        break;
      case 1: // insert random characters
        s =
          s.slice(0, pos) +
          Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick([...ALPHABET])).join('') +
          s.slice(pos);
        break;
      case 2: // duplicate a line
        lines.splice(li, 0, lines[li] ?? '');
        s = lines.join('\n');
        break;
      case 3: // swap two lines
        {
          const lj = Math.floor(rand() * lines.length);
          [lines[li], lines[lj]] = [lines[lj] ?? '', lines[li] ?? ''];
          s = lines.join('\n');
        }
        break;
      case 4: // a random directive with a random value, in or out of a section
        lines.splice(
          li,
          0,
          yaml ? `${pick(NAMES)}: ${pick(VALUES)}` : `${rand() < 0.5 ? '\t' : ''}${pick(NAMES)}=${pick(VALUES)}`,
        );
        s = lines.join('\n');
        break;
      case 5: // replace a value
        lines[li] = (lines[li] ?? '').replace(/([=:]\s*)\S+/, `$1${pick(VALUES)}`);
        s = lines.join('\n');
        break;
      case 6: // drop a line
        lines.splice(li, 1);
        s = lines.join('\n');
        break;
      default: // random bytes only
        s = Array.from({ length: Math.floor(rand() * 200) }, () => pick([...ALPHABET])).join('');
    }
  }
  return s;
}

const KNOWN = new Set([...Object.keys(ERROR_CODES), ...Object.keys(WARNING_CODES)]);
const ITERATIONS = 12000;

test(`the loader only ever returns diagnostics for ${ITERATIONS} random and mutated configs`, async () => {
  const rand = mulberry32(0x1d1ec70d);
  const resolver = fakeResolver();
  let loaded = 0;
  let refused = 0;
  const codes = new Set<string>();
  for (let i = 0; i < ITERATIONS; i++) {
    const main = mutate(rand, SEEDS[i % SEEDS.length]!, false);
    const withConfd = i % 3 === 0;
    const files: Record<string, string> = { '/etc/ha.d/f.cf': withConfd ? `confdir=d\n${main}` : main };
    if (withConfd) {
      files['/etc/ha.d/d/a.yaml'] = mutate(rand, YAML_SEEDS[i % YAML_SEEDS.length]!, true);
      files['/etc/ha.d/d/b.cf'] = mutate(rand, SEEDS[(i + 2) % SEEDS.length]!, false);
    }
    let r: LoadResult;
    try {
      r = await loadConfig('/etc/ha.d/f.cf', { resolver, ...memFs(files) });
    } catch (e) {
      throw new Error(`input #${i} threw ${String(e)}:\n${JSON.stringify(files)}`);
    }
    const diags = r.ok ? r.config.warnings : [...r.errors, ...r.warnings];
    for (const d of diags) {
      codes.add(d.code);
      if (!KNOWN.has(d.code) || d.code === 'E_INTERNAL' || !(d.source.line >= 1 && d.source.col >= 1)) {
        throw new Error(`input #${i}: ${formatDiagnostic(d)}\n${JSON.stringify(files)}`);
      }
    }
    if (r.ok) {
      loaded++;
      expect(Object.isFrozen(r.config)).toBe(true);
    } else {
      refused++;
      expect(r.errors.length).toBeGreaterThan(0);
    }
  }
  // Both paths are exercised, and most of the catalogue is reached.
  expect(loaded).toBeGreaterThan(ITERATIONS / 20);
  expect(refused).toBeGreaterThan(ITERATIONS / 20);
  expect(codes.size).toBeGreaterThan(25);
}, 120000);
