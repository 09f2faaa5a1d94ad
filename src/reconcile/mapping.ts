// The production config → IPVS converters, as the IpvsMapping the desired table takes.

import { fallbackDest, toIpvsDest, toIpvsService } from './to-ipvs';
import type { IpvsMapping } from './desired';

export const configMapping: IpvsMapping = { service: toIpvsService, dest: toIpvsDest, fallback: fallbackDest };
