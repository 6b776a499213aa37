import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { listFiles } from './manifests';
import { type Output, outputFolder, type Staged, stageSynthesis } from './stage';

/**
 * `npm run check`: synthesizes into a temporary folder and compares it with
 * the committed output folder, for CI in GitOps repositories. Exits 0 when
 * they are byte-identical, 1 with a unified diff when they differ, 2 when the
 * app cannot be synthesized. Never writes to the output folder.
 */

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

if (require.main === module) {
  let output: Output;
  let staged: Staged;
  try {
    output = outputFolder();
    staged = stageSynthesis(output);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(2);
  }
  try {
    const diffs = [
      ...diffFolders(output.path, staged.dir, output.name),
      ...diffFolders(output.prerequisites.path, staged.prerequisitesDir, output.prerequisites.name),
    ];
    if (diffs.length > 0) {
      process.stdout.write(diffs.join(''));
      console.error(
        `${output.name}/ or ${output.prerequisites.name}/ is out of date: ${diffs.length} file(s) differ from what the app synthesizes now. Run \`npm run synth\` (with the same environment) and commit both.`,
      );
      process.exitCode = 1;
    } else {
      console.log(
        `${output.name}/ is up to date (${staged.files.length} files), and ${output.prerequisites.name}/ (${staged.prerequisites.length} files).`,
      );
    }
  } finally {
    rmSync(staged.dir, { recursive: true, force: true });
    rmSync(staged.prerequisitesDir, { recursive: true, force: true });
  }
}
