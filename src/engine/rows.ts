/**
 * Result rows of the engines, put in the in-process order: both engines sort ids by UTF-8 bytes,
 * which differs from JavaScript's code-unit order only for characters above U+FFFF against
 * U+E000..U+FFFF.
 * @module
 * @internal
 */

/** The permutation that sorts `ids` in code-unit order (as `Array.prototype.sort`), or null when they already are. @internal */
export function codeUnitOrder(ids: readonly string[]): Int32Array | null {
  let sorted = true;
  for (let k = 1; k < ids.length && sorted; k++) if (ids[k - 1] > ids[k]) sorted = false;
  if (sorted) return null;
  return Int32Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
}

/** `a` reordered by the permutation `p` (`a` itself when `p` is null). @internal */
export function permute<T extends Int32Array | Float64Array>(a: T, p: Int32Array | null): T {
  if (p === null) return a;
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let k = 0; k < p.length; k++) out[k] = a[p[k]];
  return out;
}
