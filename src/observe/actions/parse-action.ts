// The body of POST /api/action: {"target": "<health target id>", "override": "drain" | "maintenance" | "none"}.
// Pure: anything else is a clear error naming what was wrong.
import { OVERRIDE_KINDS, type OverrideKind } from './overrides';

export interface ActionRequest {
  readonly target: string;
  readonly override: OverrideKind | 'none';
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const OVERRIDES = [...OVERRIDE_KINDS, 'none'] as const;

export function parseActionRequest(body: string): Parsed<ActionRequest> {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return { ok: false, error: `request body is not JSON: ${(e as Error).message}` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { ok: false, error: 'request body must be a JSON object' };
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'target' && k !== 'override');
  if (extra.length > 0) return { ok: false, error: `unknown field(s): ${extra.join(', ')}` };
  if (typeof o.target !== 'string' || o.target.length === 0 || o.target.length > 300)
    return { ok: false, error: '"target" must be a real server id (string)' };
  if (!OVERRIDES.includes(o.override as (typeof OVERRIDES)[number]))
    return { ok: false, error: `"override" must be one of ${OVERRIDES.join(', ')}` };
  return { ok: true, value: { target: o.target, override: o.override as ActionRequest['override'] } };
}
