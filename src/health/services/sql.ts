// What mysql and pgsql checks share: the reference requires login and request at check time.

import type { CheckSpec } from '../types';
import { ProbeFailure, stripSlash } from './probe';

export function sqlPrerequisites(spec: CheckSpec): void {
  if (spec.login === '') throw new ProbeFailure('no login= configured (required for SQL checks)');
  if (stripSlash(spec.request).trim() === '') throw new ProbeFailure('no request= (SQL statement) configured');
}
