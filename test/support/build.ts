import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Vitest's global setup: the packages are built once, before any test
 * file runs, and no test builds, packs with the prepack build, or deletes
 * `lib/` or `.jsii` afterwards. `npm test` builds first, so this finds the
 * build fresh and does nothing; a bare `npx vitest run` after a change to
 * the sources builds here. `SKIP_JSII_BUILD=1` skips it, for a run of test
 * files that do not read the build in a partial copy of the project.
 */

const ROOT = join(__dirname, '..', '..');

/**
 * The packages `npm run build` builds, each with the file its build writes last:
 * the jsii packages' assembly, the command-line package's compiled command.
 */
const PACKAGES = [
  { dir: ROOT, output: '.jsii' },
  { dir: join(ROOT, 'packages', 'cdk8s-fargate-container-insights-aws'), output: '.jsii' },
  { dir: join(ROOT, 'packages', 'cdk8s-fargate-container-insights-cli'), output: join('lib', 'cli.js') },
];

/** The newest modification time of the files under `dir`, 0 when it does not exist. */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((latest, entry) => Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** True when every package's build is newer than its sources. */
function built(): boolean {
  return PACKAGES.every(({ dir, output }) => {
    const written = join(dir, output);
    if (!existsSync(written) || !existsSync(join(dir, 'lib'))) return false;
    const sources = Math.max(newest(join(dir, 'src')), statSync(join(dir, 'package.json')).mtimeMs);
    return statSync(written).mtimeMs >= sources;
  });
}

export default function setup(): void {
  if (process.env.SKIP_JSII_BUILD === '1' || built()) return;
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('npm run build failed: the tests need the packages built');
}
