// Reading the directives of one scope (the global lines, or one virtual section) through the directive table:
// unknown names, wrong scope and bad values are reported; the parsed values are kept by name.

import type { SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
import { allowedIn, directive, DIRECTIVES } from './directives';
import type { RawDirective } from './raw';
import type { RealSpec } from './real-parse';
import { closest } from './suggest';
import { readValue, type Value } from './values';

export interface Setting {
  readonly value: Value;
  readonly at: SourceRef;
}

export interface ScopeValues {
  readonly values: ReadonlyMap<string, Setting>;
  readonly reals: readonly RealSpec[];
  readonly execute: readonly string[];
}

export function readScope(
  directives: readonly RawDirective[],
  where: 'global' | 'virtual',
  diags: Diagnostics,
): ScopeValues {
  const values = new Map<string, Setting>();
  const reals: RealSpec[] = [];
  const execute: string[] = [];
  for (const d of directives) {
    const spec = directive(d.name);
    if (!spec) {
      const near = directive(d.name.toLowerCase())
        ? undefined
        : closest(
            d.name.toLowerCase(),
            DIRECTIVES.map((x) => x.name),
          );
      const hint = directive(d.name.toLowerCase())
        ? ` (directive names are lowercase: ${d.name.toLowerCase()})`
        : near === undefined
          ? ''
          : ` (did you mean ${near}?)`;
      const opener = d.name === 'virtual' || d.name === 'virtual6' ? ' (a virtual section must start in column 0)' : '';
      diags.error('E_UNKNOWN_DIRECTIVE', `unknown directive ${JSON.stringify(d.name)}${hint}${opener}`, d.at);
      continue;
    }
    if (!allowedIn(spec, where)) {
      const msg =
        where === 'virtual'
          ? `${spec.name} is a global directive and cannot be used inside a virtual section`
          : `${spec.name} is only valid inside a virtual section (indent it under a virtual= line)`;
      diags.error('E_WRONG_SCOPE', msg, d.at);
      continue;
    }
    const value = readValue(spec, d, diags);
    if (value === undefined) continue;
    if (spec.name === 'checkcount') {
      diags.warn('W_DEPRECATED', "checkcount is deprecated: see 'failurecount' (still used for ping attempts)", d.at);
    }
    if (spec.type === 'real') {
      reals.push(value as RealSpec);
    } else if (spec.name === 'execute') {
      execute.push(value as string);
    } else {
      const prev = values.get(spec.name);
      if (prev) {
        diags.warn(
          'W_DUPLICATE_DIRECTIVE',
          `${spec.name} given again (first at line ${prev.at.line}); the last value wins`,
          d.at,
        );
      }
      values.set(spec.name, { value, at: d.valueAt });
    }
  }
  return { values, reals, execute };
}

export function get<T extends Value>(scope: ScopeValues, name: string): T | undefined {
  return scope.values.get(name)?.value as T | undefined;
}
