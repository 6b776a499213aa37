import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
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
import { invalidInput, showValue, ValidationError } from '../core/errors';
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
import { argoCdNormalizedName, GITOPS_OBJECT_NAME } from './gitops';

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

/** Emit an Argo CD ApplicationSet over the cluster folders. */
export interface FleetArgoCd {
  /**
   * Namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Argo CD project of the generated Applications.
   *
   * @default 'default'
   */
  readonly project?: string;
}

/** Emit a Flux GitRepository and Kustomization for each cluster. */
export interface FleetFlux {
  /**
   * Namespace Flux runs in.
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * How often Flux checks the repository and reconciles, a Go duration.
   *
   * @default '10m'
   */
  readonly interval?: string;
}

/** Where the fleet's output is committed, and which GitOps objects to emit. */
export interface FleetGitOps {
  /** Repository URL, `https://...` or `ssh://...`. */
  readonly repoURL: string;
  /**
   * Branch the controllers follow.
   *
   * @default 'main'
   */
  readonly branch?: string;
  /** Path of the output folder in the repository, e.g. `clusters/dist`. */
  readonly path: string;
  /**
   * Emit `_gitops/argocd/applicationset.yaml`.
   *
   * @default - not emitted
   */
  readonly argoCd?: FleetArgoCd;
  /**
   * Emit `_gitops/flux/<cluster>.yaml` for each cluster.
   *
   * @default - not emitted
   */
  readonly flux?: FleetFlux;
}

/** A fleet: its clusters and, optionally, its GitOps wiring. */
export interface Fleet {
  /** The clusters, each synthesized into a folder of its own. */
  readonly clusters: readonly FleetCluster[];
  /**
   * GitOps wiring.
   *
   * @default - none: only the cluster folders are written
   */
  readonly gitops?: FleetGitOps;
}

/** A clusters file, read and validated. */
export interface FleetFile {
  /** The fleet, validated. */
  readonly fleet: Fleet;
  /** Absolute path of the output folder (`output`, relative to the file; default `dist`). */
  readonly output: string;
  /** Absolute path of the prerequisites folder (`prerequisites`, relative to the file; default `prerequisites`). */
  readonly prerequisites: string;
}

/** A location in the input, as keys and indexes: `['clusters', 2, 'region']`. */
export type InputPath = readonly (string | number)[];

/** How a path reads in a message: `clusters[2].region`. */
export function pathLabel(path: InputPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** One problem with the input: where, and what. */
interface Issue {
  readonly path: InputPath;
  readonly message: string;
  /** Points at the key rather than its value (unknown fields). */
  readonly atKey?: boolean;
}

type FieldType = 'string' | 'integer' | 'boolean' | 'object' | 'list';

interface Field {
  readonly type: FieldType;
  readonly required?: boolean;
  /** What the field means, for the JSON schema (editors show it). */
  readonly description: string;
  /** Throws a ValidationError naming `input` when the value is not accepted. */
  readonly check?: (input: string, value: never) => unknown;
  /** What `check` accepts, as far as a JSON schema can say it. */
  readonly schema?: Readonly<Record<string, unknown>>;
}

const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  list: 'a list',
};

// Go durations as Flux's CRDs accept them: "10m", "1h30m", "90s".
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
// Longer would be no reconciliation at all; Go's durations end near 2,562,047 h.
const MAX_FLUX_INTERVAL_MS = 86_400_000;
const GO_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The milliseconds of a duration that matches GO_DURATION. */
function goDurationMs(value: string): number {
  let total = 0;
  for (const [, amount = '0', , unit = 'ms'] of value.matchAll(/([0-9]+(\.[0-9]+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (GO_UNIT_MS[unit] ?? 1);
  }
  return total;
}
// The URL forms both Flux (http, https, ssh) and Argo CD accept; plain http is not offered.
const REPO_URL = /^(https|ssh):\/\/[^\s/]+\/\S+$/;
// A relative path in a repository or beside the clusters file: segments of safe characters, no `.` or `..`.
const REPO_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;
// A Git branch: letters, digits and . _ / + -, without the sequences git check-ref-format rejects.
const BRANCH = /^(?!\/|.*(?:\/\/|\.\.|\/$|\.lock$|\.$))[\w./+-]+$/;

function pattern(regex: RegExp, accepted: string) {
  return (input: string, value: string) => {
    if (!regex.test(value)) invalidInput(input, value, accepted);
  };
}

/** A field that takes one of `values`. */
function oneOf(
  type: 'string' | 'integer',
  description: string,
  values: readonly (string | number)[],
  accepted: string,
): Field {
  const check = (input: string, value: string | number) => {
    if (!values.includes(value)) invalidInput(input, value, accepted);
  };
  return { type, description, check, schema: { enum: values } };
}

/** A string field checked by `check`, whose values match `regex`. */
function text(
  description: string,
  regex: RegExp,
  check: (input: string, value: string) => unknown,
  required = false,
): Field {
  return { type: 'string', description, required, check, schema: { pattern: regex.source } };
}

/** A string field checked against `regex`, with `accepted` in the error. */
function matching(description: string, regex: RegExp, accepted: string, required = false): Field {
  return text(description, regex, pattern(regex, accepted), required);
}

/** The fields of a cluster entry, in the order the documentation lists them. */
const CLUSTER_FIELDS: Readonly<Record<keyof FleetCluster, Field>> = {
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
function applicationMetricsSchema(): Readonly<Record<string, unknown>> {
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
const DEFAULT_FIELDS: Readonly<Record<string, Field>> = Object.fromEntries(
  Object.entries(CLUSTER_FIELDS)
    .filter(([key]) => key !== 'name')
    .map(([key, field]) => [key, { ...field, required: false }]),
);

const ARGOCD_FIELDS: Readonly<Record<keyof FleetArgoCd, Field>> = {
  namespace: text('Namespace Argo CD runs in. Default: argocd.', PATTERNS.dnsLabel, validateDnsLabel),
  project: text('Argo CD project of the Applications. Default: default.', PATTERNS.dnsLabel, validateDnsLabel),
};

const FLUX_FIELDS: Readonly<Record<keyof FleetFlux, Field>> = {
  namespace: text('Namespace Flux runs in. Default: flux-system.', PATTERNS.dnsLabel, validateDnsLabel),
  interval: text(
    'How often Flux reconciles, a Go duration. Default: 10m.',
    GO_DURATION,
    (input: string, value: string) => {
      if (!GO_DURATION.test(value) || !(goDurationMs(value) >= 1 && goDurationMs(value) <= MAX_FLUX_INTERVAL_MS)) {
        invalidInput(input, value, 'a Go duration from 1ms to 24h, such as "10m", "1h" or "90s"');
      }
    },
  ),
};

const GITOPS_FIELDS: Readonly<Record<keyof FleetGitOps, Field>> = {
  repoURL: matching(
    'Repository the output is committed to: https://... or ssh://...',
    REPO_URL,
    'a repository URL starting with https:// or ssh:// (Flux does not accept the scp-like "git@host:path" form)',
    true,
  ),
  branch: matching('Branch the controllers follow. Default: main.', BRANCH, 'a Git branch name such as "main"'),
  path: matching(
    'Path of the output folder in the repository, e.g. clusters/dist.',
    REPO_PATH,
    'the path of the output folder in the repository, such as "clusters/dist": relative, without leading or trailing "/", "." or ".." segments',
    true,
  ),
  argoCd: { type: 'object', description: 'Emit an Argo CD ApplicationSet over the cluster folders ({} for defaults).' },
  flux: { type: 'object', description: 'Emit a Flux GitRepository and Kustomization per cluster ({} for defaults).' },
};

const FILE_FIELDS: Readonly<Record<'defaults' | 'clusters' | 'output' | 'prerequisites' | 'gitops', Field>> = {
  defaults: {
    type: 'object',
    description: 'Fields every cluster gets unless it sets them: any cluster field but name.',
  },
  clusters: { type: 'list', required: true, description: 'The clusters: one output folder each.' },
  output: matching(
    'Output folder, relative to this file. Default: dist.',
    REPO_PATH,
    'a folder relative to the clusters file, such as "dist", without "." or ".." segments',
  ),
  prerequisites: matching(
    'Folder of the prerequisites (eksctl config, IAM JSON), relative to this file. Default: prerequisites.',
    REPO_PATH,
    'a folder relative to the clusters file, such as "prerequisites", without "." or ".." segments',
  ),
  gitops: { type: 'object', description: 'Where the output is committed, and which GitOps objects to emit.' },
};

function typeOf(value: unknown): FieldType | 'null' | 'other' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'other';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return 'other';
}

/**
 * `did you mean "replicas"? ` for a field name one or two edits away from a
 * known one (`replica`, `namspace`), or differing only in case; else nothing.
 */
function didYouMean(key: string, known: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(
          (row[j] ?? 0) + 1,
          (next[j - 1] ?? 0) + 1,
          (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      }
      row = next;
    }
    return row[b.length] ?? Number.POSITIVE_INFINITY;
  };
  const scored = known
    .map((name) => ({ name, score: name.toLowerCase() === key.toLowerCase() ? 0 : distance(key, name) }))
    .filter(({ score }) => score <= 2)
    .sort((a, b) => a.score - b.score);
  return scored[0] === undefined ? '' : `did you mean ${JSON.stringify(scored[0].name)}? `;
}

/**
 * Checks the fields of one mapping against their specification: unknown
 * fields, missing required ones (unless `inherited` has them), types, and each
 * field's own check. Returns the issues; never throws.
 */
function checkFields(
  value: unknown,
  path: InputPath,
  fields: Readonly<Record<string, Field>>,
  issues: Issue[],
  inherited: Readonly<Record<string, unknown>> = {},
): value is Record<string, unknown> {
  if (typeOf(value) !== 'object') {
    issues.push({
      path,
      message: `Invalid ${path.length === 0 ? 'clusters file' : pathLabel(path)} ${showValue(value)}: expected ${TYPE_NAMES.object} (${Object.keys(fields).join(', ')}).`,
    });
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in fields)) {
      issues.push({
        path: [...path, key],
        atKey: true,
        message: `Unknown field ${pathLabel([...path, key])}: ${didYouMean(key, Object.keys(fields))}expected one of ${Object.keys(fields).join(', ')}.`,
      });
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    const fieldPath = [...path, key];
    const input = pathLabel(fieldPath);
    const fieldValue = record[key];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required && inherited[key] === undefined) {
        issues.push({ path, message: `Missing field ${input}: expected ${TYPE_NAMES[field.type]}.` });
      }
      continue;
    }
    if (typeOf(fieldValue) !== field.type) {
      issues.push({
        path: fieldPath,
        message: `Invalid ${input} ${showValue(fieldValue)}: expected ${TYPE_NAMES[field.type]}.`,
      });
      continue;
    }
    try {
      field.check?.(input, fieldValue as never);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push({ path: fieldPath, message: error.message });
    }
  }
  return true;
}

/**
 * Validates a fleet given as plain data (read from a file or built in code),
 * and fills in the defaults. Returns the fleet and every issue found.
 */
function checkFleet(input: unknown, issues: Issue[]): Fleet {
  if (!checkFields(input, [], FILE_FIELDS, issues)) return { clusters: [] };
  const defaults = (input.defaults ?? {}) as Record<string, unknown>;
  if (input.defaults !== undefined) checkFields(input.defaults, ['defaults'], DEFAULT_FIELDS, issues);

  const entries = Array.isArray(input.clusters) ? (input.clusters as unknown[]) : [];
  if (Array.isArray(input.clusters) && entries.length === 0) {
    issues.push({ path: ['clusters'], message: 'Invalid clusters []: expected at least one cluster.' });
  }
  const clusters: FleetCluster[] = [];
  entries.forEach((entry, index) => {
    if (checkFields(entry, ['clusters', index], CLUSTER_FIELDS, issues, defaults)) {
      clusters.push({ ...defaults, ...withoutNulls(entry) } as unknown as FleetCluster);
    }
  });

  // Folder names must differ on case-insensitive file systems too.
  const seen = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    if (typeof cluster.name !== 'string') return;
    const key = cluster.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
    } else {
      issues.push({
        path: ['clusters', index, 'name'],
        message: `Invalid ${pathLabel(['clusters', index, 'name'])} ${showValue(cluster.name)}: expected a name no other cluster has, ignoring case (clusters[${first}] is ${showValue(clusters[first]?.name)}); each cluster gets a folder of that name.`,
      });
    }
  });

  let gitops: FleetGitOps | undefined;
  if (input.gitops !== undefined && checkFields(input.gitops, ['gitops'], GITOPS_FIELDS, issues)) {
    gitops = withoutNulls(input.gitops) as unknown as FleetGitOps;
    if (gitops.argoCd !== undefined) checkFields(gitops.argoCd, ['gitops', 'argoCd'], ARGOCD_FIELDS, issues);
    if (gitops.flux !== undefined) checkFields(gitops.flux, ['gitops', 'flux'], FLUX_FIELDS, issues);
    if (gitops.argoCd !== undefined) checkApplicationNames(clusters, issues);
  }
  return gitops === undefined ? { clusters } : { clusters, gitops };
}

/**
 * Argo CD names each Application after its folder, normalized to a DNS name:
 * two clusters must not end up with one name.
 */
function checkApplicationNames(clusters: readonly FleetCluster[], issues: Issue[]): void {
  const seen = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    if (typeof cluster.name !== 'string') return;
    const application = `${GITOPS_OBJECT_NAME}-${argoCdNormalizedName(cluster.name)}`;
    const first = seen.get(application);
    if (first === undefined) {
      seen.set(application, index);
      return;
    }
    issues.push({
      path: ['clusters', index, 'name'],
      message: `Invalid ${pathLabel(['clusters', index, 'name'])} ${showValue(cluster.name)}: with gitops.argoCd set, expected a name whose Argo CD Application name (${application}) differs from that of clusters[${first}] ${showValue(clusters[first]?.name)}; Argo CD lower-cases names and replaces "_" with "-".`,
    });
  });
}

function withoutNulls(value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null));
}

function fail(issues: readonly Issue[], where: (issue: Issue) => string): never {
  const shown = issues.slice(0, 20).map((issue) => `${where(issue)}${issue.message}`);
  if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more.`);
  const header = issues.length === 1 ? '' : `${issues.length} problems in the fleet:\n  `;
  throw new ValidationError(`${header}${shown.join('\n  ')}`);
}

/**
 * Validates a fleet built in code. Throws a ValidationError that lists every
 * problem, each naming the entry and field (`clusters[2].region`).
 */
export function validateFleet(fleet: Fleet): Fleet {
  const issues: Issue[] = [];
  const checked = checkFleet(fleet, issues);
  if (issues.length > 0) fail(issues, () => '');
  return checked;
}

/**
 * Parses and validates the text of a clusters file. Every problem is reported
 * at once, each with its line and column, the entry and the field:
 * `clusters.yaml:7:13: Invalid clusters[1].region "eu-west": expected ...`.
 *
 * @param text the YAML text
 * @param file the file name shown in messages
 */
export function parseFleet(
  text: string,
  file: string,
): {
  /** The fleet, validated. */
  readonly fleet: Fleet;
  /** The `output` field, as written (default `dist`). */
  readonly output: string;
  /** The `prerequisites` field, as written (default `prerequisites`). */
  readonly prerequisites: string;
} {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.startsWith('\uFEFF') ? text.slice(1) : text, { lineCounter, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}: `;
  };
  if (doc.errors.length > 0) {
    throw new ValidationError(
      doc.errors.map((error) => `${at(error.pos[0])}Invalid YAML: ${yamlProblem(error.message)}`).join('\n  '),
    );
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ValidationError(`${file}: Invalid clusters file: it is empty; expected ${FLEET_FILE_FORM}.`);
  }
  const excessive = excessiveAlias(doc);
  if (excessive !== undefined) {
    throw new ValidationError(
      `${at(excessive.range?.[0] ?? 0)}Invalid YAML: the alias *${excessive.source} takes the file past ${MAX_ALIASED_NODES} values copied by aliases; expected fewer or smaller aliases (a guard against alias bombs).`,
    );
  }
  const issues: Issue[] = [];
  const data: unknown = doc.toJS({ maxAliasCount: -1 });
  const fleet = checkFleet(data, issues);
  if (issues.length > 0) {
    // In the order of the file, as an editor lists them.
    const located = issues.map((issue) => ({ issue, offset: offsetOf(doc.contents, issue) }));
    located.sort((a, b) => a.offset - b.offset);
    const offsets = new Map(located.map(({ issue, offset }) => [issue, offset]));
    fail(
      located.map(({ issue }) => issue),
      (issue) => at(offsets.get(issue) ?? 0),
    );
  }
  const { output = 'dist', prerequisites = 'prerequisites' } = data as { output?: string; prerequisites?: string };
  if (output === prerequisites) {
    throw new ValidationError(
      `${file}: Invalid prerequisites ${showValue(prerequisites)}: expected a folder other than output ("${output}"); the prerequisites are not Kubernetes objects.`,
    );
  }
  return { fleet, output, prerequisites };
}

/** What a clusters file holds at least, for messages about a file that is not one. */
const FLEET_FILE_FORM =
  'a YAML mapping with a clusters list, each cluster with name, region and serviceAccountRoleArn (see clusters.schema.json)';

/** The first line of a YAML parser message, without its trailing colon (the source excerpt that follows is dropped). */
function yamlProblem(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:\s*$/, '');
}

/**
 * How many values aliases may copy into a clusters file in all: enough for
 * an alias per field of thousands of clusters, far short of an alias bomb
 * (nine aliases of nine aliases of ... nine levels deep copy 387 million).
 */
export const MAX_ALIASED_NODES = 100_000;

/**
 * The first alias, in the order of the file, at which the values the
 * aliases copy exceed {@link MAX_ALIASED_NODES}; or undefined. Each alias
 * copies its anchor's node with everything under it, the aliases there
 * expanded too; sizes are memoized, so an alias bomb is measured without
 * being expanded.
 */
function excessiveAlias(doc: Document): Alias | undefined {
  const sizes = new Map<unknown, number>();
  const pending = new Set<unknown>();
  const size = (node: unknown): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    // An alias inside its own anchor: the parser has rejected it already.
    if (pending.has(node)) return Number.POSITIVE_INFINITY;
    pending.add(node);
    let total = 1;
    if (isAlias(node)) total = size(node.resolve(doc));
    else if (isMap(node)) for (const pair of node.items) total += size(pair.key) + size(pair.value);
    else if (isSeq(node)) for (const item of node.items) total += size(item);
    pending.delete(node);
    sizes.set(node, total);
    return total;
  };
  let copied = 0;
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      copied += size(alias.resolve(doc));
      if (copied > MAX_ALIASED_NODES) {
        found = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Where in the text an issue is: its value, or its key for an unknown field; else its nearest parent. */
function offsetOf(root: Node | null, issue: Issue): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  for (const [i, part] of issue.path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      const last = i === issue.path.length - 1;
      const target = last && issue.atKey ? pair.key : pair.value;
      offset = (target as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      offset = (node as Node | null)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/**
 * Reads and validates a clusters file. The output folder is resolved against
 * the file's folder.
 */
export function readFleetFile(path: string): FleetFile {
  const shown = isAbsolute(path) ? relative(process.cwd(), path) || path : path;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ValidationError(`Cannot read the clusters file ${shown}: ${(error as Error).message}`);
  }
  const text = decodeFleetFile(bytes, shown);
  const { fleet, output, prerequisites } = parseFleet(text, shown);
  return { fleet, output: resolve(dirname(path), output), prerequisites: resolve(dirname(path), prerequisites) };
}

/**
 * The text of a clusters file, which must be UTF-8 (with or without a byte
 * order mark): YAML 1.2 allows UTF-16 and UTF-32, but editors, Git diffs and
 * the YAML language server all expect UTF-8, so the file is refused with
 * how to fix it rather than decoded into an error about its bytes.
 */
function decodeFleetFile(bytes: Buffer, file: string): string {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
  const wide =
    starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)
      ? 'UTF-32'
      : starts(0xfe, 0xff) || starts(0xff, 0xfe) || bytes.subarray(0, 4096).includes(0)
        ? 'UTF-16'
        : undefined;
  if (wide !== undefined) {
    throw new ValidationError(
      `${file}: Invalid clusters file: it is ${wide} text (or binary); expected UTF-8 text: ${FLEET_FILE_FORM}. Save it as UTF-8.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(
      `${file}: Invalid clusters file: it is not valid UTF-8 text; expected UTF-8 text: ${FLEET_FILE_FORM}. Save it as UTF-8.`,
    );
  }
}

const JSON_TYPES: Readonly<Record<FieldType, string>> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  object: 'object',
  list: 'array',
};

/** A JSON schema object for a table of fields; `nested` gives the schema of object and list fields. */
function objectSchema(
  fields: Readonly<Record<string, Field>>,
  nested: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
  inherited: readonly string[] = [],
): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.entries(fields)
      .filter(([key, field]) => field.required && !inherited.includes(key))
      .map(([key]) => key),
    properties: Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [
        key,
        { description: field.description, type: JSON_TYPES[field.type], ...field.schema, ...nested[key] },
      ]),
    ),
  };
}

/**
 * The JSON schema of a clusters file, built from the same field tables as
 * the validation, for editors (`# yaml-language-server: $schema=...`). The
 * validation checks more than it says: names unique ignoring case, Argo CD
 * Application names, and each field's own rules.
 */
export function fleetJsonSchema(): Record<string, unknown> {
  // Required cluster fields that `defaults` may give instead.
  const inheritable = Object.keys(CLUSTER_FIELDS).filter(
    (key) => CLUSTER_FIELDS[key as keyof FleetCluster].required && key in DEFAULT_FIELDS,
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cdk8s-fargate-container-insights clusters file',
    ...objectSchema(FILE_FIELDS, {
      defaults: objectSchema(DEFAULT_FIELDS),
      clusters: { minItems: 1, items: objectSchema(CLUSTER_FIELDS, {}, inheritable) },
      gitops: objectSchema(GITOPS_FIELDS, {
        argoCd: objectSchema(ARGOCD_FIELDS),
        flux: objectSchema(FLUX_FIELDS),
      }),
    }),
    // Each of those is required of every cluster unless defaults has it.
    allOf: inheritable.map((key) => ({
      if: {
        not: { type: 'object', required: ['defaults'], properties: { defaults: { type: 'object', required: [key] } } },
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited.
      then: { type: 'object', properties: { clusters: { type: 'array', items: { type: 'object', required: [key] } } } },
    })),
  };
}
