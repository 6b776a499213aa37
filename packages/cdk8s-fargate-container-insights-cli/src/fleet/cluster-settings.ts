import {
  AdotVersion,
  type ApplicationMetrics,
  CollectorMode,
  type MetricProfile,
  type MetricsDestination,
  OperatorVersion,
  PodNaming,
} from 'cdk8s-fargate-container-insights';
import {
  APPLICATION_METRICS_DESTINATIONS,
  COLLECTOR_MODES,
  DEFAULT_ALLOW_UNLISTED_REGION,
  DEFAULT_COLLECTOR_NAMESPACE,
  DEFAULT_EXPECTED_PODS,
  DEFAULT_FARGATE_NODES_ONLY,
  DEFAULT_METRIC_PROFILE,
  DEFAULT_METRICS_DESTINATION,
  DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS,
  DEFAULT_REPLICAS,
  EMF_DESTINATIONS,
  EMF_LOG_RETENTION_DAYS,
  LOG_RETENTION_DAYS,
  MAX_EXPECTED_PODS,
  MAX_REPLICAS,
  METRIC_PROFILES,
  METRICS_DESTINATIONS,
  OIDC_ISSUER,
  OIDC_ISSUER_FORM,
  OPERATOR_V1BETA1_MINIMUM,
  PATTERNS,
  type PodHealthSettings,
  podHealthFromSettings,
  RELEASE_TAG,
  resolveApplicationMetrics,
  validateClusterName,
  validateDnsLabel,
  validateLogGroupTags,
  validateRegion,
  validateRoleArn,
} from 'cdk8s-fargate-container-insights/internal';
import { type Field, matching, oneOf, text, wholeNumber } from './fields';
import { applicationMetricsSchema, podHealthSchema } from './settings-schemas';

/**
 * Every cluster setting, declared once: its clusters-file key, type,
 * description, default, check, and the environment variable of this
 * repository's app. From this table come the clusters-file validation and
 * clusters.schema.json (`CLUSTER_FIELDS`), the app's environment parsing
 * (src/app/app-settings.ts), the fleet's cluster type (`FleetCluster`), the
 * defaults (`resolveCluster`) and the README's variable table (checked by the
 * docs test). Adding a setting is a row here and its use in
 * `clusterProps` (src/fleet/cluster-charts.ts).
 *
 * Plain data only (fleets cross to worker threads): no constructs here.
 */

/**
 * A setting that does something only with another set to one of some
 * values: refused otherwise, by both names, in the clusters file and in the
 * environment alike.
 */
export interface Requirement {
  /** The other setting. */
  readonly setting: string;
  /** The values of the other setting (its default counts) with which this one does something. */
  readonly values: readonly unknown[];
  /** What this setting does, which the other's value makes pointless: "it names ...". */
  readonly why: string;
}

/** One cluster setting. `T` is its value's type, `R` whether a cluster must have it. */
export interface Setting<T, R extends boolean = boolean> {
  /** Its type, description, check and JSON schema, as a clusters-file field. */
  readonly field: Field & { readonly required: R };
  /** Its value when unset (what `resolveCluster` fills in); absent when unset means none. */
  readonly default?: T;
  /** The default, in words, where it is not a plain value (the description ends with it). */
  readonly defaultText?: string;
  /** The environment variable of this repository's app; absent: the app does not take it. */
  readonly env?: string;
  /** With an object setting: the JSON the variable holds, for messages. */
  readonly envForm?: string;
  /** The other setting it needs. */
  readonly requires?: Requirement;
  /** Only the type: never set. */
  readonly valueType?: T;
}

/** An optional setting. */
function optional<T>(field: Field, rest: Omit<Setting<T, false>, 'field'> = {}): Setting<T, false> {
  const shown = rest.defaultText ?? (rest.default === undefined ? undefined : String(rest.default));
  const description = shown === undefined ? field.description : `${field.description} Default: ${shown}.`;
  return { ...rest, field: { ...field, description, required: false } };
}

/** An optional setting with a default value. */
function defaulted<T>(
  field: Field,
  rest: Omit<Setting<T, false>, 'field'> & { readonly default: T },
): Setting<T, false> & { readonly default: T } {
  return { ...optional<T>(field, rest), default: rest.default };
}

/** A setting every cluster must have. */
function required<T>(field: Field, rest: Omit<Setting<T, true>, 'field'> = {}): Setting<T, true> {
  return { ...rest, field: { ...field, required: true } };
}

/** The cluster settings, in the order the documentation lists them. */
export const CLUSTER_SETTINGS = {
  name: required<string>(
    text(
      "EKS cluster name: the ClusterName dimension and the name of the cluster's output folder.",
      PATTERNS.clusterName,
      validateClusterName,
    ),
    { env: 'CLUSTER_NAME' },
  ),
  region: required<string>(text('AWS region the metrics go to, e.g. eu-west-1.', PATTERNS.region, validateRegion), {
    env: 'AWS_REGION',
  }),
  serviceAccountRoleArn: required<string>(
    text(
      "ARN of the collector's IAM role (IRSA), with CloudWatchAgentServerPolicy.",
      PATTERNS.roleArn,
      validateRoleArn,
    ),
    { env: 'COLLECTOR_ROLE_ARN' },
  ),
  adotVersion: defaulted<string>(
    {
      type: 'string',
      description: 'ADOT collector release.',
      check: (input: string, value: string) => AdotVersion.of(value, input),
      schema: { enum: AdotVersion.SUPPORTED },
    },
    { default: AdotVersion.DEFAULT.tag, defaultText: 'the newest supported', env: 'ADOT_VERSION' },
  ),
  namespace: defaulted<string>(text('Namespace of the collector.', PATTERNS.dnsLabel, validateDnsLabel), {
    default: DEFAULT_COLLECTOR_NAMESPACE,
  }),
  replicas: defaulted<number>(wholeNumber('Collector replicas sharing the scrape.', 1, MAX_REPLICAS), {
    default: DEFAULT_REPLICAS,
    env: 'COLLECTOR_REPLICAS',
  }),
  fargateNodesOnly: defaulted<boolean>(
    {
      type: 'boolean',
      description: 'Scrape only Fargate nodes (with podNaming pod; by workload only Fargate pods are scraped).',
    },
    { default: DEFAULT_FARGATE_NODES_ONLY },
  ),
  sampleApp: defaulted<boolean>(
    { type: 'boolean', description: 'Also deploy the sample Go web application.' },
    { default: false, env: 'SAMPLE_APP' },
  ),
  collectorMode: defaulted<CollectorMode>(
    oneOf(
      'string',
      'manifests: a StatefulSet, ConfigMap and Service; operator: an OpenTelemetryCollector for the OpenTelemetry Operator (ADOT add-on).',
      COLLECTOR_MODES,
      `one of ${COLLECTOR_MODES.join(', ')}`,
    ),
    { default: CollectorMode.MANIFESTS, env: 'COLLECTOR_MODE' },
  ),
  operatorVersion: defaulted<string>(
    {
      type: 'string',
      description: `OpenTelemetry Operator release installed, with collectorMode operator (${OPERATOR_V1BETA1_MINIMUM} or later).`,
      check: (input: string, value: string) => OperatorVersion.of(value, input),
      schema: { pattern: RELEASE_TAG.source },
    },
    {
      default: OperatorVersion.DEFAULT.tag,
      env: 'OPERATOR_VERSION',
      requires: {
        setting: 'collectorMode',
        values: [CollectorMode.OPERATOR],
        why: 'it names the OpenTelemetry Operator release the custom resource is written for, which only operator mode writes',
      },
    },
  ),
  metricProfile: defaulted<MetricProfile>(
    oneOf(
      'string',
      "reference: the AWS reference manifest's 8 pod metrics; console: those plus the metrics and dimension sets the Container Insights console reads, as far as Fargate can give them.",
      METRIC_PROFILES,
      `one of ${METRIC_PROFILES.join(', ')}`,
    ),
    {
      default: DEFAULT_METRIC_PROFILE,
      env: 'METRIC_PROFILE',
      requires: {
        setting: 'metricsDestination',
        values: EMF_DESTINATIONS,
        why: "it selects the Embedded Metric Format path's CloudWatch metrics, which otlp alone does not send",
      },
    },
  ),
  fargateLogging: defaulted<boolean>(
    { type: 'boolean', description: "Send every Fargate pod's container logs to CloudWatch Logs." },
    { default: false, env: 'FARGATE_LOGGING' },
  ),
  logRetentionDays: optional<number>(
    oneOf(
      'integer',
      'Retention of the container logs, in days (with fargateLogging).',
      LOG_RETENTION_DAYS,
      `one of the periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
    ),
    {
      defaultText: "the log group's own",
      env: 'FARGATE_LOG_RETENTION_DAYS',
      requires: {
        setting: 'fargateLogging',
        values: [true],
        why: 'it sets the retention of the container logs, which only Fargate logging sends',
      },
    },
  ),
  expectedPods: defaulted<number>(
    wholeNumber('Fargate pods the cluster is expected to run, the collector sized for them.', 1, MAX_EXPECTED_PODS),
    { default: DEFAULT_EXPECTED_PODS, env: 'EXPECTED_PODS' },
  ),
  expectedWorkloads: optional<number>(
    wholeNumber(
      "Workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, ownerless pods) the expected pods belong to, for the bill: with podNaming workload, PodName's values.",
      1,
      MAX_EXPECTED_PODS,
    ),
    { defaultText: '3 for every 10 expected pods, at least one per namespace', env: 'EXPECTED_WORKLOADS' },
  ),
  expectedServices: optional<number>(
    wholeNumber(
      'Services with ready pods, for the bill of pod health (service_number_of_running_pods per Service).',
      0,
      MAX_EXPECTED_PODS,
    ),
    { defaultText: 'one per expected workload', env: 'EXPECTED_SERVICES' },
  ),
  podNaming: defaulted<string>(
    oneOf(
      'string',
      "What the PodName dimension names: workload: the pod's Deployment, StatefulSet, DaemonSet, Job or CronJob, as Container Insights on EC2 (one metric per workload); workloadAndPod: that, and every set with PodName also with FullPodName, per pod; pod: the pod itself, as the AWS reference manifest (one metric per pod).",
      PodNaming.NAMES,
      `one of ${PodNaming.NAMES.join(', ')}`,
    ),
    {
      default: PodNaming.DEFAULT.name,
      env: 'POD_NAMING',
      requires: {
        setting: 'metricsDestination',
        values: EMF_DESTINATIONS,
        why: "it names the pods in the Embedded Metric Format path's CloudWatch metrics, which otlp alone does not send",
      },
    },
  ),
  performanceLogRetentionDays: defaulted<number>(
    oneOf(
      'integer',
      'Retention of the performance log group /aws/containerinsights/<name>/performance, in days; 0: never expire.',
      EMF_LOG_RETENTION_DAYS,
      `0 (never expire) or one of ${EMF_LOG_RETENTION_DAYS.slice(1).join(', ')} days`,
    ),
    { default: DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS, env: 'PERFORMANCE_LOG_RETENTION_DAYS' },
  ),
  performanceLogGroupTags: optional<Readonly<Record<string, string>>>(
    {
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
    { env: 'PERFORMANCE_LOG_GROUP_TAGS', envForm: 'a JSON object of tags, e.g. {"team":"platform"}' },
  ),
  oidcIssuer: optional<string>(
    matching("The cluster's OIDC issuer URL, for the collector role's trust policy.", OIDC_ISSUER, OIDC_ISSUER_FORM),
    { env: 'OIDC_ISSUER' },
  ),
  applicationMetrics: optional<ApplicationMetrics>({
    type: 'object',
    description: `Scrape the pods annotated prometheus.io/scrape: "true" and send their metrics to one or both destinations: ${APPLICATION_METRICS_DESTINATIONS.join(', ')}.`,
    check: (input: string, value: ApplicationMetrics) => resolveApplicationMetrics(input, value),
    schema: applicationMetricsSchema(),
  }),
  metricsDestination: defaulted<MetricsDestination>(
    oneOf(
      'string',
      'emf: the classic Embedded Metric Format path; otlp: OpenTelemetry metrics to CloudWatch over OTLP, for PromQL; both: both, to migrate.',
      METRICS_DESTINATIONS,
      `one of ${METRICS_DESTINATIONS.join(', ')}`,
    ),
    { default: DEFAULT_METRICS_DESTINATION, env: 'METRICS_DESTINATION' },
  ),
  podHealth: optional<PodHealthSettings>(
    {
      type: 'object',
      description:
        'Pod and workload health: run kube-state-metrics beside the collector and send the Container Insights pod status, container state, restart, running-pod, node and replica metrics; {} for the defaults.',
      check: (input: string, value: PodHealthSettings) => podHealthFromSettings(input, value),
      schema: podHealthSchema(),
    },
    { env: 'POD_HEALTH', envForm: 'a JSON object, e.g. {} or {"profile":"cluster"}' },
  ),
  allowUnlistedRegion: defaulted<boolean>(
    {
      type: 'boolean',
      description:
        "Accept a region newer than the library's lists: one the AWS SDK's partitions data it was built with does not have or where the EKS user guide says EKS runs no pods on Fargate (China, AWS GovCloud (US)), and otlp or both in a region it does not list with OTLP metrics ingestion.",
    },
    { default: DEFAULT_ALLOW_UNLISTED_REGION, env: 'ALLOW_UNLISTED_REGION' },
  ),
} as const;

type Settings = typeof CLUSTER_SETTINGS;
type ValueOf<S> = S extends Setting<infer T, boolean> ? T : never;
type RequiredKey = { [K in keyof Settings]: Settings[K] extends Setting<unknown, true> ? K : never }[keyof Settings];
type OptionalKey = Exclude<keyof Settings, RequiredKey>;

/** One cluster of a fleet, as a clusters file (or the app's environment) gives it: the table's settings. */
export type FleetCluster = { readonly [K in RequiredKey]: ValueOf<Settings[K]> } & {
  readonly [K in OptionalKey]?: ValueOf<Settings[K]>;
};

/** The settings that have a default. */
type DefaultedKey = {
  [K in OptionalKey]: Settings[K] extends { readonly default: unknown } ? K : never;
}[OptionalKey];

/** A cluster with every default filled in: what the charts, the prerequisites and the bill are built from. */
export type ResolvedCluster = FleetCluster & { readonly [K in DefaultedKey]-?: ValueOf<Settings[K]> };

/** The one place defaults are filled in: a cluster's settings, each unset one with the table's default. */
export function resolveCluster(cluster: FleetCluster): ResolvedCluster {
  const given = Object.fromEntries(Object.entries(cluster).filter(([, value]) => value !== undefined));
  return { ...DEFAULTS, ...given } as ResolvedCluster;
}

/** Each setting's default, by key: the table's, read once. */
const DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(CLUSTER_SETTINGS).flatMap(([key, setting]) =>
    'default' in setting && setting.default !== undefined ? [[key, setting.default]] : [],
  ),
);

/** The fields of a cluster entry, from the table. */
export const CLUSTER_FIELDS: Readonly<Record<keyof FleetCluster, Field>> = Object.fromEntries(
  Object.entries(CLUSTER_SETTINGS).map(([key, setting]) => [key, setting.field]),
) as Record<keyof FleetCluster, Field>;

/** The settings with a requirement, and it. */
export const REQUIREMENTS: ReadonlyArray<readonly [keyof FleetCluster, Requirement]> = Object.entries(
  CLUSTER_SETTINGS,
).flatMap(([key, setting]) =>
  'requires' in setting && setting.requires !== undefined
    ? [[key as keyof FleetCluster, setting.requires as Requirement] as const]
    : [],
);

/** The value a setting has in a cluster: its own, or the table's default. */
export function settingValue(cluster: Readonly<Record<string, unknown>>, key: string): unknown {
  const setting = (CLUSTER_SETTINGS as Readonly<Record<string, Setting<unknown>>>)[key];
  return cluster[key] ?? setting?.default;
}

/** The fields of `defaults`: those of a cluster but its name, none required. */
export const DEFAULT_FIELDS: Readonly<Record<string, Field>> = Object.fromEntries(
  Object.entries(CLUSTER_FIELDS)
    .filter(([key]) => key !== 'name')
    .map(([key, field]) => [key, { ...field, required: false }]),
);
