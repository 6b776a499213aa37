import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type ManifestFile, readManifests, validateManifest } from './manifests';

/**
 * Runs the app of cdk8s.yaml into a fresh staging folder beside the output
 * folder and validates every object against the Kubernetes schema. Shared by
 * `npm run synth` (which then swaps the folders) and `npm run check` (which
 * compares them).
 */

/** The project root and the output folder cdk8s.yaml names. */
export const ROOT = resolve(__dirname, '..');
const settings = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string; output?: string };
export const OUTPUT_NAME = settings.output ?? 'dist';
export const OUTPUT = join(ROOT, OUTPUT_NAME);

/** A synthesis that succeeded: its folder and its manifests. */
export interface Staged {
  readonly dir: string;
  readonly files: ManifestFile[];
}

/**
 * Synthesizes into a new folder `.synth-*` in the project root. On failure the
 * folder is removed and the error says what went wrong.
 */
export function stageSynthesis(): Staged {
  // Beside the output folder, so that a later rename stays on one filesystem.
  const dir = mkdtempSync(join(ROOT, '.synth-'));
  chmodSync(dir, 0o755); // mkdtemp creates it private; the output folder is not.
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
    for (const { objects } of files) objects.forEach(validateManifest);
    return { dir, files };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
