// The parse tree shared by the .cf reader and the YAML reader: directives as text with their position, grouped
// into the global scope and virtual sections. Both readers produce this shape, so everything after it (value
// reading, resolution, defaults, validation) is one code path and the two file formats give the same model.

import type { SourceRef } from '../model/config';

export interface RawDirective {
  readonly name: string;
  /** The value as written (for .cf: after `=`, comment stripped, trailing blanks removed). */
  readonly text: string;
  /**
   * True when `text` is already an unquoted string (YAML): directives that demand double quotes in a .cf file
   * take it as it is.
   */
  readonly unquoted: boolean;
  /** Where the directive's name starts. */
  readonly at: SourceRef;
  /** Where the value starts (column of the first value character). */
  readonly valueAt: SourceRef;
  /** A word without `=value` (ldirectord's bare `supervised`). */
  readonly bare?: boolean;
}

export interface RawSection {
  /** The `virtual=` / `virtual6=` line. */
  readonly opener: RawDirective;
  readonly directives: RawDirective[];
  /**
   * A .cf section's lines exactly as written, from its opener to its last line, and the opener's line number:
   * two sections with the same of both in the same file read the same (section-memo.ts). Absent for YAML.
   */
  readonly written?: { readonly line: number; readonly text: string };
}

export interface RawDocument {
  readonly file: string;
  readonly globals: RawDirective[];
  readonly sections: RawSection[];
}
