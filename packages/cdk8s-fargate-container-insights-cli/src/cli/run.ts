import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { ValidationError } from 'cdk8s-fargate-container-insights';
import { AWS_PACKAGE, companionInstalled, PREREQUISITE_FILES, plural } from 'cdk8s-fargate-container-insights/internal';
import { filesUnder } from '../core/output';
import { progressOn } from '../core/progress';
import { synthesizeFleet } from '../fleet/fleet';
import { estimateFleet, formatFleetBill, formatFleetCollectors } from '../fleet/fleet-estimate';
import { readFleetFile } from '../fleet/fleet-file';
import { type CommandSpec, commandHelp, PROGRAM, parseCommandLine, programHelp, usageLine } from './arguments';
import { folderDifferences, validateManifestFolder } from './manifest-folder';

/**
 * The commands of `cdk8s-fargate-container-insights`, for package users as
 * much as for this repository:
 *
 * - `fleet <clusters.yaml>` synthesizes every cluster of a clusters file into
 *   `<dir>/<cluster>/`, and its prerequisites into `<prerequisites>/<cluster>/`,
 *   replacing the folders only once everything succeeded (`synthesizeFleet`);
 * - `check <clusters.yaml>` is the drift check of those folders;
 * - `validate <folder>` checks any folder of manifests (manifest-folder.ts).
 *
 * Exit codes: 0 done, 1 bad input (nothing written) or problems found, 2 a
 * usage error, or a drift check that cannot run here.
 */

/** The npm package the command ships in. */
const PACKAGE = 'cdk8s-fargate-container-insights-cli';

/**
 * This package's version, from its package.json: the nearest one above this
 * file named as the package (lib/cli/run.js in the package, src/cli/run.ts here).
 */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === PACKAGE) return manifest.version ?? 'unknown';
  }
  return 'unknown';
}

/**
 * Runs the command; returns the exit code. Never throws: bad input is a
 * named error, and anything else is said on one line, as a failure of this
 * tool, with the output folders untouched (they are replaced only after
 * everything succeeded).
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await runCommand(argv);
  } catch (error) {
    if (error instanceof ValidationError) {
      console.error(`error: ${error.message}`);
      console.error('Nothing was written.');
      return 1;
    }
    console.error(
      `error: ${PROGRAM} failed unexpectedly, and nothing was written: ${describe(error)}. Please report it with the command you ran.`,
    );
    return 1;
  }
}

/** An unknown thrown value as one line. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0] ?? '';
}

async function runCommand(argv: readonly string[]): Promise<number> {
  const invocation = parseCommandLine(argv);
  switch (invocation.kind) {
    case 'help':
      console.log(invocation.command === undefined ? programHelp() : commandHelp(invocation.command));
      return 0;
    case 'version':
      console.log(`${PROGRAM} ${version()}`);
      return 0;
    case 'usage error':
      return usageError(invocation.message, invocation.command);
  }
  const { command, argument, options } = invocation;
  if (command.name === 'validate') return validate(argument);
  if (command.name === 'check') return check(argument, options.output, options.prerequisites);
  return fleet(argument, options, command);
}

/** A usage error: what is wrong, and the one usage line. */
function usageError(message: string, command?: CommandSpec): number {
  console.error(`error: ${message}`);
  console.error(usageLine(command));
  return 2;
}

/** `fleet <clusters.yaml>`: 0 written, 1 bad input (nothing written), 2 a bad option value. */
async function fleet(file: string, options: Readonly<Record<string, string>>, command: CommandSpec): Promise<number> {
  const workersText = options.workers;
  const workers = workersText === undefined ? undefined : Number(workersText);
  if (workers !== undefined && !(/^\d+$/.test(workersText ?? '') && workers >= 1 && workers <= 64)) {
    return usageError(
      `Invalid --workers ${JSON.stringify(workersText)}: expected a whole number from 1 to 64.`,
      command,
    );
  }
  const fleetFile = readFleetFile(file);
  const output = resolve(options.output ?? fleetFile.output);
  const prerequisitesOutdir = resolve(options.prerequisites ?? fleetFile.prerequisites);
  // Everything that can fail runs before anything is written.
  const estimate = estimateFleet(fleetFile.fleet);
  const start = performance.now();
  const progress = progressOn(options.quiet === 'true' ? { write: () => true } : process.stderr, 'clusters');
  const result = await synthesizeFleet(fleetFile.fleet, output, {
    onProgress: progress.step,
    prerequisitesOutdir,
    outdirSetting: options.output === undefined ? `output of ${file}` : '--output',
    prerequisitesOutdirSetting: options.prerequisites === undefined ? `prerequisites of ${file}` : '--prerequisites',
    inputFiles: [file],
    ...(workers === undefined ? {} : { workers }),
  }).finally(progress.end);
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  const clusters = fleetFile.fleet.clusters.length;
  console.log(
    `${shown(output)}/: ${plural(clusters, 'cluster')}, ${plural(result.files.length, 'file')}; ${shown(prerequisitesOutdir)}/: ${plural(result.prerequisites.length, 'file')} (${seconds} s, ${plural(result.workers, 'worker')}).`,
  );
  for (const { clusterName, reason } of result.withoutTemplate) {
    console.log(`No CloudFormation template for ${clusterName} (the collector's role and the alarms): ${reason}.`);
  }
  console.log(formatFleetCollectors(fleetFile.fleet, estimate));
  for (const line of formatFleetBill(fleetFile.fleet, estimate)) console.log(line);
  return 0;
}

/** `validate <folder>`: 0 no problems, 1 problems (or no manifest), 2 without the folder. */
function validate(folder: string): number {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return usageError(`Invalid <folder> ${JSON.stringify(folder)}: expected a folder of manifests.`);
  }
  const result = validateManifestFolder(folder);
  for (const line of result.skipped) console.log(`skipped: ${line}`);
  for (const problem of result.problems) console.log(problem);
  const summary = `${shown(resolve(folder))}/: ${result.summary}`;
  if (result.problems.length === 0) {
    console.log(`${summary} No problems.`);
    return 0;
  }
  console.error(`${summary} ${plural(result.problems.length, 'problem')}.`);
  return 1;
}

/**
 * `check <clusters.yaml>`: synthesizes into a temporary folder and compares;
 * never writes to the fleet's folders. 0 up to date, 1 out of date, 2 when
 * the file cannot be synthesized here, or when what it synthesizes here
 * lacks a committed template only because the companion package is missing
 * (regenerating would then delete it).
 */
async function check(file: string, outputOption?: string, prerequisitesOption?: string): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), `${PROGRAM}-check-`));
  try {
    const fleetFile = readFleetFile(file);
    const output = resolve(outputOption ?? fleetFile.output);
    const prerequisites = resolve(prerequisitesOption ?? fleetFile.prerequisites);
    const [fresh, freshPrerequisites] = [join(scratch, 'output'), join(scratch, 'prerequisites')];
    await synthesizeFleet(fleetFile.fleet, fresh, { prerequisitesOutdir: freshPrerequisites, inputFiles: [file] });
    const unwritable = companionInstalled()
      ? []
      : filesUnder(prerequisites).filter(
          (path) => path.endsWith(`/${PREREQUISITE_FILES.template}`) && !existsSync(join(freshPrerequisites, path)),
        );
    if (unwritable.length > 0) {
      console.error(
        `error: ${unwritable.map((path) => `${shown(prerequisites)}/${path}`).join(', ')} ${unwritable.length === 1 ? 'is' : 'are'} committed, but this run cannot write CloudFormation templates: ${AWS_PACKAGE} is not installed. Install it (npm install --save-dev ${AWS_PACKAGE}) and check again; synthesizing without it would delete ${unwritable.length === 1 ? 'that template' : 'those templates'}.`,
      );
      return 2;
    }
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
      `${plural(differences.length, 'file')} ${differences.length === 1 ? 'differs' : 'differ'} from what ${file} synthesizes now: run ${PROGRAM} fleet ${file} and commit the result.`,
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

function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}
