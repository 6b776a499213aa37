import { replaceFolders } from '../src/core/output';
import { checkStagedAgainstOutput, type Output, outputFolder, type Staged, stageSynthesis } from './stage';

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

/** Any thrown value's message. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let output: Output;
let staged: Staged;
try {
  output = outputFolder(process.env, true);
} catch (error) {
  fail(messageOf(error));
}
try {
  staged = stageSynthesis(output);
} catch (error) {
  fail(messageOf(error), output);
}

try {
  checkStagedAgainstOutput(output, staged);
} catch (error) {
  staged.discard();
  fail(messageOf(error), output);
}
try {
  replaceFolders([
    { output: output.path, staged: staged.dir },
    { output: output.prerequisites.path, staged: staged.prerequisitesDir },
  ]);
} catch (error) {
  staged.discard();
  fail(`could not move the new files into place: ${messageOf(error)}`, output);
}

const objects = staged.files.reduce((sum, { objects }) => sum + objects.length, 0);
if (staged.files.length <= 10) {
  for (const { file, objects } of staged.files) console.log(`${output.name}/${file}: ${objects.length} objects`);
  for (const file of staged.prerequisites) console.log(`${output.prerequisites.name}/${file}`);
} else {
  console.log(`${output.name}/: ${staged.files.length} files, ${objects} objects`);
  console.log(`${output.prerequisites.name}/: ${staged.prerequisites.length} files`);
}
