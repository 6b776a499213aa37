import {
  APPLICATION_CLUSTER_LABEL,
  APPLICATION_LABELS,
  type ApplicationMetricsConfigOptions,
  applicationMetricDescriptors,
  withClusterName,
} from '../application-metrics';
import { EnvReference } from '../components/env-reference';
import { memoryLimiterFor } from '../components/memory-limiter-processor';
import type { ApplicationPrometheusReceiverConfig, RelabelConfig } from '../components/prometheus-receiver';
import type { ServiceConfig } from '../components/service';
import type { CollectorConfig, ProcessorConfig } from '../config-model';
import { applicationMetricsBasis, estimateApplicationMetrics } from '../cost-estimate';
import { escapeRegExp, shardRules } from './cadvisor-scrape';
import { logGroupSettings, metricDeclarations } from './emf-pipeline';
import {
  type ClusterLoad,
  type CollectorConfigOptions,
  type CostLine,
  type Pipeline,
  type PipelineRbac,
  type PipelineSection,
  type RbacRule,
  scrapeTiming,
} from './pipeline';

/** With application metrics in listed namespaces: the name of the Role, and of its RoleBinding, in each. */
export const APPLICATION_ROLE_NAME = 'adotcol-application-metrics';

/** Environment variable that holds the cluster's name, for the `cluster` label of remote-written series. */
const CLUSTER_NAME_ENV = 'CLUSTER_NAME';

/** Label Prometheus sets on each discovered pod from one of its `prometheus.io/*` annotations. */
const podAnnotation = (name: 'scrape' | 'scheme' | 'path' | 'port'): string =>
  `__meta_kubernetes_pod_annotation_prometheus_io_${name}`;
/**
 * The relabel rules of the application scrape: keep the running pods
 * annotated `prometheus.io/scrape: "true"` (of this replica's shard), honour
 * `prometheus.io/scheme`, `prometheus.io/path` and `prometheus.io/port`, and
 * label each series with the pod's namespace, name and application.
 */
export function podRelabelRules(shards: number): RelabelConfig[] {
  return [
    // Only the pods that ask to be scraped...
    { source_labels: [podAnnotation('scrape')], regex: 'true', action: 'keep' },
    // ...and are running: a pending or finished pod serves nothing.
    { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Unknown', action: 'drop' },
    // With several replicas, only this replica's share of the pods.
    ...shardRules(shards, ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_name']),
    { source_labels: [podAnnotation('scheme')], regex: '(https?)', target_label: '__scheme__' },
    { source_labels: [podAnnotation('path')], regex: '(.+)', target_label: '__metrics_path__' },
    // prometheus.io/port: the pod's IP at that port; an IPv6 address in brackets.
    {
      source_labels: ['__meta_kubernetes_pod_ip', podAnnotation('port')],
      regex: '([^:;]+);(\\d+)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Prometheus capture group references, not a template.
      replacement: '${1}:${2}',
      target_label: '__address__',
    },
    {
      source_labels: ['__meta_kubernetes_pod_ip', podAnnotation('port')],
      regex: '([^;]*:[^;]*);(\\d+)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Prometheus capture group references, not a template.
      replacement: '[${1}]:${2}',
      target_label: '__address__',
    },
    // The dimensions users filter on.
    { source_labels: ['__meta_kubernetes_namespace'], target_label: APPLICATION_LABELS.namespace },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: APPLICATION_LABELS.pod },
    // The pod's app label, or its app.kubernetes.io/name label when it has one.
    { source_labels: ['__meta_kubernetes_pod_label_app'], regex: '(.+)', target_label: APPLICATION_LABELS.app },
    {
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
      regex: '(.+)',
      target_label: APPLICATION_LABELS.app,
    },
  ];
}

/** Every metric name the CloudWatch destination declares, each once, in declaration order. */
function declaredApplicationMetrics(app: ApplicationMetricsConfigOptions): string[] {
  return [...new Set((app.cloudWatch?.declarations ?? []).flatMap((d) => d.metrics))];
}

/**
 * A `metric_relabel_configs` rule that keeps, at scrape time, the series of
 * the declared metrics: a histogram or summary family by its `_bucket`,
 * `_sum` and `_count` series too.
 */
export function declaredSeriesRule(metrics: readonly string[]): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: `(?:${metrics.map(escapeRegExp).join('|')})(?:_bucket|_sum|_count)?`,
    action: 'keep',
  };
}

function applicationReceiver(
  options: CollectorConfigOptions,
  app: ApplicationMetricsConfigOptions,
): ApplicationPrometheusReceiverConfig {
  // With CloudWatch the only destination, what it does not declare is dropped
  // before it is parsed into the pipeline; remote write takes everything.
  const keepDeclared = app.cloudWatch !== undefined && app.managedPrometheus === undefined;
  return {
    config: {
      global: scrapeTiming(options),
      scrape_configs: [
        {
          job_name: 'annotated-pods',
          sample_limit: 10000,
          kubernetes_sd_configs: [
            { role: 'pod', ...(app.namespaces.length === 0 ? {} : { namespaces: { names: [...app.namespaces] } }) },
          ],
          relabel_configs: podRelabelRules(options.shards),
          ...(keepDeclared ? { metric_relabel_configs: [declaredSeriesRule(declaredApplicationMetrics(app))] } : {}),
        },
      ],
    },
  };
}

/** The receivers, processors, exporters, extensions and pipelines the application metrics add. */
export interface ApplicationSection extends PipelineSection {
  readonly receivers: Pick<CollectorConfig['receivers'], 'prometheus/application'>;
  readonly processors: ReadonlyArray<readonly [string, ProcessorConfig]>;
  readonly exporters: Pick<CollectorConfig['exporters'], 'awsemf/application' | 'prometheusremotewrite/application'>;
  readonly extensions: Pick<CollectorConfig['extensions'], 'sigv4auth/application'>;
  readonly pipelines: Pick<
    ServiceConfig['pipelines'],
    'metrics/application_cloudwatch' | 'metrics/application_prometheus'
  >;
}

function applicationSection(options: CollectorConfigOptions, app: ApplicationMetricsConfigOptions): ApplicationSection {
  const receiver = 'prometheus/application';
  const batch = 'batch/application';
  const filter = 'filter/application_cloudwatch';
  const { cloudWatch, managedPrometheus } = app;
  const processors: Array<readonly [string, ProcessorConfig]> = [
    // Shared with the Container Insights pipelines, defined here too for when they are not there.
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    ...(cloudWatch ? [['resourcedetection', { detectors: ['env'] }] as const] : []),
    [batch, { timeout: '60s' }],
    ...(cloudWatch
      ? [
          [
            filter,
            { metrics: { include: { match_type: 'strict', metric_names: declaredApplicationMetrics(app) } } },
          ] as const,
        ]
      : []),
  ];
  return {
    receivers: { [receiver]: applicationReceiver(options, app) },
    processors,
    exporters: {
      ...(cloudWatch
        ? {
            'awsemf/application': {
              log_group_name: cloudWatch.logGroupName,
              // Every series carries the pod it came from.
              log_stream_name: `{${APPLICATION_LABELS.pod}}`,
              namespace: cloudWatch.namespace,
              region: options.region,
              ...logGroupSettings(options),
              resource_to_telemetry_conversion: { enabled: true },
              dimension_rollup_option: 'NoDimensionRollup',
              metric_declarations: metricDeclarations(cloudWatch.declarations),
              metric_descriptors: applicationMetricDescriptors(cloudWatch.declarations),
            },
          }
        : {}),
      ...(managedPrometheus
        ? {
            'prometheusremotewrite/application': {
              endpoint: managedPrometheus.remoteWriteUrl,
              auth: { authenticator: 'sigv4auth/application' },
              external_labels: { [APPLICATION_CLUSTER_LABEL]: new EnvReference(CLUSTER_NAME_ENV) },
            },
          }
        : {}),
    },
    extensions: managedPrometheus
      ? { 'sigv4auth/application': { region: managedPrometheus.region, service: 'aps' } }
      : {},
    pipelines: {
      ...(cloudWatch
        ? {
            'metrics/application_cloudwatch': {
              receivers: [receiver],
              // ClusterName for the log group and the dimensions, as in the first pipeline.
              processors: ['memory_limiter', filter, 'resourcedetection', batch],
              exporters: ['awsemf/application'],
            },
          }
        : {}),
      ...(managedPrometheus
        ? {
            'metrics/application_prometheus': {
              receivers: [receiver],
              processors: ['memory_limiter', batch],
              exporters: ['prometheusremotewrite/application'],
            },
          }
        : {}),
    },
  };
}

/**
 * The rights the application scrape needs: the prometheus receiver's pod
 * discovery lists and watches pods (and gets them). Cluster-wide when every
 * namespace is scraped; otherwise in each listed namespace.
 */
function applicationRbac(app: ApplicationMetricsConfigOptions | undefined): PipelineRbac {
  const rules: RbacRule[] = [{ apiGroup: '', resource: 'pods', verbs: ['get', 'list', 'watch'] }];
  if (app === undefined) return { clusterRules: [], namespaced: [] };
  return app.namespaces.length === 0
    ? { clusterRules: rules, namespaced: [] }
    : { clusterRules: [], namespaced: [{ roleName: APPLICATION_ROLE_NAME, namespaces: app.namespaces, rules }] };
}

/**
 * What the application metrics cost a month: the CloudWatch destination's
 * custom metrics for the pods the scrape finds (when the load says which);
 * the Amazon Managed Service for Prometheus workspace is not priced here.
 */
function applicationCost(options: CollectorConfigOptions, load: ClusterLoad): CostLine[] {
  const app = options.applicationMetrics;
  const lines: CostLine[] = [];
  const cloudWatch = app?.cloudWatch;
  if (cloudWatch !== undefined) {
    const item = 'application metrics to CloudWatch';
    const scraped = load.scrapedPods;
    if (scraped === undefined) {
      lines.push({
        item,
        monthlyUsd: 0,
        notPriced: 'they depend on the pods annotated prometheus.io/scrape, which the estimate does not know',
        basis: `${cloudWatch.declarations.length} declaration(s) of your own metrics`,
      });
    } else {
      const input = { declarations: cloudWatch.declarations, ...scraped };
      const estimate = estimateApplicationMetrics(input);
      lines.push({
        item,
        monthlyUsd: estimate.monthlyUsd,
        basis: `${scraped.description}: ${applicationMetricsBasis(input, estimate)}`,
        usage: { amount: estimate.customMetrics, unit: 'custom metrics' },
      });
    }
  }
  if (app?.managedPrometheus !== undefined) {
    lines.push({
      item: 'application metrics to Amazon Managed Service for Prometheus',
      monthlyUsd: 0,
      notPriced: 'the workspace bills the samples it ingests and stores',
      basis: `every series of the scraped pods, remote-written to ${app.managedPrometheus.workspaceId}`,
    });
  }
  return lines;
}

/** The application metrics, with `applicationMetrics`. */
export const APPLICATION_PIPELINE: Pipeline = {
  name: 'application metrics',
  setting: 'applicationMetrics',
  enabled: (options) => options.applicationMetrics !== undefined,
  section: (options) => applicationSection(options, options.applicationMetrics ?? { namespaces: [] }),
  // The `cluster` label of the series remote-written to Amazon Managed Service for Prometheus.
  environment: (options): Readonly<Record<string, string>> =>
    options.applicationMetrics?.managedPrometheus ? { [CLUSTER_NAME_ENV]: options.clusterName } : {},
  rbac: (options) => applicationRbac(options.applicationMetrics),
  cost: applicationCost,
  access: (options, { partition, account }) => {
    const cloudWatch = options.applicationMetrics?.cloudWatch;
    // Remote write to the one workspace; the workspace is in the role's account.
    const workspace = options.applicationMetrics?.managedPrometheus;
    return {
      emfLogGroups: cloudWatch === undefined ? [] : [withClusterName(cloudWatch.logGroupName, options.clusterName)],
      policies:
        workspace === undefined
          ? []
          : [
              {
                name: 'application-metrics-remote-write',
                statements: [
                  {
                    Sid: 'RemoteWriteApplicationMetrics',
                    Effect: 'Allow',
                    Action: ['aps:RemoteWrite'],
                    Resource: [
                      `arn:${partition}:aps:${workspace.region}:${account}:workspace/${workspace.workspaceId}`,
                    ],
                  },
                ],
              },
            ],
    };
  },
};
