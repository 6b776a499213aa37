/**
 * Freezes a plain-data value and everything in it, so that a value shared
 * between constructs (a cached collector configuration) cannot be changed
 * through one of them: an assignment then throws in strict mode instead of
 * changing every other collector's configuration.
 */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
