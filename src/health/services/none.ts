// none: no check at all; the real server is always up (ldirectord's default for unknown ports and fwmarks).

import type { Check } from '../types';

export const noneCheck: Check = async () => ({ ok: true, reason: 'service none: not checked', durationMs: 0 });
