import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder } from '../src/core/output';
import { AWS_PACKAGE, companionInstalled } from '../src/prerequisites/aws-template';
import { PREREQUISITE_FILES } from '../src/prerequisites/prerequisites';
import { diffFolders } from '../tools/folders';
import { checkSettings, type Output, outputFolder, type Staged, stageSynthesis } from './stage';

const files = (count: number): string => `${count} file${count === 1 ? '' : 's'}`;

/** Templates the committed prerequisites hold that this run lacks only because the companion package is missing. */
function committedTemplatesThisRunCannotWrite(committed: string, staged: string): string[] {
  if (companionInstalled()) return [];
  return filesUnder(committed).filter(
    (file) => file.split('/').pop() === PREREQUISITE_FILES.template && !existsSync(join(staged, file)),
  );
}

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
  staged = stageSynthesis(output, checkSettings(output), true);
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}
const unwritable = committedTemplatesThisRunCannotWrite(output.prerequisites.path, staged.prerequisitesDir);
if (unwritable.length > 0) {
  staged.discard();
  console.error(
    `error: ${unwritable.map((file) => `${output.prerequisites.name}/${file}`).join(', ')} is committed, but this run cannot write CloudFormation templates: ${AWS_PACKAGE} is not installed (npm ci installs it, as a workspace of this repository). Install it and check again; synthesizing without it would delete the template.`,
  );
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
  staged.discard();
}
