// Negotiate checks for every service other than http/https/http_proxy (those live in src/health/checks).
// Filled in as each service lands; src/health/checks dispatches through this map.
import type { ServiceName } from '../../model/config';
import type { Check } from '../types';

export const serviceChecks: Partial<Record<ServiceName, Check>> = {};
