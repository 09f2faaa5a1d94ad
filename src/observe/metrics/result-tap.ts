// A pool that reports every check result, not only transitions. HealthPoolApi (src/health/types.ts) does not
// require it; when the pool offers `onResult`, the check-duration and check-result metrics are fed from it,
// otherwise those two metrics stay empty (documented in docs/observability.md).

import type { CheckResult, HealthPoolApi } from '../../health/types';

export type ResultListener = (id: string, result: CheckResult) => void;

export type ResultTapPool = HealthPoolApi & { onResult?(listener: ResultListener): void };
