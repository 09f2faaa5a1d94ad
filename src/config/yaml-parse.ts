// conf.d YAML virtual-service files → the same RawSection a `.cf` section gives, so both formats share one
// validation path and give the same model. Positions come from the yaml package's LineCounter.
//
//   virtual: 127.0.0.1:80          # or virtual6: "[::1]:80", or a firewall mark number
//   service: http
//   request: /index.html           # no quotes needed: strings are strings
//   real:
//     - 127.0.0.2:80 gate 2        # the .cf real= syntax, or a mapping:
//     - { address: 127.0.0.3, port: 80, forward: masq, weight: 1, request: /health, receive: ok, lower: 0, upper: 100 }
//
// Shape documented in schema/virtual-service.schema.json and docs/config.md.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
import type { RawDirective, RawSection } from './raw';

const LISTS = new Set(['emailalert', 'emailalertstatus', 'schedflags']);
const REAL_KEYS = new Set(['address', 'to', 'port', 'forward', 'weight', 'request', 'receive', 'lower', 'upper']);

/** @public loaded with require() (lazily), which knip does not follow */
export function parseYamlVirtual(text: string, file: string, diags: Diagnostics): RawSection | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number | undefined): SourceRef => {
    const p = lc.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) diags.error('E_YAML_SYNTAX', e.message.split('\n')[0] ?? e.message, pos(e.pos[0]));
    return undefined;
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
    diags.warn('W_EMPTY_FRAGMENT', 'no virtual service in this conf.d file', pos(0));
    return undefined;
  }
  if (!isMap(root)) {
    diags.error('E_YAML_SHAPE', 'expected a mapping of directives (virtual: ..., real: [...])', pos(root.range?.[0]));
    return undefined;
  }
  const at = (n: Node | null | undefined): SourceRef => pos(n?.range?.[0]);
  let opener: RawDirective | undefined;
  let openerKeySeen = false;
  const directives: RawDirective[] = [];
  let ok = true;
  for (const pair of root.items as Pair<Node | null, Node | null>[]) {
    const keyNode = pair.key;
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
      diags.error('E_YAML_SHAPE', 'directive names must be plain strings', at(keyNode));
      ok = false;
      continue;
    }
    const name = keyNode.value;
    const keyAt = at(keyNode);
    const valueAt = pair.value ? at(pair.value) : keyAt;
    const value = pair.value;
    if (name === 'virtual' || name === 'virtual6') {
      openerKeySeen = true;
      const s = scalarText(value);
      if (s === undefined) {
        diags.error('E_YAML_SHAPE', `${name} must be ADDRESS:PORT or a firewall mark`, valueAt);
        ok = false;
        continue;
      }
      if (opener) {
        diags.error('E_YAML_SHAPE', 'one virtual service per file: virtual/virtual6 given twice', keyAt);
        ok = false;
        continue;
      }
      opener = { name, text: s, unquoted: true, at: keyAt, valueAt };
      continue;
    }
    if ((name === 'real' || name === 'real6') && isSeq(value)) {
      for (const item of value.items as (Node | null)[]) {
        const text = isMap(item) ? realFromMap(name, item, at, diags) : scalarText(item);
        if (text === undefined) {
          if (!isMap(item))
            diags.error('E_YAML_SHAPE', `${name} items must be "ADDRESS:PORT gate ..." strings or mappings`, at(item));
          ok = false;
          continue;
        }
        directives.push({ name, text, unquoted: false, at: at(item), valueAt: at(item) });
      }
      continue;
    }
    if (LISTS.has(name) && isSeq(value)) {
      const parts = (value.items as (Node | null)[]).map(scalarText);
      if (parts.some((p) => p === undefined)) {
        diags.error('E_YAML_SHAPE', `${name} must be a list of plain values`, valueAt);
        ok = false;
        continue;
      }
      directives.push({ name, text: parts.join(','), unquoted: true, at: keyAt, valueAt });
      continue;
    }
    const s = scalarText(value);
    if (s === undefined) {
      diags.error('E_YAML_SHAPE', `${name} must be a single value (string, number or true/false)`, valueAt);
      ok = false;
      continue;
    }
    directives.push({ name, text: s, unquoted: true, at: keyAt, valueAt });
  }
  if (!opener) {
    if (openerKeySeen) return undefined;
    diags.error('E_YAML_SHAPE', 'missing virtual: (or virtual6:) key', pos(root.range?.[0]));
    return undefined;
  }
  return ok ? { opener, directives } : undefined;
}

/** Scalars as .cf text: booleans become yes/no, numbers their decimal text; null and collections → undefined. */
function scalarText(n: Node | null | undefined): string | undefined {
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A structured real server → the equivalent .cf `real=` text. */
function realFromMap(
  name: string,
  map: Node,
  at: (n: Node | null | undefined) => SourceRef,
  diags: Diagnostics,
): string | undefined {
  if (!isMap(map)) return undefined;
  const f = new Map<string, string>();
  for (const pair of map.items as Pair<Node | null, Node | null>[]) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = scalarText(pair.value);
    if (!REAL_KEYS.has(k)) {
      diags.error(
        'E_YAML_SHAPE',
        `${name}: unknown key ${JSON.stringify(k)} (known: ${[...REAL_KEYS].join(', ')})`,
        at(pair.key),
      );
      return undefined;
    }
    if (v === undefined || v.includes('"') || (/\s/.test(v) && k !== 'request' && k !== 'receive')) {
      diags.error(
        'E_YAML_SHAPE',
        `${name}: ${k} must be a plain value without double quotes`,
        at(pair.value ?? pair.key),
      );
      return undefined;
    }
    f.set(k, v);
  }
  const address = f.get('address');
  const forward = f.get('forward');
  if (address === undefined || forward === undefined) {
    diags.error('E_YAML_SHAPE', `${name}: a real server mapping needs address and forward`, at(map));
    return undefined;
  }
  if (f.has('request') !== f.has('receive')) {
    diags.error('E_YAML_SHAPE', `${name}: request and receive go together`, at(map));
    return undefined;
  }
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  let text =
    host + (f.has('to') ? `->${f.get('to')}` : '') + (f.has('port') ? `:${f.get('port')}` : '') + ` ${forward}`;
  if (f.has('weight')) text += ` ${f.get('weight')}`;
  if (f.has('request')) text += ` "${f.get('request')}", "${f.get('receive')}"`;
  if (f.has('lower')) text += ` l:${f.get('lower')}`;
  if (f.has('upper')) text += ` u:${f.get('upper')}`;
  return text;
}
