import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, replaceFolders } from '../packages/cdk8s-fargate-container-insights-cli/src/core/output';
import { AWS_PACKAGE, companionInstalled } from '../src/prerequisites/aws-template';
import { PREREQUISITE_FILES } from '../src/prerequisites/prerequisites';
import { diffFolders } from './folders';
import {
  appVariables,
  checkSettings,
  checkStagedAgainstOutput,
  type Output,
  outputFolder,
  type Project,
  projectAt,
  type Staged,
  stageSynthesis,
} from './stage';

/**
 * The project's two commands, as functions that print and return their exit
 * status: `npm run synth` (scripts/synth.ts) and `npm run check`
 * (scripts/check.ts) run them on this project, the tests on scratch copies.
 */

/** Any thrown value's message. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Prints the error, and what was left as it was. */
function failed(message: string, output?: Output): number {
  console.error(`error: ${message}`);
  console.error(
    output ? `${output.name}/ and ${output.prerequisites.name}/ were left unchanged.` : 'Nothing was written.',
  );
  return 1;
}

/**
 * `npm run synth`: synthesizes the app into a staging folder, validates every
 * object against its schema, and only then replaces the output folder. On
 * any error the output folder is left byte-identical and the status is 1.
 *
 * Plain `cdk8s synth` empties the output folder before it runs the app, so a
 * failing app leaves a GitOps folder empty.
 */
export async function synthCommand(env: NodeJS.ProcessEnv, project: Project = projectAt()): Promise<number> {
  let output: Output;
  let staged: Staged;
  try {
    output = outputFolder(env, true, project);
  } catch (error) {
    return failed(messageOf(error));
  }
  try {
    staged = await stageSynthesis(output, appVariables(env), false, project);
  } catch (error) {
    return failed(messageOf(error), output);
  }
  try {
    checkStagedAgainstOutput(output, staged, project);
  } catch (error) {
    staged.discard();
    return failed(messageOf(error), output);
  }
  try {
    replaceFolders([
      { output: output.path, staged: staged.dir },
      { output: output.prerequisites.path, staged: staged.prerequisitesDir },
    ]);
  } catch (error) {
    staged.discard();
    return failed(`could not move the new files into place: ${messageOf(error)}`, output);
  }
  const objects = staged.files.reduce((sum, { objects }) => sum + objects.length, 0);
  if (staged.files.length <= 10) {
    for (const { file, objects } of staged.files) console.log(`${output.name}/${file}: ${objects.length} objects`);
    for (const file of staged.prerequisites) console.log(`${output.prerequisites.name}/${file}`);
  } else {
    console.log(`${output.name}/: ${staged.files.length} files, ${objects} objects`);
    console.log(`${output.prerequisites.name}/: ${staged.prerequisites.length} files`);
  }
  return 0;
}

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
 * the committed output folder, for CI in GitOps repositories. 0 when they are
 * byte-identical, 1 with a unified diff when they differ, 2 when the app
 * cannot be synthesized. Never writes to the output folder.
 */
export async function checkCommand(env: NodeJS.ProcessEnv, project: Project = projectAt()): Promise<number> {
  let output: Output;
  let staged: Staged;
  try {
    output = outputFolder(env, false, project);
    staged = await stageSynthesis(output, checkSettings(output, env), true, project);
  } catch (error) {
    console.error(`error: ${messageOf(error)}`);
    return 2;
  }
  const unwritable = committedTemplatesThisRunCannotWrite(output.prerequisites.path, staged.prerequisitesDir);
  if (unwritable.length > 0) {
    staged.discard();
    console.error(
      `error: ${unwritable.map((file) => `${output.prerequisites.name}/${file}`).join(', ')} is committed, but this run cannot write CloudFormation templates: ${AWS_PACKAGE} is not installed (npm ci installs it, as a workspace of this repository). Install it and check again; synthesizing without it would delete the template.`,
    );
    return 2;
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
      return 1;
    }
    console.log(
      `${output.name}/ is up to date (${files(staged.files.length)}), and ${output.prerequisites.name}/ (${files(staged.prerequisites.length)}).`,
    );
    return 0;
  } finally {
    staged.discard();
  }
}
