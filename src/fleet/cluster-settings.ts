import { MAX_EXPECTED_PODS } from '../collector/collector-base';
import { COLLECTOR_MODES, type CollectorMode } from '../collector/collector-mode';
import { OPERATOR_V1BETA1_MINIMUM, OperatorVersion } from '../collector/operator-version';
import { AdotVersion } from '../config/adot-version';
import {
  APPLICATION_METRICS_DESTINATIONS,
  type ApplicationMetrics,
  DEFAULT_APPLICATION_LOG_GROUP,
  DEFAULT_APPLICATION_METRIC_NAMESPACE,
  resolveApplicationMetrics,
} from '../config/application-metrics';
import { METRIC_PROFILES, type MetricProfile } from '../config/catalog/profiles';
import { METRICS_DESTINATIONS, type MetricsDestination } from '../config/otlp';
import {
  EMF_LOG_RETENTION_DAYS,
  PATTERNS,
  validateClusterName,
  validateDnsLabel,
  validateInteger,
  validateLogGroupTags,
  validateRegion,
  validateRoleArn,
} from '../core/validation';
import { LOG_RETENTION_DAYS } from '../logging/fargate-logging';
import { OIDC_ISSUER, OIDC_ISSUER_FORM } from '../prerequisites/prerequisites';
import { type Field, matching, oneOf, text } from './fields';

/**
 * A fleet of clusters, as described in a clusters file, and its validation.
 * Plain data only (it crosses to worker threads): no constructs here.
 *
 * ```yaml
 * defaults:                 # optional: any cluster field but name
 *   region: eu-west-1
 * clusters:
 *   - name: prod-eu
 *     serviceAccountRoleArn: arn:aws:iam::123456789012:role/prod-eu-adot-collector
 * output: dist              # optional, relative to this file
 * gitops:                   # optional
 *   repoURL: https://github.com/example/platform.git
 *   path: clusters/dist
 *   argoCd: {}
 *   flux: {}
 * ```
 */

/** One cluster of a fleet: the collector props a clusters file can set. */
export interface FleetCluster {
  /** EKS cluster name: the `ClusterName` dimension and the name of the cluster's output folder. */
  readonly name: string;
  /** AWS region the metrics go to. */
  readonly region: string;
  /** IRSA role of the collector's service account. */
  readonly serviceAccountRoleArn: string;
  /**
   * ADOT release tag, e.g. `v0.49.0`.
   *
   * @default the newest supported release (`AdotVersion.DEFAULT`)
   */
  readonly adotVersion?: string;
  /**
   * Namespace of the collector.
   *
   * @default 'fargate-container-insights'
   */
  readonly namespace?: string;
  /**
   * Collector replicas sharing the scrape (1-100).
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Scrape only Fargate nodes.
   *
   * @default true
   */
  readonly fargateNodesOnly?: boolean;
  /**
   * Also deploy the sample Go web application (namespace `golang`).
   *
   * @default false
   */
  readonly sampleApp?: boolean;
  /**
   * How the collector runs: `manifests`, a StatefulSet and its ConfigMap and
   * Service; or `operator`, an `OpenTelemetryCollector` custom resource for the
   * OpenTelemetry Operator (the ADOT EKS add-on).
   *
   * @default 'manifests'
   */
  readonly collectorMode?: CollectorMode;
  /**
   * The OpenTelemetry Operator release installed, with `collectorMode: operator`:
   * the custom resource carries only the fields its CRD accepts.
   *
   * @default 'v0.156.0', what the ADOT EKS add-on installs
   */
  readonly operatorVersion?: string;
  /**
   * Which metrics become CloudWatch metrics: `reference` (the AWS reference
   * manifest's) or `console` (those plus what the Container Insights console
   * reads, as far as Fargate can give it).
   *
   * @default 'reference'
   */
  readonly metricProfile?: MetricProfile;
  /**
   * Send every Fargate pod's container logs to CloudWatch Logs
   * (`FargateLogging`, log group `/aws/containerinsights/<name>/application`).
   *
   * @default false
   */
  readonly fargateLogging?: boolean;
  /**
   * Retention of the container logs, in days, with `fargateLogging`.
   *
   * @default - the log group's own setting
   */
  readonly logRetentionDays?: number;
  /**
   * Fargate pods the cluster is expected to run: sizes the collector.
   *
   * @default 100
   */
  readonly expectedPods?: number;
  /**
   * Retention of the performance log group, in days (`0`: never expire).
   *
   * @default 30
   */
  readonly performanceLogRetentionDays?: number;
  /**
   * Tags of the performance log group, for cost allocation.
   *
   * @default - no tags
   */
  readonly performanceLogGroupTags?: Readonly<Record<string, string>>;
  /**
   * The cluster's OIDC issuer URL, for the collector role's trust policy in the prerequisites.
   *
   * @default - no trust policy (eksctl writes one)
   */
  readonly oidcIssuer?: string;
  /**
   * Scrape the pods annotated `prometheus.io/scrape: "true"` and send their
   * metrics to CloudWatch (declared metrics only) and/or Amazon Managed
   * Service for Prometheus.
   *
   * @default - no application metrics
   */
  readonly applicationMetrics?: ApplicationMetrics;
  /**
   * Where the Container Insights metrics go: `emf` (classic), `otlp`
   * (OpenTelemetry metrics for PromQL) or `both` (to migrate).
   *
   * @default MetricsDestination.EMF
   */
  readonly metricsDestination?: MetricsDestination;
  /**
   * Accept `otlp` or `both` in a region the library does not list for
   * CloudWatch's OTLP metrics endpoint.
   *
   * @default false
   */
  readonly skipOtlpRegionCheck?: boolean;
}

/** The fields of a cluster entry, in the order the documentation lists them. */
export const CLUSTER_FIELDS: Readonly<Record<keyof FleetCluster, Field>> = {
  name: text(
    "EKS cluster name: the ClusterName dimension and the name of the cluster's output folder.",
    PATTERNS.clusterName,
    validateClusterName,
    true,
  ),
  region: text('AWS region the metrics go to, e.g. eu-west-1.', PATTERNS.region, validateRegion, true),
  serviceAccountRoleArn: text(
    "ARN of the collector's IAM role (IRSA), with CloudWatchAgentServerPolicy.",
    PATTERNS.roleArn,
    validateRoleArn,
    true,
  ),
  adotVersion: {
    type: 'string',
    description: 'ADOT collector release. Default: the newest supported.',
    check: (input: string, value: string) => AdotVersion.of(value, input),
    schema: { enum: AdotVersion.SUPPORTED },
  },
  namespace: text(
    'Namespace of the collector. Default: fargate-container-insights.',
    PATTERNS.dnsLabel,
    validateDnsLabel,
  ),
  replicas: {
    type: 'integer',
    description: 'Collector replicas sharing the scrape. Default: 1.',
    check: (input: string, value: number) => validateInteger(input, value, 1, 100),
    schema: { minimum: 1, maximum: 100 },
  },
  fargateNodesOnly: { type: 'boolean', description: 'Scrape only Fargate nodes. Default: true.' },
  sampleApp: { type: 'boolean', description: 'Also deploy the sample Go web application. Default: false.' },
  collectorMode: oneOf(
    'string',
    'manifests: a StatefulSet, ConfigMap and Service; operator: an OpenTelemetryCollector for the OpenTelemetry Operator (ADOT add-on). Default: manifests.',
    COLLECTOR_MODES,
    'one of manifests, operator',
  ),
  operatorVersion: {
    type: 'string',
    description: `OpenTelemetry Operator release installed, with collectorMode operator (${OPERATOR_V1BETA1_MINIMUM} or later). Default: ${OperatorVersion.DEFAULT.tag}.`,
    check: (input: string, value: string) => OperatorVersion.of(value, input),
    schema: { pattern: '^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$' },
  },
  metricProfile: oneOf(
    'string',
    "reference: the AWS reference manifest's 8 pod metrics; console: those plus the metrics and dimension sets the Container Insights console reads, as far as Fargate can give them. Default: reference.",
    METRIC_PROFILES,
    `one of ${METRIC_PROFILES.join(', ')}`,
  ),
  fargateLogging: {
    type: 'boolean',
    description: "Send every Fargate pod's container logs to CloudWatch Logs. Default: false.",
  },
  logRetentionDays: oneOf(
    'integer',
    'Retention of the container logs, in days (with fargateLogging).',
    LOG_RETENTION_DAYS,
    `one of the periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
  ),
  expectedPods: {
    type: 'integer',
    description: 'Fargate pods the cluster is expected to run, the collector sized for them. Default: 100.',
    check: (input: string, value: number) => validateInteger(input, value, 1, MAX_EXPECTED_PODS),
    schema: { minimum: 1, maximum: MAX_EXPECTED_PODS },
  },
  performanceLogRetentionDays: oneOf(
    'integer',
    'Retention of the performance log group /aws/containerinsights/<name>/performance, in days; 0: never expire. Default: 30.',
    EMF_LOG_RETENTION_DAYS,
    `0 (never expire) or one of ${EMF_LOG_RETENTION_DAYS.slice(1).join(', ')} days`,
  ),
  performanceLogGroupTags: {
    type: 'object',
    description:
      'Tags of the performance log group, for cost allocation: 1 to 50, keys of 1 to 128 and values of 1 to 256 bytes of letters, spaces, digits or _ . : / = + - @ (Unicode 15.0), no key starting with aws:, holding :: or named after an Object.prototype member such as constructor.',
    check: (input: string, value: Readonly<Record<string, string>>) => validateLogGroupTags(input, value),
    schema: {
      minProperties: 1,
      maxProperties: 50,
      propertyNames: { minLength: 1, maxLength: 128, not: { pattern: '::' } },
      additionalProperties: { type: 'string', minLength: 1, maxLength: 256 },
    },
  },
  oidcIssuer: matching(
    "The cluster's OIDC issuer URL, for the collector role's trust policy.",
    OIDC_ISSUER,
    OIDC_ISSUER_FORM,
  ),
  applicationMetrics: {
    type: 'object',
    description: `Scrape the pods annotated prometheus.io/scrape: "true" and send their metrics to one or both destinations: ${APPLICATION_METRICS_DESTINATIONS.join(', ')}.`,
    check: (input: string, value: ApplicationMetrics) => resolveApplicationMetrics(input, value),
    schema: applicationMetricsSchema(),
  },
  metricsDestination: oneOf(
    'string',
    'emf: the classic Embedded Metric Format path; otlp: OpenTelemetry metrics to CloudWatch over OTLP, for PromQL; both: both, to migrate. Default: emf.',
    METRICS_DESTINATIONS,
    `one of ${METRICS_DESTINATIONS.join(', ')}`,
  ),
  skipOtlpRegionCheck: {
    type: 'boolean',
    description:
      "Accept otlp or both in a region not in the library's list of regions with OTLP metrics ingestion. Default: false.",
  },
};

/** The JSON schema of `applicationMetrics`: as much of its validation as a schema can say. */
export function applicationMetricsSchema(): Readonly<Record<string, unknown>> {
  const labels = {
    type: 'array',
    minItems: 1,
    maxItems: 30,
    uniqueItems: true,
    items: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
  };
  return {
    additionalProperties: false,
    anyOf: APPLICATION_METRICS_DESTINATIONS.map((destination) => ({ required: [destination] })),
    properties: {
      namespaces: {
        description:
          'Namespaces whose annotated pods are scraped, each with a Role. Default: every namespace, with a ClusterRole.',
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', pattern: PATTERNS.dnsLabel.source },
      },
      cloudWatch: {
        description: 'Send the declared metrics to CloudWatch as Embedded Metric Format.',
        type: 'object',
        additionalProperties: false,
        required: ['declarations'],
        properties: {
          declarations: {
            description: 'Which metrics become CloudWatch metrics, each with its dimension sets.',
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['metrics', 'dimensionSets'],
              properties: {
                metrics: {
                  type: 'array',
                  minItems: 1,
                  items: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
                },
                dimensionSets: { type: 'array', minItems: 1, items: labels },
              },
            },
          },
          logGroupName: { description: `Log group. Default: ${DEFAULT_APPLICATION_LOG_GROUP}.`, type: 'string' },
          namespace: {
            description: `Metric namespace. Default: ${DEFAULT_APPLICATION_METRIC_NAMESPACE}.`,
            type: 'string',
          },
        },
      },
      managedPrometheus: {
        description: 'Send every scraped metric to an Amazon Managed Service for Prometheus workspace.',
        type: 'object',
        additionalProperties: false,
        required: ['remoteWriteUrl'],
        properties: {
          remoteWriteUrl: { description: "The workspace's remote write URL.", type: 'string' },
          region: { description: 'Region of the workspace. Default: the one in remoteWriteUrl.', type: 'string' },
        },
      },
    },
  };
}

/** The fields of `defaults`: those of a cluster but its name, none required. */
export const DEFAULT_FIELDS: Readonly<Record<string, Field>> = Object.fromEntries(
  Object.entries(CLUSTER_FIELDS)
    .filter(([key]) => key !== 'name')
    .map(([key, field]) => [key, { ...field, required: false }]),
);
