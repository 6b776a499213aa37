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
