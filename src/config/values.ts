// Value readers, one per ValueType of the directive table. Each reads the text of one directive, reports what
// is wrong with it (naming the directive) and returns the parsed value, or undefined when it is unusable.

import type { CheckType, Protocol } from '../model/config';
import type { Diagnostics } from './diagnostics';
import { shift } from './diagnostics';
import type { DirectiveSpec } from './directives';
import type { RawDirective } from './raw';
import {
  readAlertStatus,
  readChecktype,
  readNetmask,
  readSchedflags,
  readService,
  readWord,
  unquote,
} from './value-words';
import { parseFallbackText, parseRealText, type FallbackSpec, type RealSpec } from './real-parse';

export type Value =
  | number
  | boolean
  | string
  | readonly string[]
  | CheckType
  | RealSpec
  | FallbackSpec
  | { readonly persistent: number | undefined };

const MAX_INT = 2 ** 31 - 1;

export function readValue(spec: DirectiveSpec, d: RawDirective, diags: Diagnostics): Value | undefined {
  const text = d.text;
  if (spec.type === 'deprecated') {
    diags.error('E_DEPRECATED', spec.deprecated ?? `${spec.name} is deprecated`, d.at);
    return undefined;
  }
  if (d.bare) {
    if (spec.name === 'supervised') {
      diags.warn('W_SUPERVISED_BARE', 'bare "supervised" read as supervised=yes', d.at);
      return true;
    }
    diags.error('E_SYNTAX', `expected ${spec.name}=value`, d.at);
    return undefined;
  }
  const control = /[\r\n\0]/.exec(text);
  if (control) {
    // Values reach SMTP envelopes (emailalert), log lines (servicename, every address) and metric labels; a line
    // break or NUL there injects a command or forges a line. Refused for every directive, in both syntaxes.
    const what = control[0] === '\r' ? 'CR' : control[0] === '\n' ? 'LF' : 'NUL';
    diags.error(
      'E_CONTROL_CHAR',
      `${spec.name}: a ${what} character is not allowed in a value (values reach log lines, mail commands and metric labels)`,
      shift(d.valueAt, d.unquoted ? 0 : control.index),
    );
    return undefined;
  }
  if (text === '' && spec.type !== 'quoted-any') {
    diags.error('E_EMPTY_VALUE', `${spec.name} needs a value`, d.valueAt);
    return undefined;
  }
  switch (spec.type) {
    case 'posint':
      return readInt(spec.name, d, 1, MAX_INT, diags);
    case 'uint':
      return readInt(spec.name, d, 0, MAX_INT, diags);
    case 'port':
      return readInt(spec.name, d, 1, 65535, diags);
    case 'yesno':
      return readYesNo(spec.name, d, diags);
    case 'quoted':
    case 'quoted-any':
      return readQuoted(spec, d, diags);
    case 'text':
      return unquote(text);
    case 'raw':
      return text;
    case 'checktype':
      return readChecktype(d, diags);
    case 'service':
      return readService(firstWord(d, diags), diags);
    case 'protocol':
      return readWord<Protocol>(spec.name, d, ['tcp', 'udp', 'fwm'], diags);
    case 'httpmethod': {
      const m = readWord(spec.name, { ...d, text: text.toUpperCase() }, ['GET', 'HEAD'], diags);
      return m;
    }
    case 'scheduler': {
      const word = firstWord(d, diags).text;
      if (/^[a-z]+$/.test(word)) return word;
      diags.error(
        'E_BAD_VALUE',
        `scheduler must be lowercase letters (e.g. wrr, rr, wlc, sh), got ${JSON.stringify(word)}`,
        d.valueAt,
      );
      return undefined;
    }
    case 'persistent': {
      const n = readInt(spec.name, d, 0, MAX_INT, diags);
      if (n === undefined) return undefined;
      if (n === 0) {
        diags.warn('W_PERSISTENT_ZERO', 'persistent=0 read as "not persistent"', d.valueAt);
        return { persistent: undefined };
      }
      return { persistent: n };
    }
    case 'netmask':
      return readNetmask(d, diags);
    case 'schedflags':
      return readSchedflags(d, diags);
    case 'host':
      if (/^[0-9A-Za-z._+-]+$/.test(unquote(text))) return unquote(text);
      diags.error(
        'E_BAD_ADDRESS',
        `${spec.name} must be a host name or address, got ${JSON.stringify(text)}`,
        d.valueAt,
      );
      return undefined;
    case 'emailalert': {
      const list = unquote(text)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (list.length > 0) return list;
      diags.error('E_EMPTY_VALUE', 'emailalert needs at least one address', d.valueAt);
      return undefined;
    }
    case 'emailalertstatus':
      return readAlertStatus(d, diags);
    case 'real':
      return parseRealText(d, spec.family ?? 'inet', diags);
    case 'fallback':
      return parseFallbackText(d, spec.family ?? 'inet', diags);
  }
}

function readInt(name: string, d: RawDirective, min: number, max: number, diags: Diagnostics): number | undefined {
  const text = d.text;
  const m = /^(\d+)(.*)$/.exec(text);
  if (!m) {
    diags.error('E_BAD_INTEGER', `${name} must be a whole number, got ${JSON.stringify(text)}`, d.valueAt);
    return undefined;
  }
  const digits = m[1] ?? '';
  const n = digits.length > 12 ? Number.POSITIVE_INFINITY : Number(digits);
  if (n < min || n > max) {
    diags.error('E_BAD_INTEGER', `${name} must be between ${min} and ${max}, got ${digits}`, d.valueAt);
    return undefined;
  }
  if ((m[2] ?? '') !== '') {
    diags.warn(
      'W_NUMBER_SUFFIX',
      `${name}: ignored ${JSON.stringify(m[2])} after ${digits}`,
      shift(d.valueAt, digits.length),
    );
  }
  return n;
}

function readYesNo(name: string, d: RawDirective, diags: Diagnostics): boolean | undefined {
  if (d.text === 'yes') return true;
  if (d.text === 'no') return false;
  diags.error('E_BAD_BOOLEAN', `${name} must be yes or no, got ${JSON.stringify(d.text)}`, d.valueAt);
  return undefined;
}

function readQuoted(spec: DirectiveSpec, d: RawDirective, diags: Diagnostics): string | undefined {
  let value: string;
  if (d.unquoted) {
    value = d.text;
  } else {
    // As ldirectord's `"(.*)"`: the value runs to the last double quote; text after it is ignored (warned).
    const last = d.text.lastIndexOf('"');
    if (!d.text.startsWith('"') || last < 1) {
      diags.error('E_NEEDS_QUOTES', `${spec.name} value must be in double quotes: ${spec.name}="..."`, d.valueAt);
      return undefined;
    }
    value = d.text.slice(1, last);
    warnTrailing(spec.name, d, d.text.slice(last + 1), last + 1, diags);
  }
  if (value === '' && spec.type === 'quoted') {
    diags.error('E_EMPTY_VALUE', `${spec.name} must not be empty`, d.valueAt);
    return undefined;
  }
  return value;
}

/**
 * The first blank-separated word of a one-word value (service=, scheduler=): ldirectord reads the word and
 * ignores what follows it, so do we, with a warning (docs/compat.md, "Trailing text").
 */
function firstWord(d: RawDirective, diags: Diagnostics): RawDirective {
  const m = /^(\S+)([ \t]+.*)$/.exec(d.text);
  if (!m) return d;
  const word = m[1] ?? '';
  warnTrailing(d.name, d, m[2] ?? '', word.length, diags);
  return { ...d, text: word };
}

function warnTrailing(name: string, d: RawDirective, rest: string, offset: number, diags: Diagnostics): void {
  const extra = rest.trim();
  if (extra === '') return;
  diags.warn(
    'W_TRAILING_TEXT',
    `${name}: ignored ${JSON.stringify(extra)} after the value, as ldirectord does`,
    shift(d.valueAt, offset + rest.indexOf(extra)),
  );
}
