import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { filesUnder } from '../packages/cdk8s-fargate-container-insights-cli/src/core/output';

/**
 * Folders as sorted file lists, their contents, and the differences between
 * two of them: shared by the synth, check and bench scripts and the tests.
 */

/** Every file under `dir`, in subfolders too, as sorted paths relative to it; none if `dir` does not exist. */
export const listFiles = filesUnder;

/** Every file under `dir` with its text, by sorted path relative to it. */
export function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

const read = (dir: string, file: string): string =>
  existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '';

/** The differences between the committed folder and a fresh synthesis, as unified diffs. */
export function diffFolders(committed: string, fresh: string, name = 'dist'): string[] {
  const files = [...new Set([...listFiles(committed), ...listFiles(fresh)])].sort();
  return files.flatMap((file) => {
    const before = read(committed, file);
    const after = read(fresh, file);
    if (before === after) return [];
    const label = `${name}/${file}`;
    return [createTwoFilesPatch(label, label, before, after, 'committed', 'synthesized now', { context: 3 })];
  });
}
