import { rmSync } from 'node:fs';
import { diffFolders } from '../tools/folders';
import { checkSettings, type Output, outputFolder, type Staged, stageSynthesis } from './stage';

const files = (count: number): string => `${count} file${count === 1 ? '' : 's'}`;

/**
 * `npm run check`: synthesizes into a temporary folder and compares it with
 * the committed output folder, for CI in GitOps repositories. Exits 0 when
 * they are byte-identical, 1 with a unified diff when they differ, 2 when the
 * app cannot be synthesized. Never writes to the output folder.
 */

let output: Output;
let staged: Staged;
try {
  output = outputFolder();
  staged = stageSynthesis(output, checkSettings(output));
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
      `${output.name}/ is up to date (${files(staged.files.length)}), and ${output.prerequisites.name}/ (${files(staged.prerequisites.length)}).`,
    );
  }
} finally {
  rmSync(staged.dir, { recursive: true, force: true });
  rmSync(staged.prerequisitesDir, { recursive: true, force: true });
}
