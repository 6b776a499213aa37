import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { OUTPUT, OUTPUT_NAME, type Staged, stageSynthesis } from './stage';

/**
 * `npm run check`: synthesizes into a temporary folder and compares it with
 * the committed output folder, for CI in GitOps repositories. Exits 0 when
 * they are byte-identical, 1 with a unified diff when they differ, 2 when the
 * app cannot be synthesized. Never writes to the output folder.
 */

const listing = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);
const read = (dir: string, file: string): string =>
  existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '';

/** The differences between the committed folder and a fresh synthesis, as unified diffs. */
export function diffFolders(committed: string, fresh: string): string[] {
  const files = [...new Set([...listing(committed), ...listing(fresh)])].sort();
  return files.flatMap((file) => {
    const before = read(committed, file);
    const after = read(fresh, file);
    if (before === after) return [];
    const label = `${OUTPUT_NAME}/${file}`;
    return [createTwoFilesPatch(label, label, before, after, 'committed', 'synthesized now', { context: 3 })];
  });
}

if (require.main === module) {
  let staged: Staged;
  try {
    staged = stageSynthesis();
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(2);
  }
  try {
    const diffs = diffFolders(OUTPUT, staged.dir);
    if (diffs.length > 0) {
      process.stdout.write(diffs.join(''));
      console.error(
        `${OUTPUT_NAME}/ is out of date: ${diffs.length} file(s) differ from what the app synthesizes now. Run \`npm run synth\` and commit ${OUTPUT_NAME}/.`,
      );
      process.exitCode = 1;
    } else {
      console.log(`${OUTPUT_NAME}/ is up to date (${staged.files.length} files).`);
    }
  } finally {
    rmSync(staged.dir, { recursive: true, force: true });
  }
}
