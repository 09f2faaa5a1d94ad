// Counts the elementary work of collection scans while a piece of code runs, to catch an algorithm that went
// quadratic without timing anything: every call of an Array method that may visit each element (find, filter,
// splice, unshift, spread, for…of, …) adds the array's length, and every iteration of a Map or Set adds its
// size. A linear algorithm does work proportional to its input; one that scans per op does it squared.
// The prototypes are patched only while `work` runs and restored afterwards, whatever it throws.

type Patch = { readonly target: object; readonly key: PropertyKey; readonly original: unknown };

const ARRAY_SCANS: readonly PropertyKey[] = [
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'filter',
  'map',
  'flatMap',
  'flat',
  'some',
  'every',
  'forEach',
  'reduce',
  'reduceRight',
  'indexOf',
  'lastIndexOf',
  'includes',
  'splice',
  'unshift',
  'shift',
  'slice',
  'concat',
  'sort',
  'reverse',
  'join',
  'fill',
  'copyWithin',
  'keys',
  'values',
  'entries',
  Symbol.iterator,
];
const COLLECTION_SCANS: readonly PropertyKey[] = ['keys', 'values', 'entries', 'forEach', Symbol.iterator];

export interface ScanCount<T> {
  readonly result: T;
  /** Elements the scans could visit, summed over every scan. */
  readonly visits: number;
}

/** Runs `work` (sync or async) with scans counted; the count covers everything `work` awaits. */
export async function countScans<T>(work: () => T | Promise<T>): Promise<ScanCount<T>> {
  let visits = 0;
  const patches: Patch[] = [];
  const patch = (target: object, keys: readonly PropertyKey[], size: (self: unknown) => number): void => {
    for (const key of keys) {
      const original = Reflect.get(target, key) as ((...a: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function') continue;
      patches.push({ target, key, original });
      Reflect.set(target, key, function counted(this: unknown, ...args: unknown[]): unknown {
        visits += size(this);
        return Reflect.apply(original, this, args);
      });
    }
  };
  patch(Array.prototype, ARRAY_SCANS, (self) => (self as unknown[]).length);
  patch(Map.prototype, COLLECTION_SCANS, (self) => (self as Map<unknown, unknown>).size);
  patch(Set.prototype, COLLECTION_SCANS, (self) => (self as Set<unknown>).size);
  try {
    const result = await work();
    return { result, visits };
  } finally {
    for (let i = patches.length - 1; i >= 0; i--) {
      const p = patches[i] as Patch;
      Reflect.set(p.target, p.key, p.original);
    }
  }
}

/**
 * How much more work 4n inputs cost than n: (work(4n) + 4n) / (work(n) + n). About 4 for a linear algorithm,
 * about 16 for a quadratic one (the n terms keep an algorithm that scans nothing at all from dividing by zero).
 */
export async function growth(
  n: number,
  work: (n: number) => unknown,
): Promise<{ small: number; large: number; ratio: number }> {
  const small = (await countScans(() => work(n))).visits;
  const large = (await countScans(() => work(4 * n))).visits;
  return { small, large, ratio: (large + 4 * n) / (small + n) };
}
