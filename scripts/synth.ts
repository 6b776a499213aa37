import { existsSync, renameSync, rmSync } from 'node:fs';
import { OUTPUT, OUTPUT_NAME, type Staged, stageSynthesis } from './stage';

/**
 * `npm run synth`: synthesizes the app into a temporary folder, validates every
 * object against the Kubernetes schema, and only then replaces the output
 * folder. On any error the output folder is left byte-identical and the
 * command exits non-zero.
 *
 * Plain `cdk8s synth` empties the output folder before it runs the app, so a
 * failing app leaves a GitOps folder empty.
 */

function fail(message: string): never {
  console.error(`error: ${message}`);
  console.error(`${OUTPUT_NAME}/ was left unchanged.`);
  process.exit(1);
}

let staged: Staged;
try {
  staged = stageSynthesis();
} catch (error) {
  fail((error as Error).message);
}

// Swap the folders: the old output is moved aside, the new one put in place,
// and the old one removed only once the new one is there.
const previous = existsSync(OUTPUT) ? `${staged.dir}-previous` : undefined;
if (previous) renameSync(OUTPUT, previous);
try {
  renameSync(staged.dir, OUTPUT);
} catch (error) {
  if (previous) renameSync(previous, OUTPUT);
  rmSync(staged.dir, { recursive: true, force: true });
  fail(`could not move the new manifests into place: ${(error as Error).message}`);
}
if (previous) rmSync(previous, { recursive: true, force: true });

for (const { file, objects } of staged.files) {
  console.log(`${OUTPUT_NAME}/${file}: ${objects.length} objects`);
}
