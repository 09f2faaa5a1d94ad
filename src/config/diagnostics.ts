// Collecting diagnostics: the loader never throws for bad input, it records every problem here and carries on,
// so one run reports all of them. Printed as `file:line:col: CODE message`.

import type { Diagnostic, SourceRef } from '../model/config';
import type { ErrorCode, WarningCode } from './codes';

export class Diagnostics {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  error(code: ErrorCode, message: string, source: SourceRef): void {
    this.errors.push({ severity: 'error', code, message, source });
  }

  warn(code: WarningCode, message: string, source: SourceRef): void {
    this.warnings.push({ severity: 'warning', code, message, source });
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.source.file}:${d.source.line}:${d.source.col}: ${d.code} ${d.message}`;
}

/** The same place, `delta` characters further along the line. */
export function shift(source: SourceRef, delta: number): SourceRef {
  return { file: source.file, line: source.line, col: source.col + delta };
}
