import { invalidInput } from '../core/errors';
import { refuseUnknownFields } from '../core/unknown-fields';
import { duplicatesOf, MAX_DIMENSIONS, validateDnsLabel, validateRegion } from '../core/validation';
import { EMF_UNITS, type MetricDescriptorConfig } from './components/awsemf-exporter';

/**
 * Application metrics: the Prometheus metrics of pods annotated
 * `prometheus.io/scrape: "true"`, scraped by the same collector over the pod
 * network, in pipelines of their own, to CloudWatch (Embedded Metric Format,
 * only declared metrics billed) and/or Amazon Managed Service for Prometheus
 * (remote write signed with SigV4). This module holds the public options,
 * their validation and the resolved form the configuration is built from.
 */

/**
 * One group of application metrics sent to CloudWatch as metrics, each with
 * every dimension set: one awsemf `metric_declarations` entry.
 */
export interface ApplicationMetricDeclaration {
  /**
   * Metric names as the application exposes them (`http_requests_total`; a
   * histogram or summary by its family name, without `_bucket`, `_sum` or
   * `_count`). Each is matched exactly, never as a pattern.
   */
  readonly metrics: string[];
  /**
   * Dimension sets, each a list of label names: `ClusterName`, the labels the
   * scrape adds (`namespace`, `pod`, `app`) or the application's own labels.
   * A metric is sent in a set only when it carries every label of the set.
   */
  readonly dimensionSets: string[][];
  /**
   * CloudWatch units of some of the metrics, by metric name: one of the
   * units awsemf accepts (`Seconds`, `Bytes`, `Count`, `Percent`,
   * `Bytes/Second`, ..., `None`). A unit given here replaces any the metric
   * carries.
   *
   * @default - the unit the name's suffix says, by the Prometheus naming
   * conventions (`_seconds` Seconds, `_bytes` Bytes, `_total` Count, with or
   * without `_total` after a unit); none for other names
   */
  readonly units?: { [metric: string]: string };
}

/** Application metrics to CloudWatch, through Embedded Metric Format logs. */
export interface ApplicationMetricsCloudWatch {
  /**
   * Which metrics become CloudWatch metrics. Every metric named here is a
   * billed custom metric per value of each of its dimension sets; metrics
   * not named are dropped at scrape time (or, with Amazon Managed Service for
   * Prometheus also on, before this destination), so they cost nothing here.
   */
  readonly declarations: ApplicationMetricDeclaration[];
  /**
   * Log group of the Embedded Metric Format events; `{ClusterName}` is
   * replaced by the cluster's name.
   *
   * @default '/aws/containerinsights/{ClusterName}/prometheus'
   */
  readonly logGroupName?: string;
  /**
   * CloudWatch metric namespace.
   *
   * @default 'ContainerInsights/Prometheus'
   */
  readonly namespace?: string;
}

/** Application metrics to an Amazon Managed Service for Prometheus workspace. */
export interface ApplicationMetricsManagedPrometheus {
  /**
   * The workspace's remote write URL:
   * `https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace id>/api/v1/remote_write`.
   * The collector's IRSA role signs the requests (SigV4, service `aps`) and
   * needs `aps:RemoteWrite` on the workspace (the prerequisites grant it).
   */
  readonly remoteWriteUrl: string;
  /**
   * Region of the workspace, which signs the requests. Must be the region in
   * `remoteWriteUrl`.
   *
   * @default the region in `remoteWriteUrl`
   */
  readonly region?: string;
}

/** Scrape the pods that ask for it and send their metrics to one or both destinations. */
export interface ApplicationMetrics {
  /**
   * Namespaces whose annotated pods are scraped. When set, the collector gets
   * a Role in each (pods get/list/watch) instead of cluster-wide rights.
   * Each namespace must exist before the manifests are applied.
   *
   * @default - every namespace, with a ClusterRole
   */
  readonly namespaces?: string[];
  /**
   * Send the declared metrics to CloudWatch.
   *
   * @default - not sent to CloudWatch
   */
  readonly cloudWatch?: ApplicationMetricsCloudWatch;
  /**
   * Send every scraped metric to Amazon Managed Service for Prometheus.
   *
   * @default - not sent to Amazon Managed Service for Prometheus
   */
  readonly managedPrometheus?: ApplicationMetricsManagedPrometheus;
}

/** Where application metrics can go, each value the name of its field in {@link ApplicationMetrics}. */
export enum ApplicationMetricsDestination {
  /** CloudWatch, as Embedded Metric Format: `ApplicationMetrics.cloudWatch`. */
  CLOUD_WATCH = 'cloudWatch',
  /** Amazon Managed Service for Prometheus, by remote write: `ApplicationMetrics.managedPrometheus`. */
  MANAGED_PROMETHEUS = 'managedPrometheus',
}

/** Every application metrics destination. */
export const APPLICATION_METRICS_DESTINATIONS: readonly ApplicationMetricsDestination[] =
  Object.values(ApplicationMetricsDestination);

/** Log group of the application metrics unless told otherwise. */
export const DEFAULT_APPLICATION_LOG_GROUP = '/aws/containerinsights/{ClusterName}/prometheus';

/** CloudWatch metric namespace of the application metrics unless told otherwise. */
export const DEFAULT_APPLICATION_METRIC_NAMESPACE = 'ContainerInsights/Prometheus';

/**
 * The labels the scrape puts on every application series, from the pod it
 * came from: the dimensions users filter on.
 */
export const APPLICATION_LABELS = {
  /** The pod's namespace. */
  namespace: 'namespace',
  /** The pod's name. */
  pod: 'pod',
  /** The pod's `app.kubernetes.io/name` label, or else its `app` label. */
  app: 'app',
} as const;

/**
 * What this repository's app declares for the sample Go web application
 * (`SampleGoWebapp`): its request counter, as the AWS samples' Go web
 * applications name it, and two metrics the Go Prometheus client serves by
 * default, per application in each namespace (3 custom metrics for the
 * sample). A metric the image does not serve costs nothing.
 */
export const SAMPLE_GO_WEBAPP_DECLARATIONS: ApplicationMetricDeclaration[] = [
  {
    metrics: ['http_requests_total', 'go_goroutines', 'process_resident_memory_bytes'],
    dimensionSets: [['ClusterName', 'namespace', 'app']],
  },
];

/** A log group name with the cluster's name filled in for `{ClusterName}`, as the awsemf exporter fills it. */
export function withClusterName(logGroupName: string, clusterName: string): string {
  return logGroupName.replaceAll('{ClusterName}', clusterName);
}

/** The cluster's name on every application series sent to Amazon Managed Service for Prometheus. */
export const APPLICATION_CLUSTER_LABEL = 'cluster';

/** The application metrics as the configuration is built from them: validated, defaults filled in. */
export interface ApplicationMetricsConfigOptions {
  /** Namespaces scraped; empty: every namespace. */
  readonly namespaces: readonly string[];
  /** The CloudWatch destination, when on. */
  readonly cloudWatch?: {
    /** The declarations. */
    readonly declarations: readonly ApplicationMetricDeclaration[];
    /** Log group, with `{ClusterName}` as the exporter fills it in. */
    readonly logGroupName: string;
    /** Metric namespace. */
    readonly namespace: string;
  };
  /** The Amazon Managed Service for Prometheus destination, when on. */
  readonly managedPrometheus?: RemoteWriteTarget;
}

/** A workspace's remote write endpoint, taken apart. */
export interface RemoteWriteTarget {
  /** The remote write URL, as given. */
  readonly remoteWriteUrl: string;
  /** The workspace's region. */
  readonly region: string;
  /** The workspace id, `ws-` and a UUID. */
  readonly workspaceId: string;
}

/** Prometheus metric names (the text exposition format's). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus label names; CloudWatch takes them as dimension names. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** How a remote write URL looks, for error messages. */
const REMOTE_WRITE_URL_FORM =
  'an Amazon Managed Service for Prometheus remote write URL "https://aps-workspaces.<region>.amazonaws.com/workspaces/ws-<uuid>/api/v1/remote_write"';

/**
 * An Amazon Managed Service for Prometheus remote write URL: its region and
 * workspace id. Workspace ids are `ws-` and a lowercase UUID, as the service
 * generates them; `.amazonaws.com.cn` in the China regions.
 */
const REMOTE_WRITE_URL =
  /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/workspaces\/(ws-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/api\/v1\/remote_write$/;

/** Checks a remote write URL and takes out its region and workspace id. */
export function parseRemoteWriteUrl(input: string, url: string): RemoteWriteTarget {
  const match = typeof url === 'string' ? REMOTE_WRITE_URL.exec(url) : null;
  const [, region = '', workspaceId = ''] = match ?? [];
  if (!match) invalidInput(input, url, REMOTE_WRITE_URL_FORM);
  validateRegion(input, region);
  return { remoteWriteUrl: url, region, workspaceId };
}

// CloudWatch Logs: 1-512 of letters, digits and _ - / . #; `{ClusterName}` is filled in by the exporter.
const LOG_GROUP_NAME = /^[\w\-/.#]{1,512}$/;
// CloudWatch metric namespaces: 1-255 printable ASCII characters, not starting with "AWS/" (reserved) or ":".
const METRIC_NAMESPACE = /^(?!AWS\/)(?!:)[\x20-\x7e]{1,255}$/;

/** Checks the declarations of the CloudWatch destination. */
function validateApplicationDeclarations(
  input: string,
  declarations: readonly ApplicationMetricDeclaration[],
): readonly ApplicationMetricDeclaration[] {
  if (!Array.isArray(declarations) || declarations.length === 0) {
    invalidInput(
      input,
      declarations,
      'at least one declaration { metrics: [...], dimensionSets: [[...]] }: only declared metrics become CloudWatch metrics',
    );
  }
  const seen = new Set<string>();
  declarations.forEach((declaration, i) => {
    const at = `${input}[${i}]`;
    if (typeof declaration !== 'object' || declaration === null) {
      invalidInput(at, declaration, 'a declaration { metrics: [...], dimensionSets: [[...]] }');
    }
    refuseUnknownFields(at, declaration, ['metrics', 'dimensionSets', 'units']);
    const { metrics, dimensionSets } = declaration;
    if (!Array.isArray(metrics) || metrics.length === 0) {
      invalidInput(`${at}.metrics`, metrics, 'at least one metric name');
    }
    for (const name of metrics) {
      if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
        invalidInput(`${at}.metrics entry`, name, 'a Prometheus metric name such as "http_requests_total"');
      }
      if (seen.has(name)) {
        invalidInput(`${at}.metrics entry`, name, 'each metric declared once (merge the dimension sets instead)');
      }
      seen.add(name);
    }
    if (!Array.isArray(dimensionSets) || dimensionSets.length === 0) {
      invalidInput(
        `${at}.dimensionSets`,
        dimensionSets,
        'at least one set of dimensions, e.g. [["ClusterName", "namespace"]]',
      );
    }
    for (const set of dimensionSets) {
      const labels = Array.isArray(set) ? (set as readonly unknown[]) : [];
      const bad =
        !Array.isArray(set) ||
        labels.length === 0 ||
        labels.length > MAX_DIMENSIONS ||
        labels.some((d) => typeof d !== 'string' || !LABEL_NAME.test(d)) ||
        duplicatesOf(labels as string[]).length > 0;
      if (bad) {
        invalidInput(
          `${at}.dimensionSets entry`,
          set,
          `1 to ${MAX_DIMENSIONS} distinct label names (letters, digits and _, not starting with a digit), such as ["ClusterName", "namespace", "app"]`,
        );
      }
    }
    validateUnits(`${at}.units`, declaration.units, metrics);
  });
  return declarations;
}

/** Checks a declaration's units: each of one of its metrics, each a unit awsemf accepts. */
function validateUnits(input: string, units: unknown, metrics: readonly string[]): void {
  if (units === undefined) return;
  if (typeof units !== 'object' || units === null || Array.isArray(units)) {
    invalidInput(input, units, 'an object of CloudWatch units by metric name, e.g. { "queue_depth": "Count" }');
  }
  for (const [metric, unit] of Object.entries(units)) {
    if (!metrics.includes(metric)) {
      invalidInput(`${input} key`, metric, `one of the declaration's metrics (${metrics.join(', ')})`);
    }
    if (typeof unit !== 'string' || !EMF_UNITS.includes(unit)) {
      invalidInput(`${input}.${metric}`, unit, `a CloudWatch unit awsemf accepts: ${EMF_UNITS.join(', ')}`);
    }
  }
}

/**
 * The units Prometheus metric names carry as suffixes (the naming
 * conventions' base units), in the order they are tried: a unit before
 * `_total` is the counter's unit, and `_total` alone counts.
 */
const NAME_UNITS: ReadonlyArray<readonly [RegExp, string]> = [
  [/_seconds(?:_total)?$/, 'Seconds'],
  [/_milliseconds(?:_total)?$/, 'Milliseconds'],
  [/_microseconds(?:_total)?$/, 'Microseconds'],
  [/_bytes(?:_total)?$/, 'Bytes'],
  [/_bits(?:_total)?$/, 'Bits'],
  [/_percent$/, 'Percent'],
  [/_total$/, 'Count'],
];

/** The CloudWatch unit a Prometheus metric's name says; none when its name has no unit suffix. */
export function unitFromName(metric: string): string | undefined {
  return NAME_UNITS.find(([suffix]) => suffix.test(metric))?.[1];
}

/**
 * The awsemf `metric_descriptors` of the application metrics: the
 * Prometheus text format carries no unit and the prometheus receiver infers
 * none, so without them CloudWatch gets every metric unitless. A unit the
 * declarations give replaces the metric's own (`overwrite`); one read from
 * the name fills in only a missing one.
 */
export function applicationMetricDescriptors(
  declarations: readonly ApplicationMetricDeclaration[],
): MetricDescriptorConfig[] {
  return declarations.flatMap((declaration) =>
    declaration.metrics.flatMap((metric) => {
      const given = declaration.units?.[metric];
      const unit = given ?? unitFromName(metric);
      return unit === undefined ? [] : [{ metric_name: metric, unit, overwrite: given !== undefined }];
    }),
  );
}

/**
 * Validates the application metrics options and fills in their defaults.
 *
 * @param input name of the prop or field, for messages (`applicationMetrics`, `clusters[0].applicationMetrics`)
 * @throws ValidationError naming the first bad field
 */
export function resolveApplicationMetrics(input: string, value: ApplicationMetrics): ApplicationMetricsConfigOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidInput(input, value, 'an object with cloudWatch and/or managedPrometheus');
  }
  refuseUnknownFields(input, value, ['namespaces', ...APPLICATION_METRICS_DESTINATIONS]);
  const { cloudWatch, managedPrometheus } = value;
  if (cloudWatch === undefined && managedPrometheus === undefined) {
    invalidInput(input, value, `at least one destination: ${APPLICATION_METRICS_DESTINATIONS.join(', ')}`);
  }

  const namespaces = value.namespaces ?? [];
  if (!Array.isArray(namespaces) || (value.namespaces !== undefined && namespaces.length === 0)) {
    invalidInput(
      `${input}.namespaces`,
      value.namespaces,
      'a list of at least one namespace, or no field for every namespace',
    );
  }
  for (const name of namespaces) validateDnsLabel(`${input}.namespaces entry`, name);
  const repeated = duplicatesOf(namespaces);
  if (repeated.length > 0) invalidInput(`${input}.namespaces entry`, repeated[0], 'each namespace listed once');

  let resolvedCloudWatch: ApplicationMetricsConfigOptions['cloudWatch'];
  if (cloudWatch !== undefined) {
    const at = `${input}.cloudWatch`;
    if (typeof cloudWatch !== 'object' || cloudWatch === null)
      invalidInput(at, cloudWatch, 'an object with declarations');
    refuseUnknownFields(at, cloudWatch, ['declarations', 'logGroupName', 'namespace']);
    const declarations = validateApplicationDeclarations(`${at}.declarations`, cloudWatch.declarations);
    const logGroupName = cloudWatch.logGroupName ?? DEFAULT_APPLICATION_LOG_GROUP;
    if (typeof logGroupName !== 'string' || !LOG_GROUP_NAME.test(logGroupName.replaceAll('{ClusterName}', 'c'))) {
      invalidInput(
        `${at}.logGroupName`,
        logGroupName,
        'a CloudWatch Logs group name: 1 to 512 letters, digits or _ - / . #, with {ClusterName} for the cluster name',
      );
    }
    const namespace = cloudWatch.namespace ?? DEFAULT_APPLICATION_METRIC_NAMESPACE;
    if (typeof namespace !== 'string' || !METRIC_NAMESPACE.test(namespace)) {
      invalidInput(
        `${at}.namespace`,
        namespace,
        'a CloudWatch metric namespace: 1 to 255 printable ASCII characters, not starting with "AWS/" or ":"',
      );
    }
    resolvedCloudWatch = { declarations, logGroupName, namespace };
  }

  let remoteWrite: RemoteWriteTarget | undefined;
  if (managedPrometheus !== undefined) {
    const at = `${input}.managedPrometheus`;
    if (typeof managedPrometheus !== 'object' || managedPrometheus === null) {
      invalidInput(at, managedPrometheus, 'an object with remoteWriteUrl');
    }
    refuseUnknownFields(at, managedPrometheus, ['remoteWriteUrl', 'region']);
    remoteWrite = parseRemoteWriteUrl(`${at}.remoteWriteUrl`, managedPrometheus.remoteWriteUrl);
    if (managedPrometheus.region !== undefined) {
      validateRegion(`${at}.region`, managedPrometheus.region);
      if (managedPrometheus.region !== remoteWrite.region) {
        invalidInput(
          `${at}.region`,
          managedPrometheus.region,
          `the region of remoteWriteUrl ("${remoteWrite.region}"), where the workspace is and the requests are signed for`,
        );
      }
    }
  }

  return {
    namespaces: [...namespaces],
    ...(resolvedCloudWatch === undefined ? {} : { cloudWatch: resolvedCloudWatch }),
    ...(remoteWrite === undefined ? {} : { managedPrometheus: remoteWrite }),
  };
}
