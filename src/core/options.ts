/**
 * One rule for options objects across the library: a key whose value is `undefined` means "use
 * the default", exactly as if the key were absent. Every function that merges defaults goes
 * through {@link withDefaults}.
 * @module
 */

/**
 * Merge `options` over `defaults`, skipping keys whose value is `undefined` (so
 * `{ bins: undefined }` keeps the default `bins`). Own enumerable keys only; the result is a new
 * object and neither input is changed.
 *
 * @param defaults - the documented defaults (usually a frozen constant).
 * @param options - the caller's options, possibly with `undefined` values, or `undefined`.
 * @returns defaults overridden by every defined option.
 * @example
 * ```ts
 * withDefaults({ bins: 5, seed: 1 }, { bins: undefined, seed: 7 });
 * //=> { bins: 5, seed: 7 }
 * ```
 * @category Options
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O | undefined): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  if (options !== undefined && options !== null) {
    for (const key of Object.keys(options)) {
      const v = (options as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = v;
    }
  }
  return out as D & O;
}

/**
 * `options` without the keys whose value is `undefined` (for spreads over defaults).
 *
 * @param options - an options object.
 * @returns a shallow copy without `undefined` values.
 * @example
 * ```ts
 * definedOnly({ a: 1, b: undefined });
 * //=> { a: 1 }
 * ```
 * @category Options
 */
export function definedOnly<T extends object>(options: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as Partial<T>;
}
