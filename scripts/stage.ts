import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { readFleetFile } from '../src/fleet-spec';
import { createStagingFolder } from '../src/output';
import { type ManifestFile, readManifests, validateManifest } from './manifests';

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

/** The output folder: its absolute path, and its name relative to the project root for messages. */
export interface Output {
  readonly path: string;
  readonly name: string;
}

/**
 * The output folder for this environment. Reads the clusters file when
 * `CLUSTERS_FILE` is set, so it throws on an invalid file.
 */
export function outputFolder(env: NodeJS.ProcessEnv = process.env): Output {
  const path =
    env.CLUSTERS_FILE === undefined
      ? join(ROOT, settings.output ?? 'dist')
      : readFleetFile(resolve(ROOT, env.CLUSTERS_FILE)).output;
  return { path, name: relative(ROOT, path) || '.' };
}

/** A synthesis that succeeded: its folder and its manifests. */
export interface Staged {
  readonly dir: string;
  readonly files: ManifestFile[];
}

/**
 * Synthesizes into a new folder `.synth-*` beside the output folder. On
 * failure the folder is removed and the error says what went wrong.
 */
export function stageSynthesis(output: Output): Staged {
  // Beside the output folder, so that a later rename stays on one filesystem.
  const dir = createStagingFolder(output.path);
  try {
    const run = spawnSync(settings.app, {
      cwd: ROOT,
      shell: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CDK8S_OUTDIR: dir },
    });
    if (run.error) throw new Error(`could not run "${settings.app}": ${run.error.message}`);
    if (run.status !== 0)
      throw new Error(`synthesis failed: "${settings.app}" exited with ${run.status ?? run.signal}.`);
    const files = readManifests(dir);
    if (files.length === 0) throw new Error('the app wrote no manifests');
    for (const { file, objects } of files) {
      for (const object of objects) validateManifest(object, file);
    }
    return { dir, files };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
