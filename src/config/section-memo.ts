// What a reload can take over from the last good load: a virtual section whose every line is the same (same
// file, same line and column, same text), read under the same global lines, builds the same VirtualService,
// so the loader hands back the frozen object it built last time together with the warnings it gave then.
// At keepalived's largest scale (2,277 virtuals, 37,205 reals, docs/benchmarks.md) this is most of a reload's
// load time, and downstream the pool and the reconciler recognise an unchanged virtual by its identity.
//
// Never reused: a section, or a global scope, whose build asked the resolver anything (a host or service name
// may resolve differently now; `service`/`lookup`/`hostname` calls are counted), a section whose warnings were
// more than the loader keeps (they could not be given again), and anything from a load that failed.

import type { Diagnostic, SourceRef, VirtualService } from '../model/config';
import type { RawDirective, RawSection } from './raw';
import type { Resolver } from './resolver';

/** One section built by the last good load, keyed by sectionKey(). */
export interface BuiltSection {
  readonly virtual: VirtualService;
  readonly warnings: readonly Diagnostic[];
}

/** The sections of one good load, valid only under the same global lines (globalKey). */
export interface SectionMemo {
  readonly globalKey: string;
  readonly sections: ReadonlyMap<string, BuiltSection>;
}

const at = (s: SourceRef): string => `${s.file.length}:${s.file}${s.line}:${s.col}`;

/** Every field of a directive, length-prefixed so that no text can forge a separator. */
function directiveKey(d: RawDirective): string {
  const flags = `${d.unquoted ? 1 : 0}${d.bare === true ? 1 : 0}`;
  return `${at(d.at)}|${d.valueAt.line}:${d.valueAt.col}|${flags}|${d.name.length}:${d.name}${d.text.length}:${d.text}\n`;
}

/**
 * The identity of a section as written: a .cf section's file, opener line and exact text (cf-parse.ts), else
 * (YAML) its opener and every directive with their positions.
 */
export function sectionKey(section: RawSection): string {
  const w = section.written;
  if (w !== undefined) return `${at(section.opener.at)}\n${w.text}`;
  let key = directiveKey(section.opener);
  for (const d of section.directives) key += directiveKey(d);
  return key;
}

/** The identity of the global scope: the main file's path and every global line. */
export function globalKey(path: string, globals: readonly RawDirective[]): string {
  let key = `${path.length}:${path}\n`;
  for (const d of globals) key += directiveKey(d);
  return key;
}

/** A resolver that counts the questions asked of it, so a build that asked none can be reused. */
export function countingResolver(inner: Resolver): { readonly resolver: Resolver; calls(): number } {
  let calls = 0;
  return {
    resolver: {
      lookup: (host, family) => ((calls += 1), inner.lookup(host, family)),
      service: (name, protocol) => ((calls += 1), inner.service(name, protocol)),
      hostname: () => ((calls += 1), inner.hostname()),
    },
    calls: () => calls,
  };
}
