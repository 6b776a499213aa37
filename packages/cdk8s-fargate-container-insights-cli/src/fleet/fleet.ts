import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, Yaml } from 'cdk8s';
import { CollectorPrerequisites, ValidationError } from 'cdk8s-fargate-container-insights';
import { FLEET_DASHBOARD_NAME } from 'cdk8s-fargate-container-insights/internal';
import { fleetHeader, withHeader } from '../core/generated-header';
import { FileBatch, queueFiles, writeFoldersSafely } from '../core/output';
import { addClusterCharts, prerequisitesOf } from './cluster-charts';
import type { FleetCluster } from './cluster-settings';
import { type Fleet, validateFleet } from './fleet-spec';
import {
  argoCdApplicationSet,
  fluxObjects,
  GITOPS_FOLDER,
  type GitOpsSource,
  KUSTOMIZATION_FILE,
  kustomization,
} from './gitops';

/**
 * Synthesizes a fleet: one folder per cluster under the output folder, each
 * applyable on its own (`kubectl apply -k <output>/<cluster>`), plus the
 * GitOps objects under `_gitops/`.
 *
 * Each cluster is synthesized by an App of its own, so the work grows
 * linearly with the number of clusters (one App with a chart per cluster
 * grows quadratically). Large fleets are split across worker threads.
 */

/**
 * Synthesizes clusters into `<outdir>/<name>/`, in this thread, and their
 * prerequisites into `<prerequisitesDir>/<name>/` when given. Returns the
 * files written, relative to their folder.
 *
 * @param first index of `clusters[0]` in the fleet, for error messages
 */
export async function synthesizeClusters(
  clusters: readonly FleetCluster[],
  outdir: string,
  first = 0,
  prerequisitesDir?: string,
  onCluster: () => void = () => undefined,
): Promise<FleetFiles> {
  const manifests: string[] = [];
  const prerequisites: string[] = [];
  const withoutTemplate: TemplateNotWritten[] = [];
  const dashboards: string[] = [];
  // cdk8s writes the manifests as it synthesizes; our own files go out together.
  const batch = new FileBatch();
  clusters.forEach((cluster, i) => {
    const dir = join(outdir, cluster.name);
    const files: string[] = [];
    try {
      const app = new App({ outdir: dir });
      const constructs = addClusterCharts(app, cluster);
      app.synth();
      const headed = withHeader(app, fleetHeader(cluster.name));
      for (const [path, text] of headed) batch.add(path, text);
      files.push(...headed.map(([path]) => basename(path)));
      if (prerequisitesDir !== undefined) {
        const dir = join(prerequisitesDir, cluster.name);
        const written = CollectorPrerequisites._of(prerequisitesOf(constructs, cluster));
        const names = queueFiles(written.files, dir, batch);
        prerequisites.push(...names.map((file) => `${cluster.name}/${file}`));
        const template = written._template;
        if ('missing' in template) withoutTemplate.push({ clusterName: cluster.name, reason: template.missing });
        dashboards.push(written._dashboardJson);
      }
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(`clusters[${first + i}] (${cluster.name}): ${error.message}`);
    }
    files.sort();
    batch.add(join(dir, KUSTOMIZATION_FILE), fleetHeader(cluster.name) + Yaml.stringify(kustomization(files)));
    manifests.push(...[...files, KUSTOMIZATION_FILE].sort().map((file) => `${cluster.name}/${file}`));
    onCluster();
  });
  await batch.write();
  return { manifests, prerequisites, withoutTemplate, dashboards };
}

/** A cluster whose prerequisites have no CloudFormation template, and why. */
export interface TemplateNotWritten {
  /** The cluster. */
  readonly clusterName: string;
  /** Why there is no template: no OIDC issuer, or the companion package is not installed. */
  readonly reason: string;
}

/** Files written, relative to the output and the prerequisites folders. */
export interface FleetFiles {
  /** The manifests and kustomization files, relative to the output folder. */
  readonly manifests: readonly string[];
  /** The prerequisite files, relative to the prerequisites folder. */
  readonly prerequisites: readonly string[];
  /** The clusters whose prerequisites have no CloudFormation template, in the file's order. */
  readonly withoutTemplate: readonly TemplateNotWritten[];
  /** With prerequisites: what the fleet's overview dashboard needs of each cluster, in the file's order. */
  readonly dashboards: readonly string[];
}

/** Fleets smaller than this are synthesized in the calling thread: starting a worker costs about 0.2 s. */
const WORKER_THRESHOLD = 200;

/** Options of {@link synthesizeFleet}. */
export interface FleetSynthOptions {
  /**
   * Called as each cluster is synthesized, with the clusters done and in all.
   *
   * @default - nothing is told
   */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads to spread the clusters over. 1 synthesizes in the calling
   * thread.
   *
   * @default 1 below 200 clusters; else one per CPU, at most 8
   */
  readonly workers?: number;
  /**
   * Folder for each cluster's prerequisites (`<folder>/<cluster>/`: eksctl
   * config, CloudFormation template), replaced whole like the output folder.
   *
   * @default - no prerequisites are written
   */
  readonly prerequisitesOutdir?: string;
  /**
   * How messages name the setting that chose the output folder.
   *
   * @default 'outdir'
   */
  readonly outdirSetting?: string;
  /**
   * How messages name the setting that chose the prerequisites folder.
   *
   * @default 'prerequisitesOutdir'
   */
  readonly prerequisitesOutdirSetting?: string;
  /**
   * Files the synthesis was read from (the clusters file), which neither
   * folder may hold: replacing it would delete them.
   *
   * @default - none
   */
  readonly inputFiles?: readonly string[];
}

/** What {@link synthesizeFleet} wrote. */
export interface FleetSynthResult {
  /** Every file written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Every prerequisite file written, relative to the prerequisites folder, sorted. */
  readonly prerequisites: readonly string[];
  /** The clusters whose prerequisites have no CloudFormation template, and why, in the file's order. */
  readonly withoutTemplate: readonly TemplateNotWritten[];
  /** Worker threads used (1: the calling thread). */
  readonly workers: number;
}

/**
 * A worker's answer: the files it wrote, or why it could not.
 *
 * @internal
 */
export type FleetWorkerMessage =
  | {
      /** One more cluster synthesized. */
      readonly progress: 1;
    }
  | {
      /** The files it wrote. */
      readonly files: FleetFiles;
    }
  | {
      /** The error's message. */
      readonly error: string;
      /** Whether it was a ValidationError (bad input) rather than a failure. */
      readonly validation: boolean;
    };

/**
 * What a worker is given.
 *
 * @internal
 */
export interface FleetWorkerData {
  /** The clusters of its chunk. */
  readonly clusters: readonly FleetCluster[];
  /** The staging output folder. */
  readonly outdir: string;
  /** The index of its first cluster in the fleet. */
  readonly first: number;
  /** The staging prerequisites folder, if any. */
  readonly prerequisitesDir?: string;
}

function runWorker(data: FleetWorkerData, onCluster: () => void): Promise<FleetFiles> {
  // Compiled, the worker is fleet-worker.js beside this file. From source
  // (tests, `tsx main.ts`) it is fleet-worker.ts, loaded through tsx's
  // require hook, which a worker does not inherit.
  const extension = extname(__filename);
  const file = join(__dirname, `fleet-worker${extension}`);
  const worker =
    extension === '.ts'
      ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, {
          eval: true,
          workerData: data,
        })
      : new Worker(file, { workerData: data });
  return new Promise((resolvePromise, reject) => {
    worker.on('message', (message: FleetWorkerMessage) => {
      if ('progress' in message) onCluster();
      else if ('files' in message) resolvePromise(message.files);
      else reject(message.validation ? new ValidationError(message.error) : new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`fleet worker exited with code ${code}`));
    });
  });
}

/**
 * Synthesizes a fleet into `outdir`, replacing the folder whole: stale
 * cluster folders go, and nothing is lost on failure. The fleet is validated
 * first; then every cluster is synthesized into a staging folder beside
 * `outdir`, which takes its place only when all succeeded.
 *
 * Writes `<outdir>/<cluster>/` with the cluster's manifests and a
 * `kustomization.yaml`; with `gitops.argoCd`, `_gitops/argocd/applicationset.yaml`;
 * with `gitops.flux`, `_gitops/flux/<cluster>.yaml`.
 *
 * Before anything is written, both folders are checked (`checkOutputFolders`):
 * neither may be or hold `inputFiles`, the working folder or a Git work tree,
 * they may not overlap, and an existing folder may hold only files this tool
 * wrote.
 *
 * @throws ValidationError naming the entry and field of each problem, or the folder setting; both folders are then unchanged
 */
export async function synthesizeFleet(
  fleet: Fleet,
  outdir: string,
  options: FleetSynthOptions = {},
): Promise<FleetSynthResult> {
  const valid = validateFleet(fleet);
  const workers = Math.max(
    1,
    Math.min(
      valid.clusters.length,
      options.workers ?? (valid.clusters.length < WORKER_THRESHOLD ? 1 : Math.min(availableParallelism(), 8)),
    ),
  );
  const prerequisitesOutdir = options.prerequisitesOutdir;
  const outputs = [
    { setting: options.outdirSetting ?? 'outdir', path: outdir },
    ...(prerequisitesOutdir === undefined
      ? []
      : [{ setting: options.prerequisitesOutdirSetting ?? 'prerequisitesOutdir', path: prerequisitesOutdir }]),
  ];
  const inputs = (options.inputFiles ?? []).map((path) => ({ what: 'the input file', path }));
  const files = await writeFoldersSafely(
    outputs,
    ([staged = '', stagedPrerequisites]) =>
      writeFleet(valid, staged, workers, stagedPrerequisites, options.onProgress ?? (() => undefined)),
    { inputs },
  );
  return {
    files: files.manifests,
    prerequisites: files.prerequisites,
    withoutTemplate: files.withoutTemplate,
    workers,
  };
}

/** Writes a validated fleet into the empty folder `dir`; returns the files, sorted. */
async function writeFleet(
  { clusters, gitops }: Fleet,
  dir: string,
  workers: number,
  prerequisitesDir: string | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<FleetFiles> {
  let manifests: string[];
  let prerequisites: string[];
  let withoutTemplate: TemplateNotWritten[];
  let dashboards: string[];
  let done = 0;
  const onCluster = () => onProgress(++done, clusters.length);
  if (workers === 1) {
    const written = await synthesizeClusters(clusters, dir, 0, prerequisitesDir, onCluster);
    manifests = [...written.manifests];
    prerequisites = [...written.prerequisites];
    withoutTemplate = [...written.withoutTemplate];
    dashboards = [...written.dashboards];
  } else {
    // Contiguous chunks, so that the first failing chunk holds the first failing cluster.
    const size = Math.ceil(clusters.length / workers);
    const chunks: FleetWorkerData[] = Array.from({ length: workers }, (_, w) => ({
      clusters: clusters.slice(w * size, (w + 1) * size),
      outdir: dir,
      first: w * size,
      ...(prerequisitesDir === undefined ? {} : { prerequisitesDir }),
    })).filter((chunk) => chunk.clusters.length > 0);
    const results = await Promise.allSettled(chunks.map((chunk) => runWorker(chunk, onCluster)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const written = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    manifests = written.flatMap((w) => w.manifests);
    prerequisites = written.flatMap((w) => w.prerequisites);
    withoutTemplate = written.flatMap((w) => w.withoutTemplate);
    dashboards = written.flatMap((w) => w.dashboards);
  }
  if (prerequisitesDir !== undefined) {
    const overview = fleetDashboardFile(dashboards);
    if (overview !== undefined) {
      mkdirSync(join(prerequisitesDir, dirname(FLEET_DASHBOARD_FILE)), { recursive: true });
      writeFileSync(join(prerequisitesDir, overview.file), overview.text);
      prerequisites.push(overview.file);
    }
  }

  if (gitops !== undefined) {
    const source: GitOpsSource = { repoURL: gitops.repoURL, branch: gitops.branch ?? 'main', path: gitops.path };
    if (gitops.argoCd !== undefined) {
      const file = `${GITOPS_FOLDER}/argocd/applicationset.yaml`;
      const applicationSet = argoCdApplicationSet(source, {
        namespace: gitops.argoCd.namespace ?? 'argocd',
        project: gitops.argoCd.project ?? 'default',
      });
      mkdirSync(join(dir, GITOPS_FOLDER, 'argocd'), { recursive: true });
      writeFileSync(join(dir, file), fleetHeader() + Yaml.stringify(applicationSet));
      manifests.push(file);
    }
    if (gitops.flux !== undefined) {
      const flux = { namespace: gitops.flux.namespace ?? 'flux-system', interval: gitops.flux.interval ?? '10m' };
      const batch = new FileBatch();
      for (const cluster of clusters) {
        const file = `${GITOPS_FOLDER}/flux/${cluster.name}.yaml`;
        batch.add(
          join(dir, file),
          fleetHeader(cluster.name) + Yaml.stringify(...fluxObjects(source, cluster.name, flux)),
        );
        manifests.push(file);
      }
      await batch.write();
    }
  }
  return { manifests: manifests.sort(), prerequisites: prerequisites.sort(), withoutTemplate, dashboards };
}

/** The folder of the prerequisites that are the fleet's, not one cluster's: no cluster name starts with `_`. */
const FLEET_FOLDER = '_fleet';

/** The fleet's overview dashboard's file, in the prerequisites folder. */
export const FLEET_DASHBOARD_FILE = `${FLEET_FOLDER}/${FLEET_DASHBOARD_NAME}.json`;

/**
 * The fleet's overview dashboard, as `aws cloudwatch put-dashboard` takes its body; none when no cluster has a
 * dashboard (all send OTLP alone).
 */
function fleetDashboardFile(dashboards: readonly string[]): { file: string; text: string } | undefined {
  const body = JSON.parse(CollectorPrerequisites._fleetDashboardBody(dashboards)) as { widgets: unknown[] };
  if (body.widgets.length === 0) return undefined;
  return { file: FLEET_DASHBOARD_FILE, text: `${JSON.stringify(body, null, 2)}\n` };
}
