import { App } from 'cdk8s';
import {
  AdotVersion,
  addClusterCharts,
  readFleetFile,
  synthesizeFleet,
  ValidationError,
  validateClusterName,
  validateRegion,
  validateRoleArn,
} from './src';

/**
 * This repository's own cdk8s app, configured from the environment:
 *
 * - one cluster (the collector and the sample application) from
 *   `CLUSTER_NAME`, `AWS_REGION` and `COLLECTOR_ROLE_ARN`, into dist/;
 * - or a fleet from the clusters file `CLUSTERS_FILE`, into the file's output
 *   folder, one folder per cluster.
 */

/** What the app needs to know about the cluster. */
export interface AppSettings {
  readonly clusterName: string;
  readonly region: string;
  readonly collectorRoleArn: string;
  readonly adotVersion: AdotVersion;
  /** True when no environment variable was set and the demo values are used. */
  readonly demo: boolean;
}

/** The required environment variables. */
const REQUIRED = ['CLUSTER_NAME', 'AWS_REGION', 'COLLECTOR_ROLE_ARN'] as const;

/**
 * The demo configuration, synthesized when none of the environment variables
 * is set. 111122223333 is the account id AWS documentation uses for examples.
 */
export const DEMO_ENVIRONMENT = {
  CLUSTER_NAME: 'demo',
  AWS_REGION: 'us-east-1',
  COLLECTOR_ROLE_ARN: 'arn:aws:iam::111122223333:role/demo-adot-collector',
} as const;

/**
 * Reads the app settings from environment variables: `CLUSTER_NAME`,
 * `AWS_REGION`, `COLLECTOR_ROLE_ARN` (required together) and `ADOT_VERSION`
 * (optional). With none of them set, the demo configuration is used.
 */
export function settingsFromEnvironment(env: Readonly<Record<string, string | undefined>>): AppSettings {
  const given = [...REQUIRED, 'ADOT_VERSION'].filter((name) => env[name] !== undefined);
  const demo = given.length === 0;
  const source: Readonly<Record<string, string | undefined>> = demo ? DEMO_ENVIRONMENT : env;
  const missing = REQUIRED.filter((name) => source[name] === undefined);
  if (missing.length > 0) {
    throw new ValidationError(
      `Missing environment variable ${missing.join(', ')}: set CLUSTER_NAME, AWS_REGION and COLLECTOR_ROLE_ARN together (ADOT_VERSION is optional), or none of them for the demo configuration.`,
    );
  }
  const adotVersion = env.ADOT_VERSION;
  return {
    clusterName: validateClusterName('CLUSTER_NAME', source.CLUSTER_NAME ?? ''),
    region: validateRegion('AWS_REGION', source.AWS_REGION ?? ''),
    collectorRoleArn: validateRoleArn('COLLECTOR_ROLE_ARN', source.COLLECTOR_ROLE_ARN ?? ''),
    adotVersion: adotVersion === undefined ? AdotVersion.DEFAULT : AdotVersion.of(adotVersion, 'ADOT_VERSION'),
    demo,
  };
}

/**
 * Builds the single-cluster app: one chart (one file in dist/) per construct,
 * the same charts a fleet's cluster folder holds.
 */
export function buildApp(settings: AppSettings, outdir?: string): App {
  const app = new App(outdir === undefined ? {} : { outdir });
  addClusterCharts(app, {
    name: settings.clusterName,
    region: settings.region,
    serviceAccountRoleArn: settings.collectorRoleArn,
    adotVersion: settings.adotVersion.tag,
    sampleApp: true,
  });
  return app;
}

/** Synthesizes the fleet of a clusters file into `outdir`, or the file's output folder. */
async function synthesizeFleetFile(file: string, outdir: string | undefined): Promise<void> {
  const single = [...REQUIRED, 'ADOT_VERSION'].filter((name) => process.env[name] !== undefined);
  if (single.length > 0) {
    throw new ValidationError(
      `Invalid environment: CLUSTERS_FILE and ${single.join(', ')} are both set; expected either a clusters file (CLUSTERS_FILE) or one cluster (CLUSTER_NAME, AWS_REGION, COLLECTOR_ROLE_ARN).`,
    );
  }
  const { fleet, output } = readFleetFile(file);
  await synthesizeFleet(fleet, outdir ?? output);
}

async function main(): Promise<void> {
  try {
    const clustersFile = process.env.CLUSTERS_FILE;
    if (clustersFile !== undefined) {
      await synthesizeFleetFile(clustersFile, process.env.CDK8S_OUTDIR);
      return;
    }
    const settings = settingsFromEnvironment(process.env);
    if (settings.demo) {
      console.error(
        `No CLUSTER_NAME, AWS_REGION or COLLECTOR_ROLE_ARN set: synthesizing the demo configuration (cluster "${settings.clusterName}" in ${settings.region}, role ${settings.collectorRoleArn}).`,
      );
    }
    buildApp(settings).synth();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
