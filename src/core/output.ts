import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replacing an output folder without ever losing it: synthesize into a
 * staging folder beside it, then swap the two with renames on one file
 * system. A failed synthesis leaves the output folder byte-identical.
 */

/**
 * Creates an empty staging folder beside `output` (so that the swap is a
 * rename on one file system), named `.synth-<output name>-XXXXXX`.
 */
export function createStagingFolder(output: string): string {
  mkdirSync(dirname(output), { recursive: true });
  const dir = mkdtempSync(join(dirname(output), `.synth-${basename(output)}-`));
  chmodSync(dir, 0o755); // mkdtemp creates it private; the output folder is not.
  return dir;
}

/**
 * Puts the staged folder in place of `output`. The old output is moved aside
 * first and removed only once the new one is in place; if the second rename
 * fails, the old output is moved back and the error rethrown.
 */
export function replaceFolder(output: string, staged: string): void {
  const previous = existsSync(output) ? `${staged}-previous` : undefined;
  if (previous) renameSync(output, previous);
  try {
    renameSync(staged, output);
  } catch (error) {
    if (previous) renameSync(previous, output);
    rmSync(staged, { recursive: true, force: true });
    throw error;
  }
  if (previous) rmSync(previous, { recursive: true, force: true });
}

/**
 * Runs `fill` on a new staging folder and swaps the result in place of
 * `output`; on any error removes the staging folder and rethrows, leaving
 * `output` as it was.
 */
export async function writeFolderSafely<T>(output: string, fill: (staged: string) => Promise<T> | T): Promise<T> {
  return writeFoldersSafely([output], ([staged]) => fill(staged ?? ''));
}

/**
 * {@link writeFolderSafely} for several folders filled together: each gets a
 * staging folder, and they are swapped in, in order, only once `fill`
 * succeeded for all.
 */
export async function writeFoldersSafely<T>(
  outputs: readonly string[],
  fill: (staged: readonly string[]) => Promise<T> | T,
): Promise<T> {
  const staged = outputs.map(createStagingFolder);
  let result: T;
  try {
    result = await fill(staged);
  } catch (error) {
    for (const dir of staged) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  outputs.forEach((output, i) => {
    replaceFolder(output, staged[i] ?? '');
  });
  return result;
}

/**
 * Collects files and writes them concurrently. On a disk where every file
 * creation waits for the device, a few writes in flight at once finish several
 * times sooner than one after the other.
 */
export class FileBatch {
  private readonly files: Array<readonly [string, string]> = [];

  /** Queues `text` to be written to `path`. */
  public add(path: string, text: string): void {
    this.files.push([path, text]);
  }

  /** Writes every queued file (creating their folders), at most `concurrency` at a time. */
  public async write(concurrency = 16): Promise<void> {
    for (const folder of new Set(this.files.map(([path]) => dirname(path)))) mkdirSync(folder, { recursive: true });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.files.length) {
        const [path, text] = this.files[next++] ?? ['', ''];
        await writeFile(path, text);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, this.files.length) }, worker));
    this.files.length = 0;
  }
}
