import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';

/**
 * Optional conformance suites compare our output with files that are not part
 * of this repository (the AWS reference manifests, an operator's CRDs). They
 * run when the folder is there and are reported as skipped, with the reason,
 * when it is not: never a failure for a missing folder, never a silent pass.
 * The summary reporter prints each skip's reason above the closing line.
 */

/** The repository's root. */
const ROOT = join(__dirname, '..', '..');

/** Where a conformance suite's files are looked for. */
export interface ConformanceSource {
  /** What the files are, for the skip message, e.g. "the AWS reference manifests". */
  readonly what: string;
  /** The environment variable that names the folder; when set, it is the only place looked at. */
  readonly variable: string;
  /** The folder looked at otherwise, relative to the repository's root, e.g. `../shared/reference`. */
  readonly fallback: string;
}

/** The folder, or why there is none. */
export type ConformanceFolder = { readonly dir: string } | { readonly skipped: string };

/** Finds a conformance suite's folder. */
export function locateConformanceFolder(
  source: ConformanceSource,
  env: NodeJS.ProcessEnv = process.env,
): ConformanceFolder {
  const named = env[source.variable];
  if (named !== undefined && named !== '') {
    return existsSync(named)
      ? { dir: named }
      : { skipped: `${source.what} not found: ${source.variable}=${named} does not exist` };
  }
  const dir = join(ROOT, source.fallback);
  return existsSync(dir)
    ? { dir }
    : {
        skipped: `${source.what} not found: no ${source.fallback} beside the repository and ${source.variable} is not set`,
      };
}

/**
 * A describe block that runs `body` with the folder when it exists, and
 * otherwise holds one test skipped with the reason.
 */
export function conformanceDescribe(title: string, source: ConformanceSource, body: (dir: string) => void): void {
  const folder = locateConformanceFolder(source);
  describe(title, () => {
    if ('dir' in folder) body(folder.dir);
    else test('runs when its files are there', (context) => context.skip(folder.skipped));
  });
}
