import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { APP_VARIABLES } from '../src/app/app-settings';
import {
  checkOutputFolders,
  checkUnmarkedFolders,
  createStagingFolders,
  markOutputFolder,
  recordedSettings,
} from '../src/core/output';
import { readFleetFile } from '../src/fleet/fleet-file';
import { type ManifestFile, readManifests, validateManifest } from '../tools/manifests';
import { validatePrerequisites } from '../tools/prerequisite-schemas';

/**
 * Runs the app of cdk8s.yaml into a fresh staging folder beside the output
 * folder and validates every object against its schema. Shared by
 * `npm run synth` (which then swaps the folders) and `npm run check` (which
 * compares them).
 *
 * The output folder is cdk8s.yaml's `output` (dist/), or, with
 * `CLUSTERS_FILE` set, the clusters file's output folder.
 */

/** The project root. */
export const ROOT = resolve(__dirname, '..');
const settings = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string; output?: string };

/**
 * A folder the app writes: its absolute path, its path relative to the
 * project root for messages, and the setting that chose it.
 */
export interface Folder {
  readonly path: string;
  readonly name: string;
  readonly setting: string;
}

/** The folders the app writes: the manifests, and the prerequisites beside them; and the clusters file they came from. */
export interface Output extends Folder {
  readonly prerequisites: Folder;
  readonly clustersFile?: string;
}

const folder = (path: string, setting: string): Folder => ({ path, name: relative(ROOT, path) || '.', setting });

/**
 * The output folders for this environment: dist/ and prerequisites/, or,
 * with `CLUSTERS_FILE` set, the clusters file's. Reads the clusters file, so
 * it throws on an invalid file; when `replacing` them (`npm run synth`),
 * refuses folders that hold what the user owns (`checkOutputFolders`).
 */
export function outputFolder(env: NodeJS.ProcessEnv = process.env, replacing = false): Output {
  if (env.CLUSTERS_FILE === undefined) {
    const output = {
      ...folder(join(ROOT, settings.output ?? 'dist'), 'output of cdk8s.yaml'),
      prerequisites: folder(join(ROOT, 'prerequisites'), 'prerequisites folder'),
    };
    if (replacing) guard(output);
    return output;
  }
  const path = resolve(ROOT, env.CLUSTERS_FILE);
  const file = readFleetFile(path);
  const output = {
    ...folder(file.output, `output of CLUSTERS_FILE ${env.CLUSTERS_FILE}`),
    prerequisites: folder(file.prerequisites, `prerequisites of CLUSTERS_FILE ${env.CLUSTERS_FILE}`),
    clustersFile: path,
  };
  if (replacing) guard(output);
  return output;
}

/**
 * Refuses output folders that hold what the user owns
 * (`checkOutputFolders`): the clusters file, the project root, a Git work
 * tree, each other, or files this tool did not write.
 */
function guard(output: Output): void {
  checkOutputFolders(
    [
      { setting: output.setting, path: output.path },
      { setting: output.prerequisites.setting, path: output.prerequisites.path },
    ],
    {
      cwd: ROOT,
      inputs: [
        ...(output.clustersFile === undefined ? [] : [{ what: 'the clusters file', path: output.clustersFile }]),
        { what: 'the app', path: join(ROOT, settings.app.split(/\s+/).pop() ?? 'main.ts') },
        { what: 'cdk8s.yaml', path: join(ROOT, 'cdk8s.yaml') },
      ],
    },
  );
}

/** The single-cluster app's variables set in `env`, by name. */
export function appVariables(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    APP_VARIABLES.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name] as string]])),
  );
}

/**
 * The settings `npm run check` synthesizes with: the app's variables if any
 * is set, else those `npm run synth` recorded in the output folder's marker,
 * so that a committed dist/ of one's own cluster is checked against its own
 * settings without restating them.
 */
export function checkSettings(output: Output, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const given = appVariables(env);
  return Object.keys(given).length > 0 || env.CLUSTERS_FILE !== undefined ? given : recordedSettings(output.path);
}

/** A synthesis that succeeded: its folders and its manifests. */
export interface Staged {
  readonly dir: string;
  readonly prerequisitesDir: string;
  readonly files: ManifestFile[];
  readonly prerequisites: string[];
  /** Removes the staging folders, and any parent folder made for them. */
  readonly discard: () => void;
}

/**
 * Synthesizes into new folders `.synth-*` beside the output folders. On
 * failure the folders are removed and the error says what went wrong.
 */
export function stageSynthesis(
  output: Output,
  appSettings: Readonly<Record<string, string>> = appVariables(),
  quiet = false,
): Staged {
  // Beside the output folders, so that a later rename stays on one filesystem.
  const staging = createStagingFolders([output.path, output.prerequisites.path]);
  const [dir = '', prerequisitesDir = ''] = staging.dirs;
  try {
    const others = Object.fromEntries(Object.entries(process.env).filter(([name]) => !APP_VARIABLES.includes(name)));
    // Quiet (the drift check): what the app says (the bill) is shown only when it fails.
    const run = spawnSync(settings.app, {
      cwd: ROOT,
      shell: true,
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
      encoding: 'utf8',
      env: { ...others, ...appSettings, CDK8S_OUTDIR: dir, PREREQUISITES_OUTDIR: prerequisitesDir },
    });
    if (run.error) throw new Error(`could not run "${settings.app}": ${run.error.message}`);
    if (run.status !== 0) {
      if (quiet) process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
      throw new Error(`synthesis failed: "${settings.app}" exited with ${run.status ?? run.signal}.`);
    }
    const files = readManifests(dir);
    if (files.length === 0) throw new Error('the app wrote no manifests');
    for (const { file, objects } of files) {
      for (const object of objects) validateManifest(object, file);
    }
    const prerequisites = validatePrerequisites(prerequisitesDir);
    markOutputFolder(dir, appSettings);
    markOutputFolder(prerequisitesDir);
    return { dir, prerequisitesDir, files, prerequisites, discard: staging.discard };
  } catch (error) {
    staging.discard();
    throw error;
  }
}

/**
 * Adopts the output folders that have no marker only when every file in them
 * is what was just staged (`checkUnmarkedFolders`).
 */
export function checkStagedAgainstOutput(output: Output, staged: Staged): void {
  checkUnmarkedFolders(
    [
      { setting: output.setting, path: output.path, staged: staged.dir },
      { setting: output.prerequisites.setting, path: output.prerequisites.path, staged: staged.prerequisitesDir },
    ],
    { cwd: ROOT },
  );
}
