import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { runApp } from '../packages/cdk8s-fargate-container-insights-cli/src/app/app';
import { APP_VARIABLES } from '../packages/cdk8s-fargate-container-insights-cli/src/app/app-settings';
import {
  checkOutputFolders,
  checkUnmarkedFolders,
  createStagingFolders,
  markOutputFolder,
  recordedSettings,
} from '../packages/cdk8s-fargate-container-insights-cli/src/core/output';
import { readFleetFile } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-file';
import { type ManifestFile, readManifests, validateManifest } from './manifests';
import { validatePrerequisites } from './prerequisite-schemas';

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

/** What the app printed and how it ended. */
export interface AppRun {
  /** Its exit status: 0 when it synthesized. */
  readonly status: number;
  /** What it printed to stdout and stderr, when quiet (else it went to the terminal). */
  readonly output: string;
}

/**
 * Runs the app with `env` (the app's variables and the staging folders),
 * quietly or printing as it goes; relative paths in `env` are the project
 * root's.
 */
export type AppRunner = (env: Readonly<Record<string, string>>, quiet: boolean) => Promise<AppRun>;

/** A cdk8s project: its root and its cdk8s.yaml. */
export interface Project {
  /** The folder of cdk8s.yaml. */
  readonly root: string;
  /** cdk8s.yaml's `app`: the command that runs the app. */
  readonly app: string;
  /** cdk8s.yaml's `output`, relative to the root. */
  readonly output: string;
  /** How the app is run: the `app` command in a process of its own, unless told otherwise. */
  readonly run: AppRunner;
}

/** cdk8s.yaml's `app` of this repository: its main.ts, whose app is `runApp`. */
export const REPOSITORY_APP = 'npx tsx main.ts';

/**
 * This repository's app in the calling process: what `npx tsx main.ts` runs,
 * without starting two more processes (npx, then Node with tsx). It prints
 * as it goes, or quietly into what it returns.
 */
export const runAppInProcess: AppRunner = async (given, quiet) => {
  // As a process of its own would see it: the environment's other variables (a misspelt one is refused), and these.
  const env = { ...otherVariables(), ...given };
  if (!quiet) return { status: await runApp(env), output: '' };
  const printed: string[] = [];
  const { log, error } = console;
  console.log = (...args: unknown[]) => printed.push(args.join(' '));
  console.error = console.log;
  try {
    return { status: await runApp(env), output: printed.map((line) => `${line}\n`).join('') };
  } finally {
    console.log = log;
    console.error = error;
  }
};

/**
 * The project at `root`, its app run as cdk8s.yaml says unless `run` is
 * given: this repository's app (`npx tsx main.ts`) in this process, any
 * other command in a process of its own.
 */
export function projectAt(root: string = ROOT, run?: AppRunner): Project {
  const settings = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as { app: string; output?: string };
  const project: Project = {
    root,
    app: settings.app,
    output: settings.output ?? 'dist',
    run:
      run ?? (settings.app.trim() === REPOSITORY_APP ? runAppInProcess : (env, quiet) => spawnApp(project, env, quiet)),
  };
  return project;
}

/** The environment's variables but the app's own, which the caller gives. */
function otherVariables(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).flatMap(([name, value]) =>
      value === undefined || APP_VARIABLES.includes(name) ? [] : [[name, value]],
    ),
  );
}

/** Runs cdk8s.yaml's app command in the project root, with the environment's other variables. */
async function spawnApp(project: Project, env: Readonly<Record<string, string>>, quiet: boolean): Promise<AppRun> {
  const others = otherVariables();
  const run = spawnSync(project.app, {
    cwd: project.root,
    shell: true,
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    encoding: 'utf8',
    env: { ...others, ...env },
  });
  if (run.error) throw new Error(`could not run "${project.app}": ${run.error.message}`);
  return { status: run.status ?? 1, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

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

const folder = (root: string, path: string, setting: string): Folder => ({
  path,
  name: relative(root, path) || '.',
  setting,
});

/**
 * The output folders for this environment: dist/ and prerequisites/, or,
 * with `CLUSTERS_FILE` set, the clusters file's. Reads the clusters file, so
 * it throws on an invalid file; when `replacing` them (`npm run synth`),
 * refuses folders that hold what the user owns (`checkOutputFolders`).
 */
export function outputFolder(
  env: NodeJS.ProcessEnv = process.env,
  replacing = false,
  project: Project = projectAt(),
): Output {
  const { root } = project;
  if (env.CLUSTERS_FILE === undefined) {
    const output = {
      ...folder(root, join(root, project.output), 'output of cdk8s.yaml'),
      prerequisites: folder(root, join(root, 'prerequisites'), 'prerequisites folder'),
    };
    if (replacing) guard(output, project);
    return output;
  }
  const path = resolve(root, env.CLUSTERS_FILE);
  const file = readFleetFile(path);
  const output = {
    ...folder(root, file.output, `output of CLUSTERS_FILE ${env.CLUSTERS_FILE}`),
    prerequisites: folder(root, file.prerequisites, `prerequisites of CLUSTERS_FILE ${env.CLUSTERS_FILE}`),
    clustersFile: path,
  };
  if (replacing) guard(output, project);
  return output;
}

/**
 * Refuses output folders that hold what the user owns
 * (`checkOutputFolders`): the clusters file, the project root, a Git work
 * tree, each other, or files this tool did not write.
 */
function guard(output: Output, project: Project): void {
  checkOutputFolders(
    [
      { setting: output.setting, path: output.path },
      { setting: output.prerequisites.setting, path: output.prerequisites.path },
    ],
    {
      cwd: project.root,
      inputs: [
        ...(output.clustersFile === undefined ? [] : [{ what: 'the clusters file', path: output.clustersFile }]),
        { what: 'the app', path: join(project.root, project.app.split(/\s+/).pop() ?? 'main.ts') },
        { what: 'cdk8s.yaml', path: join(project.root, 'cdk8s.yaml') },
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
export async function stageSynthesis(
  output: Output,
  appSettings: Readonly<Record<string, string>> = appVariables(),
  quiet = false,
  project: Project = projectAt(),
): Promise<Staged> {
  // Beside the output folders, so that a later rename stays on one filesystem.
  const staging = createStagingFolders([output.path, output.prerequisites.path]);
  const [dir = '', prerequisitesDir = ''] = staging.dirs;
  try {
    // Quiet (the drift check): what the app says (the bill) is shown only when it fails.
    const run = await project.run(
      {
        ...appSettings,
        ...(output.clustersFile === undefined ? {} : { CLUSTERS_FILE: output.clustersFile }),
        CDK8S_OUTDIR: dir,
        PREREQUISITES_OUTDIR: prerequisitesDir,
      },
      quiet,
    );
    if (run.status !== 0) {
      if (quiet) process.stderr.write(run.output);
      throw new Error(`synthesis failed: "${project.app}" exited with ${run.status}.`);
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
export function checkStagedAgainstOutput(output: Output, staged: Staged, project: Project = projectAt()): void {
  checkUnmarkedFolders(
    [
      { setting: output.setting, path: output.path, staged: staged.dir },
      { setting: output.prerequisites.setting, path: output.prerequisites.path, staged: staged.prerequisitesDir },
    ],
    { cwd: project.root },
  );
}
