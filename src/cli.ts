#!/usr/bin/env node
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { folderDifferences, validateManifestFolder } from './app/folder-check';
import { ValidationError } from './core/errors';
import { estimateFleet, formatFleetBill, formatFleetCollectors, synthesizeFleet } from './fleet/fleet';
import { readFleetFile } from './fleet/fleet-file';

/**
 * The command-line entry point, `cdk8s-fargate-container-insights`, for
 * package users as much as for this repository:
 *
 * - `fleet <clusters.yaml>` synthesizes every cluster of a clusters file into
 *   `<dir>/<cluster>/`, and its prerequisites into `<prerequisites>/<cluster>/`,
 *   replacing the folders only once everything succeeded (`synthesizeFleet`);
 * - `check <clusters.yaml>` is the drift check of those folders;
 * - `validate <folder>` checks any folder of manifests (folder-check.ts).
 */

const USAGE = `Usage: cdk8s-fargate-container-insights <command> [options]

  fleet <clusters.yaml> [--output <dir>] [--prerequisites <dir>] [--workers <n>]
      Synthesizes every cluster of the clusters file into <dir>/<cluster>/ (one folder
      per cluster, each with a kustomization.yaml), plus the Argo CD and Flux objects
      the file's gitops section asks for under <dir>/_gitops/, and each cluster's
      prerequisites (eksctl config fragment, IAM JSON) into <prerequisites>/<cluster>/.

  check <clusters.yaml> [--output <dir>] [--prerequisites <dir>]
      The drift check, for CI: exits 0 when both folders are what the clusters file
      synthesizes now, 1 listing each file that differs. Writes nothing to them.

  validate <folder>
      Exits 0 when every manifest under the folder parses, has its kind and name,
      passes its Kubernetes schema (with kubernetes-models installed), applies in one
      pass with kubectl apply -f, and carries a collector configuration wired as the
      collector needs; 1 listing the problems.

  --output <dir>          output folder (default: the file's "output", else dist/ beside it)
  --prerequisites <dir>   prerequisites folder (default: the file's "prerequisites", else prerequisites/ beside it)
  --workers <n>           worker threads, for fleet (default: 1 below 200 clusters, else one per CPU)
  --version               show the version
  --help                  show this text`;

/** The commands there are. */
const COMMANDS = ['fleet', 'check', 'validate'] as const;

/**
 * This package's version, from its package.json: the nearest one above this
 * file named as the package (lib/src/cli.js in the package, src/cli.ts here).
 */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'cdk8s-fargate-container-insights') return manifest.version ?? 'unknown';
  }
  return 'unknown';
}

/**
 * Runs the command; returns the exit code: 0 done, 1 bad input (nothing
 * written), 2 bad usage. Never throws: an unexpected error is printed on one
 * line and gives 1, the output folders untouched (they are replaced only
 * after everything succeeded).
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await runCommand(argv);
  } catch (error) {
    console.error(`error: unexpected failure, nothing was changed: ${describe(error)}`);
    return 1;
  }
}

/** An unknown thrown value as one line. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0] ?? '';
}

async function runCommand(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.values.version) {
    console.log(`cdk8s-fargate-container-insights ${version()}`);
    return 0;
  }
  const [command, file, ...rest] = parsed.positionals;
  const usageError =
    command === undefined
      ? 'no command given'
      : !(COMMANDS as readonly string[]).includes(command)
        ? `unknown command ${JSON.stringify(command)}: expected one of ${COMMANDS.join(', ')}`
        : file === undefined
          ? `missing ${command === 'validate' ? '<folder>' : '<clusters.yaml>'} after ${command}`
          : rest.length > 0
            ? `unexpected argument ${JSON.stringify(rest[0])} after ${command === 'validate' ? 'the folder' : 'the clusters file'}`
            : undefined;
  if (usageError !== undefined || file === undefined) {
    console.error(`error: ${usageError}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'validate') return validate(file);
  if (command === 'check') return check(file, parsed.values.output, parsed.values.prerequisites);
  const workers = parsed.values.workers === undefined ? undefined : Number(parsed.values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) {
    console.error(
      `error: Invalid --workers ${JSON.stringify(parsed.values.workers)}: expected a whole number from 1 to 64.`,
    );
    return 2;
  }

  let output: string | undefined;
  try {
    const fleetFile = readFleetFile(file);
    output = resolve(parsed.values.output ?? fleetFile.output);
    const prerequisitesOutdir = resolve(parsed.values.prerequisites ?? fleetFile.prerequisites);
    const start = performance.now();
    const result = await synthesizeFleet(fleetFile.fleet, output, {
      prerequisitesOutdir,
      outdirSetting: parsed.values.output === undefined ? `output of ${file}` : '--output',
      prerequisitesOutdirSetting:
        parsed.values.prerequisites === undefined ? `prerequisites of ${file}` : '--prerequisites',
      inputFiles: [file],
      ...(workers === undefined ? {} : { workers }),
    });
    const seconds = ((performance.now() - start) / 1000).toFixed(2);
    console.log(
      `${shown(output)}/: ${fleetFile.fleet.clusters.length} clusters, ${result.files.length} files; ${shown(prerequisitesOutdir)}/: ${result.prerequisites.length} files (${seconds} s, ${result.workers} worker${result.workers === 1 ? '' : 's'}).`,
    );
    const estimate = estimateFleet(fleetFile.fleet);
    console.log(formatFleetCollectors(fleetFile.fleet, estimate));
    for (const line of formatFleetBill(fleetFile.fleet, estimate)) console.log(line);
    return 0;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.error(`error: ${error.message}`);
    if (output !== undefined) console.error(`${shown(output)}/ and the prerequisites were left unchanged.`);
    else console.error('Nothing was written.');
    return 1;
  }
}

/** `validate <folder>`: 0 valid, 1 with the problems listed, 2 without the folder. */
function validate(folder: string): number {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`error: Invalid <folder> ${JSON.stringify(folder)}: expected a folder of manifests.`);
    return 2;
  }
  const result = validateManifestFolder(folder);
  const summary = `${shown(resolve(folder))}/: ${result.files} manifest file(s), ${result.objects} object(s), ${result.schemas}.`;
  if (result.problems.length === 0) {
    console.log(`${summary} No problems.`);
    return 0;
  }
  for (const problem of result.problems) console.log(problem);
  console.error(`${summary} ${result.problems.length} problem(s).`);
  return 1;
}

/** `check <clusters.yaml>`: synthesizes into a temporary folder and compares; never writes to the fleet's folders. */
async function check(file: string, outputOption?: string, prerequisitesOption?: string): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'cdk8s-fargate-container-insights-check-'));
  try {
    const fleetFile = readFleetFile(file);
    const output = resolve(outputOption ?? fleetFile.output);
    const prerequisites = resolve(prerequisitesOption ?? fleetFile.prerequisites);
    const [fresh, freshPrerequisites] = [join(scratch, 'output'), join(scratch, 'prerequisites')];
    await synthesizeFleet(fleetFile.fleet, fresh, { prerequisitesOutdir: freshPrerequisites, inputFiles: [file] });
    const differences = [
      ...folderDifferences(output, fresh, shown(output)),
      ...folderDifferences(prerequisites, freshPrerequisites, shown(prerequisites)),
    ];
    if (differences.length === 0) {
      console.log(`${shown(output)}/ and ${shown(prerequisites)}/ are what ${file} synthesizes now.`);
      return 0;
    }
    for (const difference of differences) console.log(difference);
    console.error(
      `${differences.length} file(s) differ from what ${file} synthesizes now: run cdk8s-fargate-container-insights fleet ${file} and commit the result.`,
    );
    return 1;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      output: { type: 'string' },
      prerequisites: { type: 'string' },
      workers: { type: 'string' },
      version: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}

function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
