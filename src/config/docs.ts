// The generated parts of docs/config.md (directive table, diagnostic codes), rendered from the directive table
// and the code catalogue. test/config/generated.test.ts fails when docs/config.md is out of date;
// `npx tsx src/cli/write-generated.ts` rewrites it (and schema/virtual-service.schema.json).

import { ERROR_CODES, WARNING_CODES } from './codes';
import { DIRECTIVES } from './directives';

export const MARKERS = {
  directives: ['<!-- directives:begin (generated from src/config/directives.ts) -->', '<!-- directives:end -->'],
  codes: ['<!-- codes:begin (generated from src/config/codes.ts) -->', '<!-- codes:end -->'],
} as const;

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderDirectives(): string {
  const rows = DIRECTIVES.map(
    (d) => `| \`${d.name}\` | ${d.scope} | ${d.type} | ${cell(d.default)} | ${cell(d.doc)} |`,
  );
  return ['| directive | scope | type | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function renderCodes(): string {
  const rows = [
    ...Object.entries(ERROR_CODES).map(([c, d]) => `| \`${c}\` | error | ${cell(d)} |`),
    ...Object.entries(WARNING_CODES).map(([c, d]) => `| \`${c}\` | warning | ${cell(d)} |`),
  ];
  return ['| code | severity | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between each pair of markers; throws if a marker is missing (a developer error). */
export function updateDoc(doc: string): string {
  let out = doc;
  for (const [key, body] of [
    ['directives', renderDirectives()],
    ['codes', renderCodes()],
  ] as const) {
    const [begin, end] = MARKERS[key];
    const a = out.indexOf(begin);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`docs/config.md: markers for ${key} missing`);
    out = `${out.slice(0, a + begin.length)}\n${body}\n${out.slice(b)}`;
  }
  return out;
}
