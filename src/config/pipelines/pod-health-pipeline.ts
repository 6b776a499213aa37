import { podHealthFamilies } from '../catalog/kube-state-metrics-resources';
import { WORKLOAD_LABEL } from '../catalog/metric-types';
import {
  POD_HEALTH_LEVELS,
  type PodHealthLevel,
  type PodHealthProfile,
  type PodHealthSeries,
  podHealthLabelRenames,
  podHealthLevel,
  podHealthLevels,
  podHealthSeries,
  SERVICE_FROM_ENDPOINTSLICE,
  SERVICE_LABEL,
  WORKLOAD_FROM_POD_NAME,
} from '../catalog/pod-health-metrics';
import type { AttributeAction, AttributesProcessorConfig } from '../components/attributes-processor';
import type { AwsEmfPodHealthExporterConfig, MetricDeclaration } from '../components/awsemf-exporter';
import { memoryLimiterFor } from '../components/memory-limiter-processor';
import type { MetricsTransform, MetricsTransformProcessorConfig } from '../components/metricstransform-processor';
import type { PodHealthPrometheusReceiverConfig, RelabelConfig } from '../components/prometheus-receiver';
import type { ServiceConfig } from '../components/service';
import type { CollectorConfig, ProcessorConfig } from '../config-model';
import { DEFAULT_METRICS_DESTINATION, sendsEmf, sendsOtlp } from '../metrics-destination';
import type { PodNaming } from '../pod-naming';
import { escapeRegExp, exactNameSelector, shardRules } from './cadvisor-scrape';
import { logGroupSettings, performanceLogGroupName, renameLabels } from './emf-pipeline';
import { otlpBatch, otlpDelivery, otlpResource, SCRAPE_RESOURCE_ATTRIBUTES } from './otlp-pipeline';
import {
  type CollectorConfigOptions,
  type Pipeline,
  type PipelineSection,
  type PodHealthConfigOptions,
  scrapeTiming,
} from './pipeline';
import { podHealthCost } from './pod-health-cost';

/**
 * Pod and workload health: one scrape of kube-state-metrics (by exactly one
 * collector replica), reshaped into the Container Insights counts of the
 * pod health catalog and sent as Embedded Metric Format to the performance
 * log group, and/or sent as it is, under kube-state-metrics' names with the
 * standard `k8s.*` attributes, over OTLP.
 *
 * Inside the pipeline each metric at each level is named
 * `ksm.<level>.<metric>` (`ksm.namespace.pod_status_pending`), so that the
 * copies of one family at several levels stay apart until the last step
 * renames them to their CloudWatch names.
 */

/** The prefix of the pipeline's own metrics. */
const POD_HEALTH_PREFIX = 'ksm.';

/** The name a metric at a level has inside the pipeline. */
function podHealthPipelineName(level: PodHealthLevel, metric: string): string {
  return `${POD_HEALTH_PREFIX}${level}.${metric}`;
}

/** Where kube-state-metrics serves its metrics, and its own. */
export const KSM_PORTS = { metrics: 8080, telemetry: 8081 } as const;

/** The log stream of the pod health events in the performance log group. */
const POD_HEALTH_LOG_STREAM = 'kube-state-metrics';

const series = (podHealth: PodHealthConfigOptions): readonly PodHealthSeries[] => podHealthSeries(podHealth.profile);
const nameOf = (s: PodHealthSeries): string => podHealthPipelineName(s.computation.level, s.metric.name);

/**
 * The scrape of kube-state-metrics: its Service's address, kept by one
 * replica only (the target's address hashed like a node's name), and only
 * the families the profile reads, without the pod `uid` label no step uses.
 */
export function podHealthReceiver(
  options: CollectorConfigOptions,
  podHealth: PodHealthConfigOptions,
): PodHealthPrometheusReceiverConfig {
  const families = podHealthFamilies(podHealth.profile);
  const keep: RelabelConfig = {
    source_labels: ['__name__'],
    regex: families.map(escapeRegExp).join('|'),
    action: 'keep',
  };
  // The Service of each EndpointSlice series, from the slice's name.
  const services: RelabelConfig[] = families
    .filter((family) => family.startsWith('kube_endpointslice_'))
    .map((family) => ({
      source_labels: ['__name__', 'endpointslice'],
      regex: `${escapeRegExp(family)};${SERVICE_FROM_ENDPOINTSLICE}`,
      target_label: SERVICE_LABEL,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Prometheus capture group reference, not a template.
      replacement: '${1}',
    }));
  // By workload: each pod series' workload, from the pod's name.
  const workloads: RelabelConfig[] = options.podNaming.byWorkload
    ? WORKLOAD_FROM_POD_NAME.map((regex) => ({ source_labels: ['pod'], regex, target_label: WORKLOAD_LABEL }))
    : [];
  return {
    config: {
      global: scrapeTiming(options),
      scrape_configs: [
        {
          job_name: 'kube-state-metrics',
          static_configs: [{ targets: [podHealth.target] }],
          ...(options.shards > 1 ? { relabel_configs: shardRules(options.shards, ['__address__']) } : {}),
          metric_relabel_configs: [keep, ...services, ...workloads, { action: 'labeldrop', regex: 'uid' }],
        },
      ],
    },
  };
}

/** Copies each family's matching series into each metric at each level, and labels every copy with its `Type`. */
function podHealthCopies(podHealth: PodHealthConfigOptions): MetricsTransformProcessorConfig {
  return {
    transforms: [
      ...series(podHealth).map(
        (s): MetricsTransform => ({
          include: `^${escapeRegExp(s.computation.source.family)}$`,
          match_type: 'regexp',
          action: 'insert',
          new_name: nameOf(s),
          ...(s.computation.source.labels === undefined
            ? {}
            : { experimental_match_labels: { ...s.computation.source.labels } }),
        }),
      ),
      ...podHealthLevels(podHealth.profile).map(
        (level): MetricsTransform => ({
          include: `^${escapeRegExp(podHealthPipelineName(level, ''))}`,
          match_type: 'regexp',
          action: 'update',
          operations: [{ action: 'add_label', new_label: 'Type', new_value: POD_HEALTH_LEVELS[level].type }],
        }),
      ),
    ],
  };
}

/** The names of the counters' copies: their increase since the previous scrape is what is summed. */
function podHealthCounters(podHealth: PodHealthConfigOptions): string[] {
  return [
    ...new Set(
      series(podHealth)
        .filter((s) => s.metric.counter === true)
        .map(nameOf),
    ),
  ];
}

/** Keeps one series per distinct value of a source's `distinctBy` labels (the greatest), before the sums. */
function podHealthDistinct(podHealth: PodHealthConfigOptions, podNaming: PodNaming): MetricsTransformProcessorConfig {
  const distinct = series(podHealth).filter((s) => s.computation.source.distinctBy !== undefined);
  return {
    transforms: distinct.map((s) => ({
      include: nameOf(s),
      match_type: 'strict',
      action: 'update',
      operations: [
        {
          action: 'aggregate_labels',
          label_set: [
            ...podHealthLevel(s.computation.level, podNaming).groupBy,
            ...(s.computation.source.distinctBy ?? []),
            'Type',
          ],
          aggregation_type: 'max',
        },
      ],
    })),
  };
}

/**
 * Sums each level's copies by the level's labels (and `Type`), then merges
 * a metric's copies from several families at one level (the unavailable
 * replicas of Deployments and of DaemonSets, in the cluster's count).
 */
function podHealthSums(podHealth: PodHealthConfigOptions, podNaming: PodNaming): MetricsTransformProcessorConfig {
  const names = series(podHealth).map(nameOf);
  const merged = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  return {
    transforms: [
      ...podHealthLevels(podHealth.profile).map(
        (level): MetricsTransform => ({
          include: `^${escapeRegExp(podHealthPipelineName(level, ''))}`,
          match_type: 'regexp',
          action: 'update',
          operations: [
            {
              action: 'aggregate_labels',
              label_set: [...podHealthLevel(level, podNaming).groupBy, 'Type'],
              aggregation_type: 'sum',
            },
          ],
        }),
      ),
      ...merged.map(
        (name): MetricsTransform => ({
          include: name,
          match_type: 'strict',
          action: 'combine',
          new_name: name,
          aggregation_type: 'sum',
        }),
      ),
    ],
  };
}

/** Renames the labels to their dimension names and each metric to its CloudWatch name. */
function podHealthNames(podNaming: PodNaming): MetricsTransformProcessorConfig {
  return {
    transforms: [
      renameLabels(podHealthLabelRenames(podNaming)),
      {
        include: `^${escapeRegExp(POD_HEALTH_PREFIX)}[a-z]+\\.(.*)$`,
        match_type: 'regexp',
        action: 'update',
        new_name: '$1',
      },
    ],
  };
}

/**
 * The declarations: one per level, its metrics in its dimension sets, for
 * the data points of its `Type` only (a pod's data point also carries
 * `Namespace` and `ClusterName`, and would otherwise be declared in the
 * namespace's and the cluster's sets too). Values computed for the log
 * events only are in none.
 */
function podHealthDeclarations(profile: PodHealthProfile, podNaming: PodNaming): MetricDeclaration[] {
  return podHealthLevels(profile).flatMap((level) => {
    const spec = podHealthLevel(level, podNaming);
    const metrics = [
      ...new Set(
        podHealthSeries(profile)
          .filter((s) => s.computation.level === level && s.computation.logsOnly !== true)
          .map((s) => exactNameSelector(s.metric.name)),
      ),
    ];
    if (metrics.length === 0) return [];
    return [
      {
        dimensions: spec.dimensions.map((set) => [...set]),
        label_matchers: [{ label_names: ['Type'], regex: `^${spec.type}$` }],
        metric_name_selectors: metrics,
      },
    ];
  });
}

/** The pod health exporter: the performance log group, a stream of its own, every metric a count. */
function podHealthExporter(options: CollectorConfigOptions, profile: PodHealthProfile): AwsEmfPodHealthExporterConfig {
  return {
    log_group_name: '/aws/containerinsights/{ClusterName}/performance',
    log_stream_name: POD_HEALTH_LOG_STREAM,
    namespace: 'ContainerInsights',
    region: options.region,
    ...logGroupSettings(options),
    resource_to_telemetry_conversion: { enabled: true },
    dimension_rollup_option: 'NoDimensionRollup',
    metric_declarations: podHealthDeclarations(profile, options.podNaming),
    metric_descriptors: [...new Set(podHealthSeries(profile).map((s) => s.metric.name))].map((metric) => ({
      metric_name: metric,
      unit: 'Count',
      overwrite: true,
    })),
  };
}

/** The standard attributes the OTLP path adds beside kube-state-metrics' own labels. */
function podHealthOtlpAttributes(): AttributesProcessorConfig {
  const from: ReadonlyArray<readonly [string, string]> = [
    ['k8s.namespace.name', 'namespace'],
    ['k8s.pod.name', 'pod'],
    ['k8s.container.name', 'container'],
    ['k8s.node.name', 'node'],
    ['k8s.deployment.name', 'deployment'],
    ['k8s.statefulset.name', 'statefulset'],
    ['k8s.daemonset.name', 'daemonset'],
    ['k8s.service.name', SERVICE_LABEL],
  ];
  return {
    actions: from.map(([key, attribute]): AttributeAction => ({ key, action: 'upsert', from_attribute: attribute })),
  };
}

/** The receivers, processors, exporters and pipelines pod health adds. */
export interface PodHealthSection extends PipelineSection {
  readonly receivers: Pick<CollectorConfig['receivers'], 'prometheus/pod_health'>;
  readonly exporters: Pick<CollectorConfig['exporters'], 'awsemf/pod_health' | 'otlphttp/cloudwatch'>;
  readonly extensions: Pick<CollectorConfig['extensions'], 'sigv4auth/monitoring'>;
  readonly pipelines: Pick<ServiceConfig['pipelines'], 'metrics/pod_health' | 'metrics/pod_health_otlp'>;
}

function podHealthSection(options: CollectorConfigOptions, podHealth: PodHealthConfigOptions): PodHealthSection {
  const destination = options.metricsDestination ?? DEFAULT_METRICS_DESTINATION;
  const emf = sendsEmf(destination);
  const otlp = sendsOtlp(destination);
  const receiver = 'prometheus/pod_health';
  const counters = podHealthCounters(podHealth);
  const distinct = podHealthDistinct(podHealth, options.podNaming);
  const emfProcessors: Array<readonly [string, ProcessorConfig]> = [
    // The scrape's own attributes (the Service's address, the job): bytes in every event, nothing to filter on.
    ['resource/pod_health', { attributes: SCRAPE_RESOURCE_ATTRIBUTES.map((key) => ({ key, action: 'delete' })) }],
    ['metricstransform/pod_health_copy', podHealthCopies(podHealth)],
    // Keep only the copies: the raw families go no further.
    [
      'filter/pod_health',
      { metrics: { include: { match_type: 'regexp', metric_names: [`^${escapeRegExp(POD_HEALTH_PREFIX)}.*`] } } },
    ],
    ...(counters.length > 0
      ? [['cumulativetodelta/pod_health', { include: { metrics: counters, match_type: 'strict' } }] as const]
      : []),
    ...(distinct.transforms.length > 0 ? [['metricstransform/pod_health_distinct', distinct] as const] : []),
    ['metricstransform/pod_health_sum', podHealthSums(podHealth, options.podNaming)],
    ['metricstransform/pod_health_names', podHealthNames(options.podNaming)],
    ['batch/pod_health', { timeout: '60s' }],
  ];
  const shared: Array<readonly [string, ProcessorConfig]> = [
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    // ClusterName, from OTEL_RESOURCE_ATTRIBUTES.
    ['resourcedetection', { detectors: ['env'] }],
  ];
  const otlpProcessors: Array<readonly [string, ProcessorConfig]> = [
    ['resource/otlp', otlpResource(options.region)],
    ['attributes/pod_health_otlp', podHealthOtlpAttributes()],
    otlpBatch(),
  ];
  const delivery = otlp ? otlpDelivery(options.region) : { exporters: {}, extensions: {} };
  const ids = (list: ReadonlyArray<readonly [string, ProcessorConfig]>) => list.map(([id]) => id);
  return {
    receivers: { [receiver]: podHealthReceiver(options, podHealth) },
    processors: [...shared, ...(emf ? emfProcessors : []), ...(otlp ? otlpProcessors : [])],
    exporters: {
      ...(emf ? { 'awsemf/pod_health': podHealthExporter(options, podHealth.profile) } : {}),
      ...delivery.exporters,
    },
    extensions: delivery.extensions,
    pipelines: {
      ...(emf
        ? {
            'metrics/pod_health': {
              receivers: [receiver],
              processors: [...ids(shared), ...ids(emfProcessors)],
              exporters: ['awsemf/pod_health'],
            },
          }
        : {}),
      ...(otlp
        ? {
            'metrics/pod_health_otlp': {
              receivers: [receiver],
              processors: ['memory_limiter', 'resourcedetection', ...ids(otlpProcessors)],
              exporters: ['otlphttp/cloudwatch'],
            },
          }
        : {}),
    },
  };
}

/** Pod and workload health, with `podHealth`. */
export const POD_HEALTH_PIPELINE: Pipeline = {
  name: 'pod health (kube-state-metrics)',
  setting: 'podHealth',
  enabled: (options) => options.podHealth !== undefined,
  section: (options) => podHealthSection(options, options.podHealth as PodHealthConfigOptions),
  // The EMF path writes to the performance log group the EMF pipeline already grants; OTLP, the OTLP pipeline's rights.
  access: (options) => ({
    emfLogGroups: sendsEmf(options.metricsDestination ?? DEFAULT_METRICS_DESTINATION)
      ? [performanceLogGroupName(options.clusterName)]
      : [],
    policies: [],
  }),
  // The collector reads kube-state-metrics over the pod network: no Kubernetes API rights of its own.
  rbac: () => ({ clusterRules: [], namespaced: [] }),
  environment: () => ({}),
  cost: podHealthCost,
};
