/**
 * Raised for a prop, environment variable or selection that the library cannot
 * turn into a working collector. The message names the input, echoes the
 * offending value and states the accepted form.
 *
 * An `Error` at run time (`instanceof Error`, with a stack), though declared
 * without `extends Error`: jsii cannot carry a subclass of JavaScript's
 * built-in `Error` to other languages.
 */
export class ValidationError {
  /** The error's name, `ValidationError`. */
  public readonly name: string = 'ValidationError';
  /** What is wrong: the input, the value and the accepted form. */
  public readonly message: string;

  public constructor(message: string) {
    this.message = message;
    Error.captureStackTrace(this, ValidationError);
  }
}
Object.setPrototypeOf(ValidationError.prototype, Error.prototype);

/** Longest echo of a value in a message; longer ones are cut with "…". */
const MAX_SHOWN = 200;

/**
 * A value as the user wrote it, for an error message. Strings are quoted as
 * JSON; numbers keep the spellings JSON loses (`NaN`, `Infinity`,
 * `-Infinity`, `-0`); `undefined`, functions, symbols, big integers and
 * objects that JSON cannot hold (cycles, getters that throw) are named
 * rather than crashing the message. Never throws.
 */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = show(value, new Set());
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function show(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'boolean':
      return String(value);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item) => show(item, seen)).join(',')}]`;
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      return `[${(prototype as { constructor?: { name?: string } }).constructor?.name || 'object'}]`;
    }
    const entries = Object.keys(object).map(
      (key) => `${JSON.stringify(key)}:${show((object as Record<string, unknown>)[key], seen)}`,
    );
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * Throws the library's standard ValidationError:
 * `Invalid <input> <value>: expected <accepted form>.`, the value shown by
 * {@link showValue}.
 *
 * @param input the prop, field or environment variable, e.g. `clusters[2].region`
 * @param value the value given
 * @param accepted what would have been accepted
 */
export function invalidInput(input: string, value: unknown, accepted: string): never {
  throw new ValidationError(`Invalid ${input} ${showValue(value)}: expected ${accepted}.`);
}
