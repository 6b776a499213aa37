import { writeFileSync } from 'node:fs';
import { App } from 'cdk8s';
import type { FargateLogging, SampleGoWebapp } from 'cdk8s-fargate-container-insights';
import { CollectorPrerequisites, ValidationError } from 'cdk8s-fargate-container-insights';
import type { ClusterPrerequisites } from 'cdk8s-fargate-container-insights/internal';
import {
  estimateCluster,
  fargateLoggingCost,
  inWords,
  pricesNote,
  sampleCost,
  sampleScrapedPods,
} from 'cdk8s-fargate-container-insights/internal';
import { appHeader, withHeader } from '../core/generated-header';
import { writeFiles } from '../core/output';
import { progressOn } from '../core/progress';
import { formatBill, replicasAdvice } from '../fleet/bill-text';
import { addClusterCharts, type ClusterConstructs, prerequisitesOf } from '../fleet/cluster-charts';
import { synthesizeFleet } from '../fleet/fleet';
import { estimateFleet, formatFleetBill, formatFleetCollectors } from '../fleet/fleet-estimate';
import { readFleetFile } from '../fleet/fleet-file';
import {
  APP_VARIABLES,
  type AppSettings,
  checkVariableNames,
  type Environment,
  settingsFromEnvironment,
} from './app-settings';

/**
 * This repository's own cdk8s app (main.ts runs it), configured from the
 * environment:
 *
 * - one cluster (the collector and the sample application) from
 *   `CLUSTER_NAME`, `AWS_REGION` and `COLLECTOR_ROLE_ARN`, into dist/;
 * - or a fleet from the clusters file `CLUSTERS_FILE`, into the file's output
 *   folder, one folder per cluster.
 */

/** The single-cluster app's constructs and prerequisites. */
export interface AppCluster {
  /** The app, one chart (one file in dist/) per construct: the same charts a fleet's cluster folder holds. */
  readonly app: App;
  /** The cluster's prerequisites, derived from its constructs. */
  readonly prerequisites: ClusterPrerequisites;
  /** The collector. */
  readonly collector: ClusterConstructs['collector'];
  /** The sample application, in the demo or with `SAMPLE_APP=true`. */
  readonly sampleApp?: SampleGoWebapp;
  /** The Fargate logging, with `FARGATE_LOGGING=true`. */
  readonly logging?: FargateLogging;
}

/** Builds the single-cluster app, with the cluster's prerequisites derived from its constructs. */
export function buildCluster(settings: AppSettings, outdir?: string): AppCluster {
  const app = new App(outdir === undefined ? {} : { outdir });
  const constructs = addClusterCharts(app, settings.cluster);
  const { collector, sampleApp, logging } = constructs;
  return {
    app,
    prerequisites: prerequisitesOf(constructs, settings.cluster),
    collector,
    ...(sampleApp === undefined ? {} : { sampleApp }),
    ...(logging === undefined ? {} : { logging }),
  };
}

/** {@link buildCluster}'s app alone. */
export function buildApp(settings: AppSettings, outdir?: string): App {
  return buildCluster(settings, outdir).app;
}

/** Writes the cluster's manifests into its app's output folder, each file with the generated-by header. */
export function synthCluster(built: AppCluster): void {
  built.app.synth();
  for (const [path, text] of withHeader(built.app, appHeader(built.collector.clusterName))) {
    writeFileSync(path, text);
  }
}

/**
 * The lines `npm run synth` prints after synthesizing: what the cluster's
 * Container Insights cost a month, line by line, with what the count
 * assumes; the sample application is the one scraped workload.
 */
export function estimateLines(settings: AppSettings, built: AppCluster): string[] {
  const { collector, sampleApp, logging } = built;
  const { pods, namespaces, workloads, services, defaulted } = settings.expected;
  const sample = sampleApp !== undefined && sampleApp.replicas > 0 ? sampleApp : undefined;
  const bill = estimateCluster(
    collector._configOptions,
    collector.sizing,
    {
      pods,
      namespaces,
      workloads,
      services,
      ...(sample === undefined ? {} : { scrapedPods: sampleScrapedPods(sample.replicas) }),
    },
    [
      ...(sample === undefined ? [] : [sampleCost(sample.replicas, sample.fargateSize)]),
      ...(logging === undefined ? [] : [fargateLoggingCost(logging.logGroupName)]),
    ],
  );
  const region = collector._configOptions.region;
  const title = `Monthly estimate for cluster "${collector.clusterName}" in ${region}, ${pods} pods of ${workloads} workloads in ${namespaces} namespaces, ${services} Services (${pricesNote([region])}):`;
  const advice = replicasAdvice(bill.sizing, 'COLLECTOR_REPLICAS');
  return [
    ...formatBill(title, bill.lines),
    ...(advice === undefined ? [] : [advice]),
    ...(defaulted.length === 0
      ? []
      : [`${inWords(defaulted)} not set: set ${defaulted.length === 1 ? 'it' : 'them'} for your cluster.`]),
  ];
}

/** Synthesizes the fleet of a clusters file into `CDK8S_OUTDIR`, or the file's output folder. */
async function synthesizeFleetFile(env: Environment, file: string): Promise<void> {
  const single = APP_VARIABLES.filter((name) => env[name] !== undefined);
  if (single.length > 0) {
    throw new ValidationError(
      `Invalid environment: CLUSTERS_FILE and ${single.join(', ')} are both set; expected either a clusters file (CLUSTERS_FILE) or one cluster (CLUSTER_NAME, AWS_REGION, COLLECTOR_ROLE_ARN).`,
    );
  }
  const outdir = env.CDK8S_OUTDIR;
  const { fleet, output, prerequisites } = readFleetFile(file);
  // Everything that can fail runs before anything is written.
  const estimate = estimateFleet(fleet);
  const progress = progressOn(process.stderr, 'clusters');
  const result = await synthesizeFleet(fleet, outdir ?? output, {
    onProgress: progress.step,
    prerequisitesOutdir: env.PREREQUISITES_OUTDIR ?? prerequisites,
    outdirSetting: outdir === undefined ? `output of CLUSTERS_FILE ${file}` : 'CDK8S_OUTDIR',
    prerequisitesOutdirSetting:
      env.PREREQUISITES_OUTDIR === undefined ? `prerequisites of CLUSTERS_FILE ${file}` : 'PREREQUISITES_OUTDIR',
    inputFiles: [file],
  }).finally(progress.end);
  for (const { clusterName, reason } of result.withoutTemplate) {
    console.error(`No CloudFormation template for ${clusterName} (the collector's role and the alarms): ${reason}.`);
  }
  console.error(formatFleetCollectors(fleet, estimate));
  for (const line of formatFleetBill(fleet, estimate)) console.error(line);
}

/** An error that is not bad input, on one line. */
function unexpected(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `error: unexpected failure: ${text.split('\n')[0]}`;
}

/**
 * Runs the app: a fleet with `CLUSTERS_FILE`, else one cluster, into
 * `CDK8S_OUTDIR` (else cdk8s' default). Returns the exit status: bad input,
 * and anything unexpected, is one line on stderr and 1.
 */
export async function runApp(env: Environment): Promise<number> {
  try {
    checkVariableNames(env);
    if (env.CLUSTERS_FILE !== undefined) {
      await synthesizeFleetFile(env, env.CLUSTERS_FILE);
      return 0;
    }
    const settings = settingsFromEnvironment(env);
    const { name, region, serviceAccountRoleArn } = settings.cluster;
    if (settings.demo) {
      console.error(
        `No CLUSTER_NAME, AWS_REGION or COLLECTOR_ROLE_ARN set: synthesizing the demo configuration (cluster "${name}" in ${region}, role ${serviceAccountRoleArn}).`,
      );
    }
    const built = buildCluster(settings, env.CDK8S_OUTDIR);
    synthCluster(built);
    for (const line of estimateLines(settings, built)) console.error(line);
    // `npm run synth` stages the prerequisites here; plain `cdk8s synth` writes only manifests.
    const prerequisitesDir = env.PREREQUISITES_OUTDIR;
    if (prerequisitesDir !== undefined) {
      const prerequisites = CollectorPrerequisites._of(built.prerequisites);
      writeFiles(prerequisites.files, prerequisitesDir);
      const template = prerequisites._template;
      if ('missing' in template) {
        console.error(
          `No CloudFormation template for ${built.collector.clusterName} (the collector's role and the alarms): ${template.missing}.`,
        );
      }
    }
    return 0;
  } catch (error) {
    console.error(error instanceof ValidationError ? `error: ${error.message}` : unexpected(error));
    return 1;
  }
}
