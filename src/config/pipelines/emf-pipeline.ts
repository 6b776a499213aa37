import {
  type MetricDeclarationSpec,
  type MetricDefinition,
  type MetricScope,
  operandsOf,
  podLabelRenames,
} from '../catalog/metric-types';
import {
  type AwsEmfCommonConfig,
  type AwsEmfExporterConfig,
  EMF_UNITS,
  type MetricDeclaration,
  type MetricDescriptorConfig,
} from '../components/awsemf-exporter';
import { memoryLimiterFor } from '../components/memory-limiter-processor';
import type { MetricsGenerationRule } from '../components/metricsgeneration-processor';
import type { MetricsTransform, MetricsTransformProcessorConfig } from '../components/metricstransform-processor';
import type { PrometheusReceiverConfig } from '../components/prometheus-receiver';
import type { ServiceConfig } from '../components/service';
import type { CollectorConfig, ProcessorConfig } from '../config-model';
import {
  customMetricsBasis,
  estimateCustomMetrics,
  estimatePerformanceLogs,
  performanceLogsBasis,
} from '../cost-estimate';
import { findMetric, METRIC_CATALOG } from '../metric-catalog';
import { DEFAULT_METRICS_DESTINATION, sendsEmf } from '../metrics-destination';
import type { PodNaming } from '../pod-naming';
import {
  CADVISOR_SCRAPE_RBAC,
  cadvisorReceiver,
  consumedFamiliesRule,
  escapeRegExp,
  exactNameSelector,
  FARGATE_NODES_RULE,
  FARGATE_POD_SCRAPE_RBAC,
  fargatePodTargetRules,
  NO_WORKLOAD_WITHOUT_POD,
  shardRules,
} from './cadvisor-scrape';
import type { ClusterLoad, CollectorConfigOptions, CostLine, Pipeline, PipelineSection } from './pipeline';

/**
 * The awsemf `metric_descriptors` that give each declared metric its
 * catalog unit in the EMF it writes, overriding whatever the pipeline left
 * (cAdvisor's text format carries no units). Metrics whose unit CloudWatch
 * does not define (`Millicore`) or that have none (`None`) get no descriptor:
 * the millicore metrics keep the unit their metricsgeneration rule sets.
 */
export function metricDescriptors(declarations: readonly MetricDeclarationSpec[]): MetricDescriptorConfig[] {
  const declared = new Set(declarations.flatMap((d) => d.metrics));
  return METRIC_CATALOG.filter((m) => declared.has(m.name) && m.unit !== 'None' && EMF_UNITS.includes(m.unit)).map(
    (m) => ({ metric_name: m.name, unit: m.unit, overwrite: true }),
  );
}

/**
 * The name a metric has inside the pipeline. Container metrics are produced as
 * `new_container_*` so that the filter can tell them from the raw cAdvisor
 * `container_*` families; the last step renames them back.
 */
export function pipelineName(metric: MetricDefinition): string {
  return metric.scope === 'container' ? `new_${metric.name}` : metric.name;
}

/** Prefix of the container metrics inside the pipeline. */
const CONTAINER_PIPELINE_PREFIX = 'new_container_';

/** Prefix of each scope's metrics inside the pipeline, and the value of their `Type` dimension. */
const SCOPE_PIPELINE: Readonly<Record<MetricScope, { readonly prefix: string; readonly type: string }>> = {
  container: { prefix: CONTAINER_PIPELINE_PREFIX, type: 'Container' },
  pod: { prefix: 'pod_', type: 'Pod' },
  node: { prefix: 'node_', type: 'Node' },
};

/** How many metricsgeneration steps a metric is away from cAdvisor (0 for cAdvisor metrics). */
function generationDepth(metric: MetricDefinition): number {
  const { source } = metric;
  if (source.kind === 'cadvisor') return 0;
  return 1 + Math.max(...operandsOf(source).map((name) => generationDepth(catalogEntry(name))));
}

function catalogEntry(name: string): MetricDefinition {
  const entry = findMetric(name);
  if (!entry) throw new Error(`metric catalog: "${name}" is used as an operand but is not in the catalog`);
  return entry;
}

function prometheusReceiver(options: CollectorConfigOptions): PrometheusReceiverConfig {
  const job = 'kubelets-cadvisor-metrics';
  // Parse and transform only the cAdvisor families the catalog uses.
  const families = consumedFamiliesRule();
  if (options.podNaming.byWorkload) {
    // Each Fargate pod's node, labelled with the pod's workload; the pod
    // sums merge only data points of one timestamp.
    return cadvisorReceiver(
      options,
      job,
      fargatePodTargetRules(options.shards),
      [families, NO_WORKLOAD_WITHOUT_POD],
      'scrape',
      'fargate pod',
    );
  }
  return cadvisorReceiver(
    options,
    job,
    [
      // In clusters with EC2 node groups too, only Fargate nodes: the
      // pipeline keeps only series labelled LaunchType fargate anyway.
      ...(options.fargateNodesOnly ? [FARGATE_NODES_RULE] : []),
      // With several replicas, only this replica's share of the nodes.
      ...shardRules(options.shards),
      // Node labels onto every series: kubernetes_io_hostname, eks_amazonaws_com_compute_type, ...
      { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
    ],
    [families],
    'scrape',
  );
}

/** A transform that renames labels on every metric. */
export function renameLabels(renames: Readonly<Record<string, string>>): MetricsTransform {
  return {
    include: '.*',
    match_type: 'regexp',
    action: 'update',
    operations: Object.entries(renames).map(([label, newLabel]) => ({
      action: 'update_label',
      label,
      new_label: newLabel,
    })),
  };
}

/** A transform that adds a label with a fixed value to the metrics matching `include`. */
function addLabel(include: string, label: string, value: string): MetricsTransform {
  return {
    include,
    match_type: 'regexp',
    action: 'update',
    operations: [{ action: 'add_label', new_label: label, new_value: value }],
  };
}

/** Renames labels used by every later step (cAdvisor/Prometheus names to Container Insights names). */
function labelRenames(): MetricsTransformProcessorConfig {
  return {
    transforms: [
      renameLabels({
        name: 'container_id',
        kubernetes_io_hostname: 'NodeName',
        eks_amazonaws_com_compute_type: 'LaunchType',
      }),
    ],
  };
}

/** Copies each cAdvisor series the catalog uses into its Container Insights metric. */
function metricRenames(cadvisor: readonly MetricDefinition[]): MetricsTransformProcessorConfig {
  return {
    transforms: cadvisor.map((metric) => {
      if (metric.source.kind !== 'cadvisor') throw new Error(`not a cAdvisor metric: ${metric.name}`);
      const { family, series, labels } = metric.source;
      return {
        // Anchored: an unanchored family name would also match the copies
        // earlier transforms of this processor made (`new_container_*`
        // contains `container_*`), and the pod sums read the same container series.
        include: `^${escapeRegExp(family)}$`,
        new_name: pipelineName(metric),
        action: 'insert',
        match_type: 'regexp',
        experimental_match_labels: { ...series.labels, ...labels },
      };
    }),
  };
}

function generationRule(metric: MetricDefinition): MetricsGenerationRule {
  const { source } = metric;
  switch (source.kind) {
    case 'calculate':
      return {
        name: metric.name,
        unit: metric.unit,
        type: 'calculate',
        metric1: source.metric1,
        metric2: source.metric2,
        operation: source.operation,
      };
    case 'scale':
      return {
        name: metric.name,
        unit: metric.unit,
        type: 'scale',
        metric1: source.metric1,
        operation: source.operation,
        scale_by: source.scaleBy,
      };
    case 'cadvisor':
    case 'greatest':
      throw new Error(`not a metricsgeneration metric: ${metric.name}`);
  }
}

/**
 * The transforms that make a `greatest` metric: a copy of each operand under
 * the new name, then `combine` with `max`, which merges the copies' data
 * points that share their labels into the greater one. When one operand is
 * absent the other passes through alone.
 */
function greatestTransforms(metric: MetricDefinition): MetricsTransform[] {
  const { source } = metric;
  if (source.kind !== 'greatest') throw new Error(`not a greatest metric: ${metric.name}`);
  return [
    ...[source.metric1, source.metric2].map(
      (operand): MetricsTransform => ({
        include: operand,
        match_type: 'strict',
        action: 'insert',
        new_name: metric.name,
      }),
    ),
    { include: metric.name, match_type: 'strict', action: 'combine', new_name: metric.name, aggregation_type: 'max' },
  ];
}

/**
 * Sums each `sumBy` metric's data points per distinct value of its labels
 * (after the rates): one transform per label set, matching its metrics by
 * their exact names. `aggregate_labels` works on each matched metric alone.
 */
function sums(cadvisor: readonly MetricDefinition[]): MetricsTransformProcessorConfig {
  const byLabels = new Map<string, { labels: readonly string[]; names: string[] }>();
  for (const metric of cadvisor) {
    if (metric.source.kind !== 'cadvisor' || !metric.source.sumBy) continue;
    const key = metric.source.sumBy.join(',');
    const group = byLabels.get(key) ?? { labels: metric.source.sumBy, names: [] };
    group.names.push(pipelineName(metric));
    byLabels.set(key, group);
  }
  return {
    transforms: [...byLabels.values()].map(({ labels, names }) => ({
      include: `^(?:${names.map(escapeRegExp).join('|')})$`,
      match_type: 'regexp',
      action: 'update',
      operations: [{ action: 'aggregate_labels', label_set: labels, aggregation_type: 'sum' }],
    })),
  };
}

/** OTTL conditions that drop the data points of metrics with a `dropAtOrBelow` threshold. */
function dropConditions(cadvisor: readonly MetricDefinition[]): string[] {
  return cadvisor.flatMap((metric) =>
    metric.source.kind === 'cadvisor' && metric.source.dropAtOrBelow !== undefined
      ? [`metric.name == "${pipelineName(metric)}" and value_double <= ${metric.source.dropAtOrBelow}`]
      : [],
  );
}

/** Adds the `Type` dimension, renames the label names Container Insights uses, and restores container metric names. */
function finalRenames(podNaming: PodNaming): MetricsTransformProcessorConfig {
  return {
    transforms: [
      ...(['pod', 'container', 'node'] as const).map((scope) =>
        addLabel(`${SCOPE_PIPELINE[scope].prefix}.*`, 'Type', SCOPE_PIPELINE[scope].type),
      ),
      renameLabels(podLabelRenames(podNaming)),
      {
        include: `^${CONTAINER_PIPELINE_PREFIX}(.*)$`,
        match_type: 'regexp',
        action: 'update',
        new_name: 'container_$1',
      },
    ],
  };
}

/**
 * The retention and tags an awsemf exporter sets when it creates its log
 * group (PutRetentionPolicy, and CreateLogGroup with tags); an existing group
 * keeps its own.
 */
export function logGroupSettings(options: CollectorConfigOptions): Pick<AwsEmfCommonConfig, 'log_retention' | 'tags'> {
  return {
    ...(options.logRetentionDays === 0 ? {} : { log_retention: options.logRetentionDays }),
    ...(Object.keys(options.logGroupTags).length === 0 ? {} : { tags: { ...options.logGroupTags } }),
  };
}

/** awsemf declarations: each metric selected by its exact name, with every dimension set. */
export function metricDeclarations(
  declarations: ReadonlyArray<{
    readonly metrics: readonly string[];
    readonly dimensionSets: ReadonlyArray<readonly string[]>;
  }>,
): MetricDeclaration[] {
  return declarations.map((declaration) => ({
    dimensions: declaration.dimensionSets.map((set) => [...set]),
    metric_name_selectors: declaration.metrics.map(exactNameSelector),
  }));
}

/** The classic path's exporter: Embedded Metric Format to the performance log group. */
function awsEmfExporter(options: CollectorConfigOptions): AwsEmfExporterConfig {
  return {
    // awsemf fills {ClusterName} and {NodeName} in from the resource
    // attributes, or else from each data point's labels. Every series
    // carries NodeName (the node's kubernetes.io/hostname label, renamed
    // by metricstransform/label_1), pod and node metrics alike, and on
    // Fargate a node runs one pod: one stream per pod's node, never one
    // named "undefined" (which {PodName} gave the node metrics).
    log_group_name: '/aws/containerinsights/{ClusterName}/performance',
    log_stream_name: '{NodeName}',
    namespace: 'ContainerInsights',
    region: options.region,
    ...logGroupSettings(options),
    resource_to_telemetry_conversion: { enabled: true },
    eks_fargate_container_insights_enabled: true,
    parse_json_encoded_attr_values: ['kubernetes'],
    dimension_rollup_option: 'NoDimensionRollup',
    metric_declarations: metricDeclarations(options.declarations),
    metric_descriptors: metricDescriptors(options.declarations),
  };
}

/** The receivers, processors, exporter and pipeline of the classic Embedded Metric Format path. */
export interface EmfSection extends PipelineSection {
  readonly receivers: Pick<CollectorConfig['receivers'], 'prometheus'>;
  readonly exporters: Pick<CollectorConfig['exporters'], 'awsemf'>;
  readonly pipelines: Pick<ServiceConfig['pipelines'], 'metrics'>;
}

/**
 * The classic path: scrape cAdvisor through the API server, reshape into
 * Container Insights metrics, export as Embedded Metric Format to the
 * performance log group.
 */
function emfSection(options: CollectorConfigOptions): EmfSection {
  const cadvisor = METRIC_CATALOG.filter((m) => m.source.kind === 'cadvisor');
  const rates = cadvisor.filter((m) => m.source.kind === 'cadvisor' && m.source.rate).map(pipelineName);
  const drops = dropConditions(cadvisor);

  // Each dependency level runs after the one before, so that a rule only reads
  // metrics an earlier processor has already produced: first its
  // metricsgeneration rules, then its `greatest` combinations.
  const derived = METRIC_CATALOG.filter((m) => m.source.kind !== 'cadvisor');
  const levels = Math.max(0, ...derived.map(generationDepth));
  const generation = Array.from({ length: levels }, (_, i) => {
    const atLevel = derived.filter((m) => generationDepth(m) === i + 1);
    const rules = atLevel.filter((m) => m.source.kind !== 'greatest').map(generationRule);
    const greatest = atLevel.filter((m) => m.source.kind === 'greatest').flatMap(greatestTransforms);
    return [
      ...(rules.length > 0 ? [[`${options.version._metricsGenerationProcessor}/${i + 1}`, { rules }] as const] : []),
      ...(greatest.length > 0 ? [[`metricstransform/greatest_${i + 1}`, { transforms: greatest }] as const] : []),
    ];
  }).flat();

  const processors: Array<readonly [string, ProcessorConfig]> = [
    // First, so that under memory pressure the collector refuses scrapes
    // instead of being killed by the kernel.
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    ['metricstransform/label_1', labelRenames()],
    // ClusterName comes from OTEL_RESOURCE_ATTRIBUTES. Only `env`: the `eks`
    // detector reads EC2 instance metadata, which Fargate pods cannot reach.
    ['resourcedetection', { detectors: ['env'] }],
    ['metricstransform/rename', metricRenames(cadvisor)],
    // Keep only the metrics renamed above; drop the raw cAdvisor families.
    [
      'filter',
      {
        metrics: {
          include: { match_type: 'regexp', metric_names: Object.values(SCOPE_PIPELINE).map((s) => `${s.prefix}.*`) },
        },
      },
    ],
    // Values cAdvisor reports for settings that are absent (2 CPU shares for no CPU request).
    ...(drops.length > 0 ? [['filter/unset', { error_mode: 'ignore', metrics: { datapoint: drops } }] as const] : []),
    ['cumulativetodelta', { include: { metrics: rates, match_type: 'strict' } }],
    ['deltatorate', { metrics: rates }],
    // Pod totals: containers (the pause container is not one) and interfaces summed per pod.
    ['metricstransform/sum', sums(cadvisor)],
    ...generation,
    ['metricstransform/label_2', finalRenames(options.podNaming)],
    ['batch', { timeout: '60s' }],
  ];
  return {
    receivers: { prometheus: prometheusReceiver(options) },
    processors,
    exporters: { awsemf: awsEmfExporter(options) },
    extensions: {},
    pipelines: {
      metrics: { receivers: ['prometheus'], processors: processors.map(([id]) => id), exporters: ['awsemf'] },
    },
  };
}

/** The performance log group of a cluster: where the classic path's Embedded Metric Format goes. */
export function performanceLogGroupName(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/performance`;
}

/**
 * What the classic path costs a month: the declared metrics' CloudWatch
 * custom metrics, and the performance log group's ingestion and storage.
 */
export function emfCost(options: CollectorConfigOptions, load: ClusterLoad): CostLine[] {
  const input = {
    declarations: options.declarations,
    namespaces: load.namespaces,
    pods: load.pods,
    workloads: load.workloads,
    podNamePer: options.podNaming.byWorkload ? ('workload' as const) : ('pod' as const),
  };
  const metrics = estimateCustomMetrics(input);
  const logs = estimatePerformanceLogs({
    pods: load.pods,
    scrapeIntervalSeconds: options.scrapeIntervalMs / 1000,
    retentionDays: options.logRetentionDays,
  });
  return [
    {
      item: 'Container Insights custom metrics',
      monthlyUsd: metrics.monthlyUsd,
      basis: customMetricsBasis(input, metrics),
      usage: { amount: metrics.customMetrics, unit: 'custom metrics' },
    },
    {
      item: 'performance logs',
      monthlyUsd: logs.ingestionUsd + logs.storageUsd,
      basis: performanceLogsBasis(logs, options.logRetentionDays),
      usage: { amount: logs.ingestedGb, unit: 'GB ingested' },
    },
  ];
}

/** The classic path, with destination `emf` (the default) or `both`. */
export const EMF_PIPELINE: Pipeline = {
  name: 'Embedded Metric Format (Container Insights)',
  setting: 'metricsDestination',
  enabled: (options) => sendsEmf(options.metricsDestination ?? DEFAULT_METRICS_DESTINATION),
  section: emfSection,
  access: (options) => ({ emfLogGroups: [performanceLogGroupName(options.clusterName)], policies: [] }),
  rbac: (options) => (options.podNaming.byWorkload ? FARGATE_POD_SCRAPE_RBAC : CADVISOR_SCRAPE_RBAC),
  environment: () => ({}),
  cost: emfCost,
};
