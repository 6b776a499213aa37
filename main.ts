import { App } from 'cdk8s';
import {
  DEFAULT_EXPECTED_PODS,
  DEFAULT_SCRAPE_INTERVAL,
  MAX_EXPECTED_PODS,
  MAX_REPLICAS,
} from './src/collector/collector-base';
import { COLLECTOR_MODES, CollectorMode } from './src/collector/collector-mode';
import { OperatorVersion } from './src/collector/operator-version';
import { AdotVersion } from './src/config/adot-version';
import {
  type ApplicationMetrics,
  parseRemoteWriteUrl,
  SAMPLE_GO_WEBAPP_DECLARATIONS,
} from './src/config/application-metrics';
import { METRIC_PROFILES, MetricProfile } from './src/config/catalog/profiles';
import {
  estimateApplicationMetrics,
  estimateCustomMetrics,
  estimatePerformanceLogs,
  formatApplicationEstimate,
  formatEstimate,
  formatMonthlyBill,
  monthlyBill,
} from './src/config/cost-estimate';
import {
  estimateOtlpIngestion,
  formatOtlpEstimate,
  MetricsDestination,
  sendsEmf,
  sendsOtlp,
  validateMetricsDestination,
} from './src/config/otlp';
import { invalidInput, ValidationError } from './src/core/errors';
import {
  validateClusterName,
  validateDnsLabel,
  validateEmfLogRetention,
  validateLogGroupTags,
  validateRegion,
  validateRoleArn,
  validateRolePartition,
} from './src/core/validation';
import { formatCollectorSizing, sizeCollector } from './src/fargate/collector-sizing';
import type { FleetCluster } from './src/fleet/cluster-settings';
import {
  addClusterCharts,
  type ClusterConstructs,
  estimateFleet,
  formatFleetBill,
  formatFleetCollectors,
  prerequisitesOf,
  synthesizeFleet,
} from './src/fleet/fleet';
import { readFleetFile } from './src/fleet/fleet-file';
import { LOG_RETENTION_DAYS } from './src/logging/fargate-logging';
import {
  type ClusterPrerequisites,
  OIDC_ISSUER,
  OIDC_ISSUER_FORM,
  validateOidcIssuer,
  writePrerequisites,
} from './src/prerequisites/prerequisites';
import type { SampleGoWebapp } from './src/sample/sample-go-webapp';

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
  /** How the collector runs (`COLLECTOR_MODE`): manifests, or an OpenTelemetry Operator custom resource. */
  readonly collectorMode: CollectorMode;
  /** The OpenTelemetry Operator release installed (`OPERATOR_VERSION`), for `COLLECTOR_MODE=operator`. */
  readonly operatorVersion?: string;
  /** Which metrics become CloudWatch metrics (`METRIC_PROFILE`). */
  readonly metricProfile: MetricProfile;
  /** Namespaces and pods to estimate the custom metrics for and size the collector by (`EXPECTED_NAMESPACES`, `EXPECTED_PODS`). */
  readonly expected: { readonly namespaces: number; readonly pods: number };
  /** Collector replicas sharing the scrape (`REPLICAS`). */
  readonly replicas?: number;
  /** Emit the Fargate logging configuration (`FARGATE_LOGGING=true`). */
  readonly fargateLogging: boolean;
  /** Retention of the container logs, in days, with Fargate logging (`FARGATE_LOG_RETENTION_DAYS`). */
  readonly fargateLogRetentionDays?: number;
  /** Retention of the performance log group, in days (`PERFORMANCE_LOG_RETENTION_DAYS`; 0: never expire). */
  readonly performanceLogRetentionDays?: number;
  /** Tags of the performance log group (`PERFORMANCE_LOG_GROUP_TAGS`, a JSON object). */
  readonly performanceLogGroupTags?: Readonly<Record<string, string>>;
  /** The cluster's OIDC issuer (`OIDC_ISSUER`), for the collector role's trust policy. */
  readonly oidcIssuer?: string;
  /**
   * The sample application's metrics (`APPLICATION_METRICS`, `AMP_REMOTE_WRITE_URL`,
   * `APPLICATION_METRICS_NAMESPACES`); absent with `APPLICATION_METRICS=none`.
   */
  readonly applicationMetrics?: ApplicationMetrics;
  /** Where the Container Insights metrics go (`METRICS_DESTINATION`: emf, otlp or both). */
  readonly metricsDestination?: MetricsDestination;
  /** Accept OTLP in a region the library does not list (`SKIP_OTLP_REGION_CHECK=true`). */
  readonly skipOtlpRegionCheck?: boolean;
  /** True when no environment variable was set and the demo values are used. */
  readonly demo: boolean;
}

/** The required environment variables. */
const REQUIRED = ['CLUSTER_NAME', 'AWS_REGION', 'COLLECTOR_ROLE_ARN'] as const;

/** The optional variables of the single-cluster app; none of them may accompany CLUSTERS_FILE. */
const OPTIONAL = [
  'ADOT_VERSION',
  'COLLECTOR_MODE',
  'OPERATOR_VERSION',
  'METRIC_PROFILE',
  'FARGATE_LOGGING',
  'FARGATE_LOG_RETENTION_DAYS',
  'OIDC_ISSUER',
  'PERFORMANCE_LOG_RETENTION_DAYS',
  'PERFORMANCE_LOG_GROUP_TAGS',
  'EXPECTED_NAMESPACES',
  'EXPECTED_PODS',
  'REPLICAS',
  'APPLICATION_METRICS',
  'APPLICATION_METRICS_NAMESPACES',
  'AMP_REMOTE_WRITE_URL',
  'METRICS_DESTINATION',
  'SKIP_OTLP_REGION_CHECK',
] as const;

/** Every variable of the single-cluster app: what `npm run synth` records in dist/'s marker, for the drift check. */
export const APP_VARIABLES: readonly string[] = [...REQUIRED, ...OPTIONAL];

/** The values of `APPLICATION_METRICS`: a comma-separated list of destinations, or `none`. */
const APPLICATION_METRICS_VALUES = ['cloudwatch', 'managed-prometheus'] as const;
const APPLICATION_METRICS_FORM =
  'none, or a comma-separated list of destinations: cloudwatch, managed-prometheus (the latter with AMP_REMOTE_WRITE_URL)';

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
 * `AWS_REGION`, `COLLECTOR_ROLE_ARN` (required together) and the optional
 * ones ({@link OPTIONAL}). With none of the three and no `ADOT_VERSION`, the
 * demo configuration is used.
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
  const logging = env.FARGATE_LOGGING;
  if (logging !== undefined && logging !== 'true' && logging !== 'false') {
    invalidInput('FARGATE_LOGGING', logging, 'true or false');
  }
  const mode = env.COLLECTOR_MODE;
  if (mode !== undefined && !(COLLECTOR_MODES as readonly string[]).includes(mode)) {
    invalidInput('COLLECTOR_MODE', mode, 'manifests or operator');
  }
  const operatorVersion = env.OPERATOR_VERSION;
  if (operatorVersion !== undefined) OperatorVersion.of(operatorVersion, 'OPERATOR_VERSION');
  if (operatorVersion !== undefined && mode !== CollectorMode.OPERATOR) {
    throw new ValidationError(
      `Invalid OPERATOR_VERSION with COLLECTOR_MODE=${mode ?? 'manifests'}: it names the OpenTelemetry Operator release the custom resource is written for, which only COLLECTOR_MODE=operator writes. Set COLLECTOR_MODE=operator, or unset OPERATOR_VERSION.`,
    );
  }
  const logRetention = env.FARGATE_LOG_RETENTION_DAYS;
  if (logRetention !== undefined && logging !== 'true') {
    throw new ValidationError(
      `Invalid FARGATE_LOG_RETENTION_DAYS without FARGATE_LOGGING=true: it sets the retention of the container logs, which only Fargate logging sends. Set FARGATE_LOGGING=true, or unset FARGATE_LOG_RETENTION_DAYS.`,
    );
  }
  const fargateLogRetentionDays =
    logRetention === undefined
      ? undefined
      : oneOfNumbers(
          'FARGATE_LOG_RETENTION_DAYS',
          logRetention,
          LOG_RETENTION_DAYS,
          'one of the periods CloudWatch Logs accepts',
        );
  const profile = env.METRIC_PROFILE;
  if (profile !== undefined && !(METRIC_PROFILES as readonly string[]).includes(profile)) {
    invalidInput('METRIC_PROFILE', profile, `one of ${METRIC_PROFILES.join(', ')}`);
  }
  const pods = wholeNumber(env, 'EXPECTED_PODS', DEFAULT_EXPECTED_PODS, 1, MAX_EXPECTED_PODS);
  const replicas = wholeNumber(env, 'REPLICAS', 1, 1, MAX_REPLICAS);
  // More pods than the replicas can scrape at the default interval are refused here, by the variable's name.
  sizeCollector(
    { expectedPods: pods, replicas, scrapeIntervalSeconds: DEFAULT_SCRAPE_INTERVAL.toSeconds() },
    'EXPECTED_PODS',
  );
  const namespaces = wholeNumber(
    env,
    'EXPECTED_NAMESPACES',
    Math.min(10, pods),
    1,
    pods,
    env.EXPECTED_PODS === undefined
      ? ` (the default EXPECTED_PODS): a namespace without pods sends no metrics`
      : ` (EXPECTED_PODS): a namespace without pods sends no metrics`,
  );
  const retention = env.PERFORMANCE_LOG_RETENTION_DAYS;
  const retentionDays =
    retention === undefined ? undefined : validateEmfLogRetention('PERFORMANCE_LOG_RETENTION_DAYS', retention);
  const tags = logGroupTags(env.PERFORMANCE_LOG_GROUP_TAGS);
  const oidcIssuer = env.OIDC_ISSUER;
  if (oidcIssuer !== undefined && !OIDC_ISSUER.test(oidcIssuer))
    invalidInput('OIDC_ISSUER', oidcIssuer, OIDC_ISSUER_FORM);
  if (oidcIssuer !== undefined) {
    validateOidcIssuer('OIDC_ISSUER', oidcIssuer, source.AWS_REGION ?? '', source.CLUSTER_NAME ?? '');
  }
  const applicationMetrics = applicationMetricsFromEnvironment(env);
  const skip = env.SKIP_OTLP_REGION_CHECK;
  if (skip !== undefined && skip !== 'true' && skip !== 'false') {
    invalidInput('SKIP_OTLP_REGION_CHECK', skip, 'true or false');
  }
  const destinationText = env.METRICS_DESTINATION;
  const region = validateRegion('AWS_REGION', source.AWS_REGION ?? '');
  const metricsDestination =
    destinationText === undefined
      ? undefined
      : validateMetricsDestination(
          'METRICS_DESTINATION',
          destinationText,
          region,
          skip === 'true',
          'SKIP_OTLP_REGION_CHECK=true',
        );
  if (metricsDestination === MetricsDestination.OTLP && profile !== undefined) {
    invalidInput(
      'METRIC_PROFILE',
      profile,
      "no METRIC_PROFILE with METRICS_DESTINATION=otlp (the profile selects the Embedded Metric Format path's CloudWatch metrics), or METRICS_DESTINATION emf or both",
    );
  }
  return {
    clusterName: validateClusterName('CLUSTER_NAME', source.CLUSTER_NAME ?? ''),
    region,
    collectorRoleArn: validateRolePartition(
      'COLLECTOR_ROLE_ARN',
      validateRoleArn('COLLECTOR_ROLE_ARN', source.COLLECTOR_ROLE_ARN ?? ''),
      'AWS_REGION',
      region,
    ),
    adotVersion: adotVersion === undefined ? AdotVersion.DEFAULT : AdotVersion.of(adotVersion, 'ADOT_VERSION'),
    collectorMode: (mode as CollectorMode | undefined) ?? CollectorMode.MANIFESTS,
    ...(operatorVersion === undefined ? {} : { operatorVersion }),
    metricProfile: (profile as MetricProfile | undefined) ?? MetricProfile.REFERENCE,
    fargateLogging: logging === 'true',
    ...(env.REPLICAS === undefined ? {} : { replicas }),
    ...(fargateLogRetentionDays === undefined ? {} : { fargateLogRetentionDays }),
    expected: { namespaces, pods },
    ...(retentionDays === undefined ? {} : { performanceLogRetentionDays: retentionDays }),
    ...(tags === undefined ? {} : { performanceLogGroupTags: tags }),
    ...(oidcIssuer === undefined ? {} : { oidcIssuer }),
    ...(applicationMetrics === undefined ? {} : { applicationMetrics }),
    ...(metricsDestination === undefined ? {} : { metricsDestination }),
    ...(skip === 'true' ? { skipOtlpRegionCheck: true } : {}),
    demo,
  };
}

/**
 * The sample application's metrics from `APPLICATION_METRICS` (default
 * `cloudwatch`: the sample's declared metrics to CloudWatch),
 * `AMP_REMOTE_WRITE_URL` and `APPLICATION_METRICS_NAMESPACES` (default:
 * every namespace).
 */
function applicationMetricsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): ApplicationMetrics | undefined {
  const text = env.APPLICATION_METRICS ?? 'cloudwatch';
  const url = env.AMP_REMOTE_WRITE_URL;
  const namespaces = env.APPLICATION_METRICS_NAMESPACES;
  if (text === 'none') {
    const stray =
      url !== undefined
        ? 'AMP_REMOTE_WRITE_URL'
        : namespaces !== undefined
          ? 'APPLICATION_METRICS_NAMESPACES'
          : undefined;
    if (stray !== undefined) {
      throw new ValidationError(
        `Invalid ${stray} with APPLICATION_METRICS=none: set a destination in APPLICATION_METRICS, or unset ${stray}.`,
      );
    }
    return undefined;
  }
  const destinations = text.split(',').map((d) => d.trim());
  if (
    destinations.some((d) => !(APPLICATION_METRICS_VALUES as readonly string[]).includes(d)) ||
    new Set(destinations).size !== destinations.length
  ) {
    invalidInput('APPLICATION_METRICS', text, APPLICATION_METRICS_FORM);
  }
  const prometheus = destinations.includes('managed-prometheus');
  if (prometheus && url === undefined) {
    throw new ValidationError(
      `Missing environment variable AMP_REMOTE_WRITE_URL: APPLICATION_METRICS=${text} sends to Amazon Managed Service for Prometheus, which needs the workspace's remote write URL.`,
    );
  }
  if (!prometheus && url !== undefined) {
    throw new ValidationError(
      `Invalid AMP_REMOTE_WRITE_URL with APPLICATION_METRICS=${text}: add managed-prometheus to APPLICATION_METRICS, or unset AMP_REMOTE_WRITE_URL.`,
    );
  }
  return {
    ...(namespaces === undefined ? {} : { namespaces: namespaceList(namespaces) }),
    ...(destinations.includes('cloudwatch') ? { cloudWatch: { declarations: SAMPLE_GO_WEBAPP_DECLARATIONS } } : {}),
    ...(prometheus && url !== undefined
      ? { managedPrometheus: { remoteWriteUrl: parseRemoteWriteUrl('AMP_REMOTE_WRITE_URL', url).remoteWriteUrl } }
      : {}),
  };
}

/** `APPLICATION_METRICS_NAMESPACES`: a comma-separated list of namespaces, each once. */
function namespaceList(text: string): string[] {
  const names = text.split(',').map((n) => validateDnsLabel('APPLICATION_METRICS_NAMESPACES', n.trim()));
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    invalidInput('APPLICATION_METRICS_NAMESPACES', text, `each namespace once ("${repeated}" is listed twice)`);
  }
  return names;
}

/** `PERFORMANCE_LOG_GROUP_TAGS`: a JSON object of string values, checked by CloudWatch Logs' tag rules. */
function logGroupTags(text: string | undefined): Readonly<Record<string, string>> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidInput('PERFORMANCE_LOG_GROUP_TAGS', text, 'a JSON object of tags, e.g. {"team":"platform"}');
  }
  return validateLogGroupTags('PERFORMANCE_LOG_GROUP_TAGS', value as Record<string, string>);
}

/** A number from a closed list, from its digits. */
function oneOfNumbers(name: string, text: string, values: readonly number[], what: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!values.includes(value)) invalidInput(name, text, `${what}: ${values.join(', ')}`);
  return value;
}

/** A whole-number environment variable within bounds, or its default. */
function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  why = '',
): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    const upper = max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}${why}`;
    invalidInput(name, text, `a whole number from ${min}${upper}`);
  }
  return value;
}

/** The app's settings as a fleet cluster: the same charts a fleet's cluster folder holds. */
function asCluster(settings: AppSettings): FleetCluster {
  return {
    name: settings.clusterName,
    region: settings.region,
    serviceAccountRoleArn: settings.collectorRoleArn,
    adotVersion: settings.adotVersion.tag,
    sampleApp: true,
    collectorMode: settings.collectorMode,
    ...(settings.operatorVersion === undefined ? {} : { operatorVersion: settings.operatorVersion }),
    ...(settings.metricProfile === MetricProfile.REFERENCE ? {} : { metricProfile: settings.metricProfile }),
    fargateLogging: settings.fargateLogging,
    ...(settings.replicas === undefined ? {} : { replicas: settings.replicas }),
    ...(settings.fargateLogRetentionDays === undefined ? {} : { logRetentionDays: settings.fargateLogRetentionDays }),
    expectedPods: settings.expected.pods,
    ...(settings.performanceLogRetentionDays === undefined
      ? {}
      : { performanceLogRetentionDays: settings.performanceLogRetentionDays }),
    ...(settings.performanceLogGroupTags === undefined
      ? {}
      : { performanceLogGroupTags: settings.performanceLogGroupTags }),
    ...(settings.oidcIssuer === undefined ? {} : { oidcIssuer: settings.oidcIssuer }),
    ...(settings.applicationMetrics === undefined ? {} : { applicationMetrics: settings.applicationMetrics }),
    ...(settings.metricsDestination === undefined ? {} : { metricsDestination: settings.metricsDestination }),
    ...(settings.skipOtlpRegionCheck === undefined ? {} : { skipOtlpRegionCheck: settings.skipOtlpRegionCheck }),
  };
}

/**
 * Builds the single-cluster app: one chart (one file in dist/) per construct,
 * the same charts a fleet's cluster folder holds.
 */
export function buildApp(settings: AppSettings, outdir?: string): App {
  return buildCluster(settings, outdir).app;
}

/** {@link buildApp}, with the cluster's prerequisites derived from its constructs. */
export function buildCluster(
  settings: AppSettings,
  outdir?: string,
): {
  readonly app: App;
  readonly prerequisites: ClusterPrerequisites;
  readonly collector: ClusterConstructs['collector'];
  readonly sampleApp: SampleGoWebapp;
} {
  const app = new App(outdir === undefined ? {} : { outdir });
  const cluster = asCluster(settings);
  const constructs = addClusterCharts(app, cluster);
  const { collector, sampleApp } = constructs;
  if (sampleApp === undefined) throw new Error('the app always deploys the sample application');
  return { app, prerequisites: prerequisitesOf(constructs, cluster), collector, sampleApp };
}

/** Synthesizes the fleet of a clusters file into `outdir`, or the file's output folder. */
async function synthesizeFleetFile(file: string, outdir: string | undefined): Promise<void> {
  const single = [...REQUIRED, ...OPTIONAL].filter((name) => process.env[name] !== undefined);
  if (single.length > 0) {
    throw new ValidationError(
      `Invalid environment: CLUSTERS_FILE and ${single.join(', ')} are both set; expected either a clusters file (CLUSTERS_FILE) or one cluster (CLUSTER_NAME, AWS_REGION, COLLECTOR_ROLE_ARN).`,
    );
  }
  const { fleet, output, prerequisites } = readFleetFile(file);
  await synthesizeFleet(fleet, outdir ?? output, {
    prerequisitesOutdir: process.env.PREREQUISITES_OUTDIR ?? prerequisites,
    outdirSetting: outdir === undefined ? `output of CLUSTERS_FILE ${file}` : 'CDK8S_OUTDIR',
    prerequisitesOutdirSetting:
      process.env.PREREQUISITES_OUTDIR === undefined
        ? `prerequisites of CLUSTERS_FILE ${file}`
        : 'PREREQUISITES_OUTDIR',
    inputFiles: [file],
  });
  const estimate = estimateFleet(fleet);
  console.error(formatFleetCollectors(fleet, estimate));
  console.error(formatFleetBill(fleet, estimate));
}

/** An error that is not bad input, on one line. */
function unexpected(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `error: unexpected failure: ${text.split('\n')[0]}`;
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
    const { app, prerequisites, collector, sampleApp } = buildCluster(settings);
    app.synth();
    const input = { declarations: collector.metricDeclarations, ...settings.expected };
    const metrics = estimateCustomMetrics(input);
    const emf = sendsEmf(collector.metricsDestination);
    if (emf) {
      console.error(`${formatEstimate(input, metrics)} Set EXPECTED_NAMESPACES and EXPECTED_PODS for your cluster.`);
    }
    console.error(formatCollectorSizing(collector.sizing, 'REPLICAS'));
    const scrapeIntervalSeconds = collector.sizing.input.scrapeIntervalSeconds;
    const logs = estimatePerformanceLogs({
      pods: settings.expected.pods,
      scrapeIntervalSeconds,
      retentionDays: collector.performanceLogRetentionDays,
    });
    const bill = monthlyBill(metrics, logs, collector.sizing.monthlyUsd);
    if (emf) console.error(formatMonthlyBill(bill, logs));
    if (sendsOtlp(collector.metricsDestination)) {
      const otlp = estimateOtlpIngestion({ pods: settings.expected.pods, scrapeIntervalSeconds });
      console.error(formatOtlpEstimate(settings.expected.pods, otlp, bill.metricsUsd + bill.logsUsd));
    }
    const cloudWatch = collector._applicationMetrics?.cloudWatch;
    if (cloudWatch !== undefined) {
      // The sample is the one annotated workload: its pods, in one namespace, of one app.
      const sample = { declarations: cloudWatch.declarations, namespaces: 1, apps: 1, pods: sampleApp.replicas };
      console.error(formatApplicationEstimate(sample, estimateApplicationMetrics(sample)));
    }
    // `npm run synth` stages the prerequisites here; plain `cdk8s synth` writes only manifests.
    const prerequisitesDir = process.env.PREREQUISITES_OUTDIR;
    if (prerequisitesDir !== undefined) writePrerequisites(prerequisites, prerequisitesDir);
  } catch (error) {
    // A last resort for anything but bad input: one line, and exit 1.
    console.error(error instanceof ValidationError ? `error: ${error.message}` : unexpected(error));
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
