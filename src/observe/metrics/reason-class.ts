// A check's reason text → a small, fixed set of classes, so that a metric label never carries free text
// (addresses, status lines) and its cardinality stays bounded. Pure.

export const REASON_CLASSES = [
  'ok',
  'timeout',
  'refused',
  'unreachable',
  'reset',
  'tls',
  'dns',
  'response',
  'forced',
  'other',
] as const;
export type ReasonClass = (typeof REASON_CLASSES)[number];

const RULES: ReadonlyArray<readonly [RegExp, ReasonClass]> = [
  [/maintenance|forced|checktype (on|off)/i, 'forced'],
  [/timed? ?out|timeout|ETIMEDOUT|aborted/i, 'timeout'],
  [/ECONNREFUSED|refused/i, 'refused'],
  [/ECONNRESET|EPIPE|reset|closed/i, 'reset'],
  [/EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|unreachable/i, 'unreachable'],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, 'dns'],
  [/certificate|\bTLS\b|\bSSL\b|handshake/i, 'tls'],
  [/\b[1-5]\d\d\b|did not match|unexpected|expected|answer|reply|response|receive/i, 'response'],
];

export function reasonClass(ok: boolean, reason: string): ReasonClass {
  if (ok) return 'ok';
  for (const [re, cls] of RULES) if (re.test(reason)) return cls;
  return 'other';
}
