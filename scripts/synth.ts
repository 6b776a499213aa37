import { replaceFolder } from '../src/core/output';
import { type Output, outputFolder, type Staged, stageSynthesis } from './stage';

/**
 * `npm run synth`: synthesizes the app into a staging folder, validates every
 * object against its schema, and only then replaces the output folder. On any
 * error the output folder is left byte-identical and the command exits
 * non-zero.
 *
 * Plain `cdk8s synth` empties the output folder before it runs the app, so a
 * failing app leaves a GitOps folder empty.
 */

function fail(message: string, output?: Output): never {
  console.error(`error: ${message}`);
  console.error(
    output ? `${output.name}/ and ${output.prerequisites.name}/ were left unchanged.` : 'Nothing was written.',
  );
  process.exit(1);
}

let output: Output;
let staged: Staged;
try {
  output = outputFolder();
} catch (error) {
  fail((error as Error).message);
}
try {
  staged = stageSynthesis(output);
} catch (error) {
  fail((error as Error).message, output);
}

try {
  replaceFolder(output.path, staged.dir);
  replaceFolder(output.prerequisites.path, staged.prerequisitesDir);
} catch (error) {
  fail(`could not move the new files into place: ${(error as Error).message}`, output);
}

const objects = staged.files.reduce((sum, { objects }) => sum + objects.length, 0);
if (staged.files.length <= 10) {
  for (const { file, objects } of staged.files) console.log(`${output.name}/${file}: ${objects.length} objects`);
  for (const file of staged.prerequisites) console.log(`${output.prerequisites.name}/${file}`);
} else {
  console.log(`${output.name}/: ${staged.files.length} files, ${objects} objects`);
  console.log(`${output.prerequisites.name}/: ${staged.prerequisites.length} files`);
}
