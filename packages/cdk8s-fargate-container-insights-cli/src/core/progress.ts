/**
 * Progress of long work on a terminal: `120/1000 clusters, about 41 s left`,
 * rewritten in place at most ten times a second, and cleared at the end.
 * Nothing at all when the stream is not a terminal (a CI log, a pipe).
 */

/** Where the progress goes: a stream that knows whether it is a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** A running report: told each step, ended once. */
export interface Progress {
  /** `done` of `total` are done. */
  readonly step: (done: number, total: number) => void;
  /** Clears the line, if one was written. */
  readonly end: () => void;
}

/** The least time between two reports, in milliseconds. */
const INTERVAL_MS = 100;

/** A report of `what` (`clusters`) on `stream`, timed by `now` (milliseconds). */
export function progressOn(
  stream: ProgressStream,
  what: string,
  now: () => number = () => performance.now(),
): Progress {
  if (stream.isTTY !== true) return { step: () => undefined, end: () => undefined };
  const start = now();
  let last = Number.NEGATIVE_INFINITY;
  let written = false;
  return {
    step: (done, total) => {
      const at = now();
      if (done < total && at - last < INTERVAL_MS) return;
      last = at;
      const left = done === 0 ? undefined : ((at - start) / done) * (total - done);
      const eta = left === undefined ? '' : `, about ${Math.ceil(left / 1000)} s left`;
      stream.write(`\r\x1b[K${done}/${total} ${what}${done < total ? eta : ''}`);
      written = true;
    },
    end: () => {
      if (written) stream.write('\r\x1b[K');
    },
  };
}
