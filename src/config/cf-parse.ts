// ldirectord.cf lexical structure (docs/behaviour.md §2.1) → RawDocument.
//
//   global lines      start in column 0: `name=value`; blank lines and `#` lines are skipped
//   virtual=/virtual6= (column 0) opens a section
//   section lines     indented by >= 4 columns (a tab counts 4); `#` lines inside are skipped and do not end it
//   a blank line      ends the section; an unindented line ends it too and is read as a global line
//
// Comments: `#` outside double quotes starts a comment, in sections and (unlike ldirectord) at global level too.

import type { SourceRef } from '../model/config';
import type { Diagnostics } from './diagnostics';
import type { RawDirective, RawDocument, RawSection } from './raw';

const DIRECTIVE_LINE = /^([A-Za-z0-9_-]+)[ \t]*=[ \t]*/;
const BARE_WORD = /^[A-Za-z0-9_-]+$/;

export function parseCf(text: string, file: string, diags: Diagnostics): RawDocument {
  const globals: RawDirective[] = [];
  const sections: RawSection[] = [];
  let section: RawSection | undefined;

  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n'); // a UTF-8 BOM is not content
  for (let i = 0; i < lines.length; i++) {
    const line = stripCr(lines[i] ?? '');
    const lineNo = i + 1;
    const body = line.replace(/^[ \t]+/, '');
    const lead = line.length - body.length;
    const isBlank = body.trim() === '';

    if (section) {
      if (isBlank) {
        section = undefined;
        continue;
      }
      if (body.startsWith('#')) continue;
      if (indentWidth(line) >= 4) {
        const d = parseDirectiveLine(line, lead, file, lineNo, diags);
        if (d) section.directives.push(d);
        continue;
      }
      section = undefined; // an unindented line ends the section and is a global line
    }

    if (isBlank || body.startsWith('#')) continue;
    if (lead > 0) {
      diags.error('E_SYNTAX', indentedGlobalMessage(body), { file, line: lineNo, col: 1 });
      continue;
    }
    const d = parseDirectiveLine(line, 0, file, lineNo, diags);
    if (!d) continue;
    if (d.name === 'virtual' || d.name === 'virtual6') {
      section = { opener: d, directives: [] };
      sections.push(section);
    } else {
      globals.push(d);
    }
  }
  return { file, globals, sections };
}

function indentedGlobalMessage(body: string): string {
  const looksLikeDirective = DIRECTIVE_LINE.test(body);
  return looksLikeDirective
    ? 'indented line outside a virtual section (a blank line ends a section; global directives start in column 0)'
    : `cannot parse line: ${JSON.stringify(truncate(body))}`;
}

function parseDirectiveLine(
  line: string,
  lead: number,
  file: string,
  lineNo: number,
  diags: Diagnostics,
): RawDirective | undefined {
  const body = line.slice(lead);
  const at: SourceRef = { file, line: lineNo, col: lead + 1 };
  const m = DIRECTIVE_LINE.exec(body);
  if (!m) {
    const word = stripComment(body).trim();
    if (BARE_WORD.test(word)) {
      // `supervised` alone is ldirectord's one bare directive; the value reader decides what a bare word means.
      return { name: word, text: '', unquoted: false, at, valueAt: at, bare: true };
    }
    diags.error('E_SYNTAX', `expected name=value, found ${JSON.stringify(truncate(body))}`, at);
    return undefined;
  }
  const name = m[1] ?? '';
  const valueStart = lead + m[0].length;
  const value = stripComment(line.slice(valueStart)).replace(/[ \t]+$/, '');
  return { name, text: value, unquoted: false, at, valueAt: { file, line: lineNo, col: valueStart + 1 } };
}

/** Cut at the first `#` that is not inside double quotes. */
export function stripComment(s: string): string {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return s.slice(0, i);
  }
  return s;
}

function indentWidth(line: string): number {
  let w = 0;
  for (const c of line) {
    if (c === ' ') w += 1;
    else if (c === '\t') w += 4;
    else break;
  }
  return w;
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

export function truncate(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
