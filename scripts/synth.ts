import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { readManifests, validateManifest } from './manifests';

/**
 * `npm run synth`: synthesizes the app into a temporary folder, validates every
 * object against the Kubernetes schema, and only then replaces the output
 * folder. On any error the output folder is left byte-identical and the
 * command exits non-zero.
 *
 * Plain `cdk8s synth` empties the output folder before it runs the app, so a
 * failing app leaves a GitOps folder empty.
 */

const root = resolve(__dirname, '..');
const settings = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as { app: string; output?: string };
const output = join(root, settings.output ?? 'dist');
const relativeOutput = settings.output ?? 'dist';

function fail(message: string, staging?: string): never {
  if (staging) rmSync(staging, { recursive: true, force: true });
  console.error(`error: ${message}`);
  console.error(`${relativeOutput}/ was left unchanged.`);
  process.exit(1);
}

// Stage next to the output folder so the final renames stay on one filesystem.
const staging = mkdtempSync(join(root, '.synth-'));
chmodSync(staging, 0o755); // mkdtemp creates it private; the output folder is not.
const run = spawnSync(settings.app, {
  cwd: root,
  shell: true,
  stdio: 'inherit',
  env: { ...process.env, CDK8S_OUTDIR: staging },
});
if (run.error) fail(`could not run "${settings.app}": ${run.error.message}`, staging);
if (run.status !== 0) fail(`synthesis failed: "${settings.app}" exited with ${run.status ?? run.signal}.`, staging);

let files: ReturnType<typeof readManifests>;
try {
  files = readManifests(staging);
  if (files.length === 0) throw new Error('the app wrote no manifests');
  for (const { objects } of files) objects.forEach(validateManifest);
} catch (error) {
  fail((error as Error).message, staging);
}

// Swap the folders: the old output is moved aside, the new one put in place,
// and the old one removed only once the new one is there.
const previous = existsSync(output) ? `${staging}-previous` : undefined;
if (previous) renameSync(output, previous);
try {
  renameSync(staging, output);
} catch (error) {
  if (previous) renameSync(previous, output);
  fail(`could not move the new manifests into place: ${(error as Error).message}`, staging);
}
if (previous) rmSync(previous, { recursive: true, force: true });

for (const { file, objects } of files) {
  console.log(`${relativeOutput}/${file}: ${objects.length} objects`);
}
