// ldirectord's receive= is a Perl regular expression searched (unanchored) in the response. JavaScript's
// syntax agrees for the patterns people write in practice (literals, classes, anchors, alternation).

import { ProbeFailure } from './probe';

/** The compiled receive pattern, or a ProbeFailure naming the bad pattern. */
export function receivePattern(receive: string): RegExp {
  try {
    return new RegExp(receive);
  } catch (err) {
    throw new ProbeFailure(`receive "${receive}" is not a valid regular expression: ${(err as Error).message}`);
  }
}

/** A response fragment safe to put in a log line: control characters escaped, at most `max` characters. */
export function excerpt(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
