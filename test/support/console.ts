import { afterEach, beforeEach, type MockInstance, vi } from 'vitest';

/** What a command printed to one stream, its calls' arguments joined as console.log joins them. */
export interface Printed {
  /** The lines printed since the test began, or since `clear`. */
  readonly text: () => string;
  /** Forgets what was printed so far. */
  readonly clear: () => void;
}

/**
 * Captures console.log and console.error for each test of the file that
 * calls it (at its top level), silently, and restores them after each test.
 */
export function captureConsole(): { readonly stdout: Printed; readonly stderr: Printed } {
  let log: MockInstance | undefined;
  let error: MockInstance | undefined;
  beforeEach(() => {
    log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());
  const printed = (spy: () => MockInstance | undefined): Printed => ({
    text: () => (spy()?.mock.calls ?? []).map((call) => call.join(' ')).join('\n'),
    clear: () => spy()?.mockClear(),
  });
  return { stdout: printed(() => log), stderr: printed(() => error) };
}
