// Strings the daemon keeps for as long as a real server is configured (its ids, labels and keys, several per
// real server) are built flat. V8 makes a template literal or `+` of 13 characters or more a tree of its parts
// (a ConsString node of 32 bytes per `+`); using one as a Map key flattens it into a new flat copy and leaves
// the root node behind, pointing at the copy, for good in the old generation. A heap snapshot at 5,000 real
// servers held 91,000 such nodes (2.8 MiB) and 41,000 flat copies under them (2.6 MiB). Array.prototype.join
// writes one flat string, ~60 bytes for such an id against ~145 (docs/benchmarks.md, "Memory").

/** A tagged template that builds its string flat: flat`${vid}|${address}:${port}`. */
export function flat(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  const parts: (string | number)[] = [strings[0] as string];
  for (let i = 0; i < values.length; i += 1) parts.push(values[i] as string | number, strings[i + 1] as string);
  return parts.join('');
}
