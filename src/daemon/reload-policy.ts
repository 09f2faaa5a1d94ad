// Whether a loaded configuration may replace the running one: a config that would remove every virtual
// service the director runs is refused unless `allowemptyreload=yes` (docs/config.md), and warned about
// either way — an empty or truncated file on reload must not purge a director without a word.

import type { LoadResult } from '../config/load';
import type { Config, Diagnostic } from '../model/config';

export type ReloadVerdict =
  | { readonly accept: true; readonly config: Config; readonly warnings: readonly Diagnostic[] }
  | { readonly accept: false; readonly errors: readonly Diagnostic[]; readonly warnings: readonly Diagnostic[] };

export function reloadVerdict(running: Config, load: LoadResult): ReloadVerdict {
  if (!load.ok) return { accept: false, errors: load.errors, warnings: [] };
  const next = load.config;
  if (running.virtuals.length === 0 || next.virtuals.length > 0) return { accept: true, config: next, warnings: [] };
  const at = { file: next.file, line: 1, col: 1 };
  const n = running.virtuals.length;
  const what = `the new configuration has no virtual service: the reload would remove all ${n} running`;
  if (next.global.allowemptyreload === true) {
    return {
      accept: true,
      config: next,
      warnings: [
        { severity: 'warning', code: 'W_EMPTY_RELOAD', message: `${what} (allowemptyreload=yes)`, source: at },
      ],
    };
  }
  return {
    accept: false,
    errors: [
      {
        severity: 'error',
        code: 'E_EMPTY_RELOAD',
        message: `${what}; refused (set allowemptyreload=yes to allow it)`,
        source: at,
      },
    ],
    warnings: [],
  };
}
