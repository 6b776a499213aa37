import { App, Chart } from 'cdk8s';
import {
  AdotVersion,
  FargateContainerInsightsCollector,
  SampleGoWebapp,
  ValidationError,
  validateClusterName,
  validateRegion,
  validateRoleArn,
} from './src';

/**
 * This repository's own cdk8s app: the collector and the sample application
 * for one cluster, configured from the environment. `npm run synth` writes the
 * manifests to dist/.
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

/** Builds the app: one chart (one file in dist/) per construct. */
export function buildApp(settings: AppSettings, outdir?: string): App {
  const app = new App(outdir === undefined ? {} : { outdir });
  const insights = new Chart(app, 'fargate-container-insights');
  new FargateContainerInsightsCollector(insights, 'Collector', {
    clusterName: settings.clusterName,
    region: settings.region,
    serviceAccountRoleArn: settings.collectorRoleArn,
    adotVersion: settings.adotVersion,
  });
  const webapp = new Chart(app, 'sample-go-webapp');
  new SampleGoWebapp(webapp, 'Webapp');
  return app;
}

function main(): void {
  try {
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

if (require.main === module) main();
