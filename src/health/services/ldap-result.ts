// LDAP result codes (RFC 4511 §4.1.9 and Appendix A) as names, for readable reasons: ldapts reports an
// error with no server text as " Code: 0x31".

import { errorText } from './probe';

const NAMES: Record<number, string> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  4: 'sizeLimitExceeded',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  11: 'adminLimitExceeded',
  13: 'confidentialityRequired',
  14: 'saslBindInProgress',
  32: 'noSuchObject',
  34: 'invalidDNSyntax',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  80: 'other',
};

/** `invalidCredentials (49)`, plus the server's diagnostic text when it sent one. */
export function ldapErrorText(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown };
  if (typeof e.code === 'string' && err instanceof Error) return errorText(err);
  const text = typeof e.message === 'string' ? e.message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '').trim() : String(err);
  if (typeof e.code !== 'number') return text || String(err);
  const name = `${NAMES[e.code] ?? 'result'} (${e.code})`;
  return text ? `${name}: ${text}` : name;
}
