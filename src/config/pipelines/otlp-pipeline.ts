import { OTLP_PRICE_NOTE } from '../../core/aws-prices';
import type { AttributeAction, AttributesProcessorConfig } from '../components/attributes-processor';
import { memoryLimiterFor } from '../components/memory-limiter-processor';
import type { PrometheusReceiverConfig, RelabelConfig } from '../components/prometheus-receiver';
import type { ResourceProcessorConfig } from '../components/resource-processor';
import type { ServiceConfig } from '../components/service';
import type { CollectorConfig, ProcessorConfig } from '../config-model';
import { DEFAULT_METRICS_DESTINATION, sendsOtlp } from '../metrics-destination';
import { OTLP_BATCH_SIZE, OTLP_CADVISOR_FAMILIES, otlpMetricsEndpoint } from '../otlp';
import { estimateOtlpIngestion, otlpBasis, otlpComparison } from '../otlp-cost';
import {
  CADVISOR_SCRAPE_RBAC,
  cadvisorReceiver,
  escapeRegExp,
  FARGATE_NODES_RULE,
  shardRules,
} from './cadvisor-scrape';
import { emfCost } from './emf-pipeline';
import type { ClusterLoad, CollectorConfigOptions, CostLine, Pipeline, PipelineSection } from './pipeline';

/** The `metric_relabel_configs` rule that keeps, at scrape time, the cAdvisor families the OTLP path sends. */
function otlpFamiliesRule(): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: OTLP_CADVISOR_FAMILIES.map((f) => escapeRegExp(f.name)).join('|'),
    action: 'keep',
  };
}

/**
 * cAdvisor labels the OTLP path drops at scrape time: `id`, the cgroup path,
 * and `name`, the container runtime's id. The pod, container and image
 * labels tell the same series apart (the pod's own cgroup has no container
 * and no image; its sandbox has the pause image), and the two are the
 * longest values of every data point, which is billed by the byte.
 */
const OTLP_LABELDROP_RULE: RelabelConfig = { action: 'labeldrop', regex: 'id|name' };

/**
 * The OTLP path's scrape: Fargate nodes only, whatever `fargateNodesOnly`
 * says (the EMF path drops other nodes' series in its pipeline; this one has
 * no such step), sharded like the EMF path's.
 */
function otlpReceiver(options: CollectorConfigOptions): PrometheusReceiverConfig {
  return cadvisorReceiver(
    options,
    'kubelets-cadvisor-otlp',
    [FARGATE_NODES_RULE, ...shardRules(options.shards)],
    [otlpFamiliesRule(), OTLP_LABELDROP_RULE],
    'cadvisor',
  );
}

/**
 * Resource attributes the prometheus receiver sets that describe the scrape
 * (the API server's address, port and scheme, the job), not the pod: removed
 * from the OTLP path, where every byte of every data point is billed. Both
 * the older and the newer semantic-convention names, by release.
 */
export const SCRAPE_RESOURCE_ATTRIBUTES = [
  'service.name',
  'service.instance.id',
  'net.host.name',
  'net.host.port',
  'http.scheme',
  'server.address',
  'server.port',
  'url.scheme',
];

/** The OTLP path's resource attributes: the cluster, cloud and region; the node is the receiver's own `k8s.node.name`. */
export function otlpResource(region: string): ResourceProcessorConfig {
  return {
    attributes: [
      // ClusterName comes from OTEL_RESOURCE_ATTRIBUTES, through resourcedetection.
      { key: 'k8s.cluster.name', action: 'upsert', from_attribute: 'ClusterName' },
      { key: 'ClusterName', action: 'delete' },
      { key: 'cloud.region', action: 'upsert', value: region },
      { key: 'cloud.provider', action: 'upsert', value: 'aws' },
      { key: 'cloud.platform', action: 'upsert', value: 'aws_eks' },
      ...SCRAPE_RESOURCE_ATTRIBUTES.map((key): AttributeAction => ({ key, action: 'delete' })),
    ],
  };
}

/** The OTLP path's data point attributes: the semantic-convention names beside cAdvisor's own labels. */
function otlpAttributes(): AttributesProcessorConfig {
  return {
    actions: [
      { key: 'k8s.namespace.name', action: 'upsert', from_attribute: 'namespace' },
      { key: 'k8s.pod.name', action: 'upsert', from_attribute: 'pod' },
      { key: 'k8s.container.name', action: 'upsert', from_attribute: 'container' },
    ],
  };
}

/** The receivers, processors, exporter, extension and pipeline of the OTLP path. */
export interface OtlpSection extends PipelineSection {
  readonly receivers: Pick<CollectorConfig['receivers'], 'prometheus/otlp'>;
  readonly processors: ReadonlyArray<readonly [string, ProcessorConfig]>;
  readonly exporters: Pick<CollectorConfig['exporters'], 'otlphttp/cloudwatch'>;
  readonly extensions: Pick<CollectorConfig['extensions'], 'sigv4auth/monitoring'>;
  readonly pipelines: Pick<ServiceConfig['pipelines'], 'metrics/otlp'>;
}

/** The batch of every pipeline to CloudWatch's OTLP endpoint: within the endpoint's limits. */
export function otlpBatch(): readonly [string, ProcessorConfig] {
  return ['batch/otlp', { timeout: '60s', send_batch_size: OTLP_BATCH_SIZE, send_batch_max_size: OTLP_BATCH_SIZE }];
}

/** The exporter and signer every pipeline to CloudWatch's OTLP endpoint shares, in the cluster's region. */
export function otlpDelivery(region: string): Pick<OtlpSection, 'exporters' | 'extensions'> {
  return {
    exporters: {
      'otlphttp/cloudwatch': {
        metrics_endpoint: otlpMetricsEndpoint(region),
        auth: { authenticator: 'sigv4auth/monitoring' },
        compression: 'gzip',
      },
    },
    extensions: { 'sigv4auth/monitoring': { region, service: 'monitoring' } },
  };
}

/**
 * The OTLP path: cAdvisor's families as they are (cumulative counters
 * included: PromQL takes the rate), with the standard Kubernetes and cloud
 * attributes, batched within the endpoint's limits, to CloudWatch's OTLP
 * endpoint in the cluster's region, signed for `monitoring`.
 */
function otlpSection(options: CollectorConfigOptions): OtlpSection {
  const processors: Array<readonly [string, ProcessorConfig]> = [
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    ['resourcedetection', { detectors: ['env'] }],
    ['resource/otlp', otlpResource(options.region)],
    ['attributes/otlp', otlpAttributes()],
    otlpBatch(),
  ];
  return {
    receivers: { 'prometheus/otlp': otlpReceiver(options) },
    processors,
    ...otlpDelivery(options.region),
    pipelines: {
      'metrics/otlp': {
        receivers: ['prometheus/otlp'],
        processors: processors.map(([id]) => id),
        exporters: ['otlphttp/cloudwatch'],
      },
    },
  };
}

/**
 * What the OTLP path ingests a month, which CloudWatch has not priced yet;
 * against it, what the Embedded Metric Format path would cost.
 */
function otlpCost(options: CollectorConfigOptions, load: ClusterLoad): CostLine[] {
  const otlp = estimateOtlpIngestion({ pods: load.pods, scrapeIntervalSeconds: options.scrapeIntervalMs / 1000 });
  const emfUsd = emfCost(options, load).reduce((sum, line) => sum + line.monthlyUsd, 0);
  return [
    {
      item: 'OTLP metrics',
      monthlyUsd: 0,
      notPriced: OTLP_PRICE_NOTE,
      basis: otlpBasis(otlp),
      note: otlpComparison(otlp, emfUsd),
      usage: { amount: otlp.ingestedGb, unit: 'GB ingested' },
    },
  ];
}

/** The OTLP path, with destination `otlp` or `both`. */
export const OTLP_PIPELINE: Pipeline = {
  name: 'OTLP (CloudWatch OpenTelemetry metrics)',
  setting: 'metricsDestination',
  enabled: (options) => sendsOtlp(options.metricsDestination ?? DEFAULT_METRICS_DESTINATION),
  section: otlpSection,
  access: () => ({
    emfLogGroups: [],
    // The OTLP metrics endpoint authorizes a request as cloudwatch:PutMetricData,
    // which has no resource-level permissions.
    policies: [
      {
        name: 'container-insights-otlp-metrics',
        statements: [
          { Sid: 'SendOtlpMetrics', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'] },
        ],
      },
    ],
  }),
  rbac: () => CADVISOR_SCRAPE_RBAC,
  environment: () => ({}),
  cost: otlpCost,
};
