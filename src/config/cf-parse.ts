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

/** A section being read: its lines so far run from `start` to `end` (offsets in the text). */
interface OpenSection {
  readonly opener: RawDirective;
  readonly directives: RawDirective[];
  written?: RawSection['written'];
  readonly start: number;
  end: number;
}

export function parseCf(text: string, file: string, diags: Diagnostics): RawDocument {
  const globals: RawDirective[] = [];
  const sections: OpenSection[] = [];
  let section: OpenSection | undefined;
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text; // a UTF-8 BOM is not content

  const lines = content.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineStart = offset;
    offset += raw.length + 1;
    const line = stripCr(raw);
    const lineNo = i + 1;
    // The leading blanks, and their width (a tab counts 4).
    let lead = 0;
    let width = 0;
    for (; lead < line.length; lead += 1) {
      const c = line.charCodeAt(lead);
      if (c !== 32 && c !== 9) break;
      width += c === 9 ? 4 : 1;
    }
    const isBlank = lead === line.length || isBlankFrom(line, lead);
    const isComment = !isBlank && line.charCodeAt(lead) === 35; // '#'

    if (section) {
      if (isBlank) {
        section = close(section, content);
        continue;
      }
      if (isComment) {
        section.end = lineStart + raw.length;
        continue;
      }
      if (width >= 4) {
        const d = parseDirectiveLine(line, lead, file, lineNo, diags);
        if (d) section.directives.push(d);
        section.end = lineStart + raw.length;
        continue;
      }
      section = close(section, content); // an unindented line ends the section and is a global line
    }

    if (isBlank || isComment) continue;
    if (lead > 0) {
      diags.error('E_SYNTAX', indentedGlobalMessage(line.slice(lead)), { file, line: lineNo, col: 1 });
      continue;
    }
    const d = parseDirectiveLine(line, 0, file, lineNo, diags);
    if (!d) continue;
    if (d.name === 'virtual' || d.name === 'virtual6') {
      section = { opener: d, directives: [], start: lineStart, end: lineStart + raw.length };
      sections.push(section);
    } else {
      globals.push(d);
    }
  }
  close(section, content);
  return { file, globals, sections };
}

/** A section ends: its text as written is known. */
function close(section: OpenSection | undefined, content: string): undefined {
  if (section !== undefined)
    section.written = { line: section.opener.at.line, text: content.slice(section.start, section.end) };
  return undefined;
}

/** Whether the line is blank from `from` on (as String.prototype.trim sees blanks). */
function isBlankFrom(line: string, from: number): boolean {
  const c = line.charCodeAt(from);
  if (c > 32 && c < 127) return false; // the common case: printable ASCII
  return line.slice(from).trim() === '';
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
  const value = trimEndBlanks(stripComment(line.slice(valueStart)));
  return { name, text: value, unquoted: false, at, valueAt: { file, line: lineNo, col: valueStart + 1 } };
}

/** Cut at the first `#` that is not inside double quotes. */
export function stripComment(s: string): string {
  if (!s.includes('#')) return s;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return s.slice(0, i);
  }
  return s;
}

/** Without the spaces and tabs at its end. */
function trimEndBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end -= 1;
  return end === s.length ? s : s.slice(0, end);
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

export function truncate(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
