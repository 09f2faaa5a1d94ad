// Address family and protocol numbers ↔ model names.

import type { IpvsFamily, IpvsProtocol } from '../types';
import { CodecError } from './attrs';
import { AF_INET, AF_INET6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from './constants';

export const familyToAf = (f: IpvsFamily): number => (f === 'inet' ? AF_INET : AF_INET6);

export function afToFamily(af: number, where: string): IpvsFamily {
  if (af === AF_INET) return 'inet';
  if (af === AF_INET6) return 'inet6';
  throw new CodecError(`${where}: unknown address family ${af}`);
}

const PROTOCOLS: Record<IpvsProtocol, number> = { tcp: IPPROTO_TCP, udp: IPPROTO_UDP, sctp: IPPROTO_SCTP };

export const protocolToNumber = (p: IpvsProtocol): number => PROTOCOLS[p];

export function numberToProtocol(n: number, where: string): IpvsProtocol {
  for (const [name, value] of Object.entries(PROTOCOLS)) if (value === n) return name as IpvsProtocol;
  throw new CodecError(`${where}: unknown IP protocol ${n}`);
}
