// Collecting diagnostics: the loader never throws for bad input, it records every problem here and carries on,
// so one run reports all of them. Printed as `file:line:col: CODE message`.
//
// Bounded, so that a garbage file cannot turn into megabytes of log: at most MAX_REPORTED errors and as many
// warnings are kept (the rest are only counted, and the load result ends with one "... and N more" line), and a
// message longer than MAX_MESSAGE characters is cut (a 1 MB directive name does not make a 1 MB error line).

import type { Diagnostic, SourceRef } from '../model/config';
import type { ErrorCode, WarningCode } from './codes';

export const MAX_REPORTED = 100;
export const MAX_MESSAGE = 300;

export class Diagnostics {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  private errorTotal = 0;
  private warningTotal = 0;

  error(code: ErrorCode, message: string, source: SourceRef): void {
    this.errorTotal += 1;
    if (this.errors.length < MAX_REPORTED)
      this.errors.push({ severity: 'error', code, message: clip(message), source });
  }

  warn(code: WarningCode, message: string, source: SourceRef): void {
    this.warningTotal += 1;
    if (this.warnings.length < MAX_REPORTED)
      this.warnings.push({ severity: 'warning', code, message: clip(message), source });
  }

  get failed(): boolean {
    return this.errorTotal > 0;
  }

  /** Every error recorded, kept or not: compare before and after a step to see whether it failed. */
  get errorCount(): number {
    return this.errorTotal;
  }

  /** Every warning recorded, kept or not. */
  get warningCount(): number {
    return this.warningTotal;
  }

  /** A warning given again as it was (a reused section's, section-memo.ts). */
  replay(d: Diagnostic): void {
    this.warningTotal += 1;
    if (this.warnings.length < MAX_REPORTED) this.warnings.push(d);
  }

  /** How many errors and warnings were counted but not kept. */
  get dropped(): { errors: number; warnings: number } {
    return { errors: this.errorTotal - this.errors.length, warnings: this.warningTotal - this.warnings.length };
  }
}

/** A message cut to MAX_MESSAGE characters, saying how much was cut. */
export function clip(message: string, max = MAX_MESSAGE): string {
  if (message.length <= max) return message;
  return `${message.slice(0, max)}... (${message.length - max} more characters)`;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.source.file}:${d.source.line}:${d.source.col}: ${d.code} ${d.message}`;
}

/** The same place, `delta` characters further along the line. */
export function shift(source: SourceRef, delta: number): SourceRef {
  return { file: source.file, line: source.line, col: source.col + delta };
}
