// HTTP Basic credentials (RFC 7617) and the decision whether a request may go on. Pure apart from the
// scrypt verification it is given.

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export function parseBasic(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic +([A-Za-z0-9+/=]{1,1024})$/i.exec(header.trim());
  if (m === null) return undefined;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}

/** 'ok': authenticated; 'anonymous': no users configured (loopback only); 'denied': missing or wrong. */
export type AuthDecision = 'ok' | 'anonymous' | 'denied';

export async function authenticate(
  header: string | undefined,
  usersConfigured: boolean,
  verify: (c: Credentials) => Promise<boolean>,
): Promise<AuthDecision> {
  const c = parseBasic(header);
  if (!usersConfigured) return 'anonymous';
  if (c === undefined) return 'denied';
  return (await verify(c)) ? 'ok' : 'denied';
}
