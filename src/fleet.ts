import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, Chart, Yaml } from 'cdk8s';
import { AdotVersion } from './adot-version';
import { ValidationError } from './errors';
import { FargateContainerInsightsCollector } from './fargate-container-insights-collector';
import { type Fleet, type FleetCluster, validateFleet } from './fleet-spec';
import {
  addArgoCdSyncWaves,
  argoCdApplicationSet,
  fluxObjects,
  GITOPS_FOLDER,
  type GitOpsSource,
  KUSTOMIZATION_FILE,
  kustomization,
} from './gitops';
import { writeFolderSafely } from './output';
import { SampleGoWebapp } from './sample-go-webapp';

/**
 * Synthesizes a fleet: one folder per cluster under the output folder, each
 * applyable on its own (`kubectl apply -k <output>/<cluster>`), plus the
 * GitOps objects under `_gitops/`.
 *
 * Each cluster is synthesized by an App of its own, so the work grows
 * linearly with the number of clusters (one App with a chart per cluster
 * grows quadratically). Large fleets are split across worker threads.
 */

/** The chart (and file) names of one cluster's output. */
export const CLUSTER_CHARTS = {
  collector: 'fargate-container-insights',
  sampleApp: 'sample-go-webapp',
} as const;

/**
 * Adds one cluster's charts to an app: the collector and, with `sampleApp`,
 * the sample web application. This repository's single-cluster app uses it
 * too, so a fleet's cluster folder holds what a single-cluster synth writes.
 */
export function addClusterCharts(app: App, cluster: FleetCluster): void {
  new FargateContainerInsightsCollector(new Chart(app, CLUSTER_CHARTS.collector), 'Collector', {
    clusterName: cluster.name,
    region: cluster.region,
    serviceAccountRoleArn: cluster.serviceAccountRoleArn,
    ...(cluster.adotVersion === undefined ? {} : { adotVersion: AdotVersion.of(cluster.adotVersion) }),
    ...(cluster.namespace === undefined ? {} : { namespace: cluster.namespace }),
    ...(cluster.replicas === undefined ? {} : { replicas: cluster.replicas }),
    ...(cluster.fargateNodesOnly === undefined ? {} : { fargateNodesOnly: cluster.fargateNodesOnly }),
  });
  if (cluster.sampleApp) new SampleGoWebapp(new Chart(app, CLUSTER_CHARTS.sampleApp), 'Webapp');
  addArgoCdSyncWaves(app);
}

/**
 * Synthesizes clusters into `<outdir>/<name>/`, in this thread. Returns the
 * files written, relative to `outdir`.
 *
 * @param first index of `clusters[0]` in the fleet, for error messages
 */
export function synthesizeClusters(clusters: readonly FleetCluster[], outdir: string, first = 0): string[] {
  return clusters.flatMap((cluster, i) => {
    const dir = join(outdir, cluster.name);
    try {
      const app = new App({ outdir: dir });
      addClusterCharts(app, cluster);
      app.synth();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(`clusters[${first + i}] (${cluster.name}): ${error.message}`);
    }
    const manifests = readdirSync(dir).sort();
    writeFileSync(join(dir, KUSTOMIZATION_FILE), Yaml.stringify(kustomization(manifests)));
    return [...manifests, KUSTOMIZATION_FILE].sort().map((file) => `${cluster.name}/${file}`);
  });
}

/** Fleets smaller than this are synthesized in the calling thread: starting a worker costs about 0.2 s. */
const WORKER_THRESHOLD = 200;

/** Options of {@link synthesizeFleet}. */
export interface FleetSynthOptions {
  /**
   * Worker threads to spread the clusters over. 1 synthesizes in the calling
   * thread.
   *
   * @default 1 below 200 clusters; else one per CPU, at most 8
   */
  readonly workers?: number;
}

/** What {@link synthesizeFleet} wrote. */
export interface FleetSynthResult {
  /** Every file written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Worker threads used (1: the calling thread). */
  readonly workers: number;
}

/** A worker's answer: the files it wrote, or why it could not. */
export type FleetWorkerMessage =
  | { readonly files: readonly string[] }
  | { readonly error: string; readonly validation: boolean };

/** What a worker is given. */
export interface FleetWorkerData {
  readonly clusters: readonly FleetCluster[];
  readonly outdir: string;
  readonly first: number;
}

function runWorker(data: FleetWorkerData): Promise<readonly string[]> {
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
    worker.once('message', (message: FleetWorkerMessage) => {
      if ('files' in message) resolvePromise(message.files);
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
 * @throws ValidationError naming the entry and field of each problem; `outdir` is then unchanged
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
  const files = await writeFolderSafely(outdir, (staged) => writeFleet(valid, staged, workers));
  return { files, workers };
}

/** Writes a validated fleet into the empty folder `dir`; returns the files, sorted. */
async function writeFleet({ clusters, gitops }: Fleet, dir: string, workers: number): Promise<string[]> {
  let files: string[];
  if (workers === 1) {
    files = synthesizeClusters(clusters, dir);
  } else {
    // Contiguous chunks, so that the first failing chunk holds the first failing cluster.
    const size = Math.ceil(clusters.length / workers);
    const chunks = Array.from({ length: workers }, (_, w) => ({
      clusters: clusters.slice(w * size, (w + 1) * size),
      outdir: dir,
      first: w * size,
    })).filter((chunk) => chunk.clusters.length > 0);
    const results = await Promise.allSettled(chunks.map(runWorker));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    files = results.flatMap((result) => (result.status === 'fulfilled' ? [...result.value] : []));
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
      writeFileSync(join(dir, file), Yaml.stringify(applicationSet));
      files.push(file);
    }
    if (gitops.flux !== undefined) {
      const flux = { namespace: gitops.flux.namespace ?? 'flux-system', interval: gitops.flux.interval ?? '10m' };
      mkdirSync(join(dir, GITOPS_FOLDER, 'flux'), { recursive: true });
      for (const cluster of clusters) {
        const file = `${GITOPS_FOLDER}/flux/${cluster.name}.yaml`;
        writeFileSync(join(dir, file), Yaml.stringify(...fluxObjects(source, cluster.name, flux)));
        files.push(file);
      }
    }
  }
  return files.sort();
}
