/**
 * Raised for a prop, environment variable or selection that the library cannot
 * turn into a working collector. The message names the input, echoes the
 * offending value and states the accepted form.
 */
export class ValidationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/**
 * Throws the library's standard ValidationError:
 * `Invalid <input> <value as JSON>: expected <accepted form>.`
 *
 * @param input the prop, field or environment variable, e.g. `clusters[2].region`
 * @param value the value given
 * @param accepted what would have been accepted
 */
export function invalidInput(input: string, value: unknown, accepted: string): never {
  throw new ValidationError(`Invalid ${input} ${JSON.stringify(value)}: expected ${accepted}.`);
}
