import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { Dimension } from '../src/config/catalog/metric-types';
import { DEFAULT_METRICS, PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { EMF_UNITS } from '../src/config/components/awsemf-exporter';
import { EnvReference } from '../src/config/components/env-reference';
import { memoryLimiterFor } from '../src/config/components/memory-limiter-processor';
import type { RelabelConfig } from '../src/config/components/prometheus-receiver';
import type { EmfCollectorConfig } from '../src/config/config-model';
import { findMetric, METRIC_CATALOG } from '../src/config/metric-catalog';
import {
  CONSUMED_CADVISOR_FAMILIES,
  consumedFamiliesRule,
  NO_WORKLOAD_WITHOUT_POD,
  shardRules,
} from '../src/config/pipelines/cadvisor-scrape';
import { metricDescriptors, pipelineName } from '../src/config/pipelines/emf-pipeline';
import { formatDuration } from '../src/config/pipelines/pipeline';
import { PodNaming } from '../src/config/pod-naming';
import { renderCollectorConfig } from '../src/config/render';
import {
  buildConfig as build,
  componentType,
  keptNamePatterns,
  loadCollectorConfig,
  referenceAdditions,
  STAGES,
} from './support/collector';
import { scrapedTarget } from './support/fargate-pods';

/** Which pipeline step produces each metric (pipeline name), by processor index. */
function producers(config: EmfCollectorConfig): Map<string, number> {
  const produced = new Map<string, number>();
  const rename = STAGES.rename(config);
  for (const t of rename.config.transforms) produced.set(t.new_name as string, rename.index);
  for (const { index, config: generation } of STAGES.generations(config)) {
    for (const rule of generation.rules) produced.set(rule.name, index);
  }
  const greatest = STAGES.greatest(config);
  for (const t of greatest.config.transforms.filter((t) => t.action === 'combine'))
    produced.set(t.new_name as string, greatest.index);
  return produced;
}

describe('pipeline wiring', () => {
  const config = build();
  const { metrics } = config.service.pipelines;

  test('every component the pipeline names is defined, and every defined one is used', () => {
    expect(Object.keys(config.processors)).toStrictEqual(metrics.processors);
    expect(Object.keys(config.receivers)).toStrictEqual(metrics.receivers);
    expect(Object.keys(config.exporters)).toStrictEqual(metrics.exporters);
    expect(Object.keys(config.extensions)).toStrictEqual(config.service.extensions);
  });

  test('memory_limiter first and batch last; each stage after the stages whose output it reads', () => {
    const at = (stage: { index: number }) => stage.index;
    const generations = STAGES.generations(config).map(at);
    expect(at(STAGES.memoryLimiter(config))).toBe(0);
    expect(at(STAGES.batch(config))).toBe(metrics.processors.length - 1);
    // The renames match on LaunchType, which the node-label stage makes.
    expect(at(STAGES.nodeLabels(config))).toBeLessThan(at(STAGES.rename(config)));
    // The filters read renamed metrics; the generations read what is left of them.
    expect(at(STAGES.rename(config))).toBeLessThan(at(STAGES.nameFilter(config)));
    expect(at(STAGES.rename(config))).toBeLessThan(at(STAGES.unsetFilter(config)));
    expect(at(STAGES.unsetFilter(config))).toBeLessThan(Math.min(...generations));
    // Deltas, then rates of them, then pod sums of the rates, before anything computes from them.
    expect(at(STAGES.toRate(config))).toBe(at(STAGES.toDelta(config)) + 1);
    expect(at(STAGES.podSums(config))).toBeGreaterThan(at(STAGES.toRate(config)));
    expect(at(STAGES.podSums(config))).toBeLessThan(Math.min(...generations));
    // Every metric is typed, generated ones included.
    expect(at(STAGES.typeLabels(config))).toBeGreaterThan(Math.max(...generations, at(STAGES.greatest(config))));
  });

  test('pod sums keep the pod labels and add up the rest; they run after the rates, on per-container series', () => {
    const sum = STAGES.podSums(config).config;
    const summed = METRIC_CATALOG.filter((m) => m.source.kind === 'cadvisor' && m.source.sumBy).map(pipelineName);
    expect(sum.transforms).toHaveLength(1);
    const [transform] = sum.transforms;
    expect(transform).toMatchObject({ match_type: 'regexp', action: 'update' });
    expect(transform?.operations).toStrictEqual([
      {
        action: 'aggregate_labels',
        label_set: ['namespace', 'pod', 'workload', 'NodeName', 'LaunchType'],
        aggregation_type: 'sum',
      },
    ]);
    const include = new RegExp(transform?.include ?? '');
    expect(METRIC_CATALOG.map(pipelineName).filter((name) => include.test(name))).toStrictEqual(summed);
    expect(summed).toContain('pod_cpu_usage_seconds_total');
    expect(summed).toContain('pod_network_rx_bytes');
  });

  test('the CPU denominator is the greater of limit and request: copies of both, combined with max', () => {
    expect(STAGES.greatest(config).config.transforms).toStrictEqual([
      { include: 'pod_cpu_limit', match_type: 'strict', action: 'insert', new_name: 'pod_cpu_limit_or_request' },
      { include: 'pod_cpu_request', match_type: 'strict', action: 'insert', new_name: 'pod_cpu_limit_or_request' },
      {
        include: 'pod_cpu_limit_or_request',
        match_type: 'strict',
        action: 'combine',
        new_name: 'pod_cpu_limit_or_request',
        aggregation_type: 'max',
      },
    ]);
  });

  test('2 CPU shares (no request) are dropped before anything reads them, with OTTL conditions alone', () => {
    expect(STAGES.unsetFilter(config).config).toStrictEqual({
      error_mode: 'ignore',
      metrics: {
        datapoint: [
          'metric.name == "new_container_cpu_request_raw" and value_double <= 2',
          'metric.name == "pod_cpu_request_raw" and value_double <= 2',
        ],
      },
    });
  });

  test('resource detection uses only the env detector (no instance metadata on Fargate)', () => {
    expect(STAGES.resourceDetection(config).config).toStrictEqual({ detectors: ['env'] });
  });
});

describe('metrics come from the catalog', () => {
  const config = build();
  const produced = producers(config);

  test('every catalog metric is produced by exactly one rename or generation rule', () => {
    const names = [...produced.keys()].sort();
    expect(names).toStrictEqual(METRIC_CATALOG.map(pipelineName).sort());
    const rename = STAGES.rename(config).config;
    const rules = STAGES.generations(config).flatMap((stage) => stage.config.rules);
    const combines = STAGES.greatest(config).config.transforms.filter((t) => t.action === 'combine');
    expect(rename.transforms.length + rules.length + combines.length).toBe(METRIC_CATALOG.length);
  });

  test('a generated metric is computed only after the metrics it reads', () => {
    for (const { index, config: generation } of STAGES.generations(config)) {
      for (const rule of generation.rules) {
        const operands = rule.type === 'calculate' ? [rule.metric1, rule.metric2] : [rule.metric1];
        for (const operand of operands) {
          expect(produced.get(operand), `${rule.name} reads ${operand}`).toBeLessThan(index);
        }
      }
    }
    const greatest = STAGES.greatest(config);
    for (const t of greatest.config.transforms.filter((t) => t.action === 'insert')) {
      expect(produced.get(t.include), `${t.new_name} reads ${t.include}`).toBeLessThan(greatest.index);
    }
  });

  test('every metric sent to CloudWatch is produced by the pipeline', () => {
    const [declaration] = config.exporters.awsemf.metric_declarations;
    for (const selector of declaration.metric_name_selectors) {
      expect(
        [...produced.keys()].some((name) => new RegExp(selector).test(name)),
        selector,
      ).toBe(true);
    }
  });

  // awsemf matches selectors with Go's regexp.MatchString: unanchored. These
  // selectors use only syntax Go and JavaScript read alike (^, $, \.).
  const selected = (selectors: readonly string[]) =>
    METRIC_CATALOG.map((m) => m.name).filter((name) => selectors.some((s) => new RegExp(s).test(name)));

  test('each selector selects exactly its metric of all the pipeline sends to awsemf, so nothing else is billed', () => {
    const everything = build({
      declarations: [{ metrics: METRIC_CATALOG.map((m) => m.name), dimensionSets: [[Dimension.CLUSTER_NAME]] }],
    });
    const [declaration] = everything.exporters.awsemf.metric_declarations;
    for (const [i, selector] of declaration.metric_name_selectors.entries()) {
      expect(selected([selector]), selector).toStrictEqual([METRIC_CATALOG[i]?.name]);
    }
    expect(selected(config.exporters.awsemf.metric_declarations[0].metric_name_selectors)).toStrictEqual(
      [...DEFAULT_METRICS].sort(
        (a, b) => METRIC_CATALOG.findIndex((m) => m.name === a) - METRIC_CATALOG.findIndex((m) => m.name === b),
      ),
    );
  });

  test("the reference's bare names select more than they name: pod_cpu_limit also bills pod_cpu_limit_raw", () => {
    expect(selected(['pod_cpu_limit'])).toStrictEqual([
      'pod_cpu_limit_raw',
      'pod_cpu_limit',
      'pod_cpu_limit_or_request',
    ]);
    expect(selected(DEFAULT_METRICS)).toHaveLength(DEFAULT_METRICS.length + 2);
  });

  test('the filter keeps every renamed metric and drops the raw cAdvisor families', () => {
    const patterns = keptNamePatterns(STAGES.nameFilter(config).config) ?? [];
    // filterset's regexp matching, like OTTL's IsMatch, is unanchored (MatchString).
    const kept = (name: string) => patterns.some((p) => new RegExp(p).test(name));
    for (const metric of METRIC_CATALOG) expect(kept(pipelineName(metric)), metric.name).toBe(true);
    for (const metric of METRIC_CATALOG) {
      if (metric.source.kind === 'cadvisor') expect(kept(metric.source.family), metric.source.family).toBe(false);
    }
  });

  test('exactly the cumulative metrics become rates', () => {
    const rates = METRIC_CATALOG.filter((m) => m.source.kind === 'cadvisor' && m.source.rate).map(pipelineName);
    expect(rates.length).toBe(19);
    expect(STAGES.toDelta(config).config).toStrictEqual({ include: { metrics: rates, match_type: 'strict' } });
    expect(STAGES.toRate(config).config).toStrictEqual({ metrics: rates });
  });

  test('the last rename restores the container metric names', () => {
    const text = renderCollectorConfig(config, AdotVersion.DEFAULT);
    const loaded = loadCollectorConfig(text);
    const last = (loaded.processors[STAGES.typeLabels(loaded).id].transforms as any[]).at(-1);
    const renamed = METRIC_CATALOG.filter((m) => m.scope === 'container').map((m) =>
      pipelineName(m).replace(new RegExp(last.include), last.new_name),
    );
    expect(renamed).toStrictEqual(METRIC_CATALOG.filter((m) => m.scope === 'container').map((m) => m.name));
  });
});

describe('version-specific configuration', () => {
  test.each([
    ['v0.40.0', 'experimental_metricsgeneration'],
    ['v0.41.2', 'experimental_metricsgeneration'],
    ['v0.42.0', 'metricsgeneration'],
    ['v0.49.0', 'metricsgeneration'],
  ])('%s: every generation stage is a %s processor', (tag, type) => {
    const config = build({ version: AdotVersion.of(tag) });
    const generations = STAGES.generations(config);
    expect(generations.map((stage) => componentType(stage.id))).toStrictEqual(generations.map(() => type));
    // As many rounds as the catalog's generated metrics need, whatever the version.
    expect(generations).toHaveLength(STAGES.generations(build()).length);
  });

  test('the health check listens where the kubelet can reach it on every version', () => {
    for (const tag of AdotVersion.SUPPORTED) {
      expect(build({ version: AdotVersion.of(tag) }).extensions.health_check.endpoint).toBe('0.0.0.0:13133');
    }
  });

  test.each(['v0.40.0', 'v0.40.2', 'v0.41.0', 'v0.41.2'])(
    '%s serves its own metrics on all interfaces with the address key it reads',
    (tag) => {
      expect(build({ version: AdotVersion.of(tag) }).service.telemetry).toStrictEqual({
        metrics: { address: '0.0.0.0:8888' },
      });
    },
  );

  test.each<[string, Record<string, boolean>]>([
    ['v0.42.0', {}],
    ['v0.43.3', {}],
    ['v0.44.0', { without_units: true, without_type_suffix: true }],
    ['v0.45.0', { without_scope_info: true, without_units: true, without_type_suffix: true }],
    ['v0.49.0', { without_scope_info: true, without_units: true, without_type_suffix: true }],
  ])('%s replaces its localhost-only metrics reader with one on 0.0.0.0 and the same flags', (tag, flags) => {
    expect(build({ version: AdotVersion.of(tag) }).service.telemetry).toStrictEqual({
      metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888, ...flags } } } }] },
    });
  });

  test('every supported version has a telemetry style', () => {
    for (const tag of AdotVersion.SUPPORTED) {
      const { metrics } = build({ version: AdotVersion.of(tag) }).service.telemetry;
      expect('address' in metrics || 'readers' in metrics, tag).toBe(true);
    }
  });
});

describe('memory_limiter', () => {
  test.each([
    [2816, 2252, 450],
    [2048, 1638, 327],
    [512, 409, 81],
    [128, 102, 20],
  ])('a %i MiB limit gives a hard limit of %i MiB and a spike of %i MiB', (limit, hard, spike) => {
    expect(memoryLimiterFor(limit)).toStrictEqual({ check_interval: '1s', limit_mib: hard, spike_limit_mib: spike });
    expect(STAGES.memoryLimiter(build({ memoryLimitMiB: limit })).config).toStrictEqual(memoryLimiterFor(limit));
  });

  test('the soft limit stays positive and below the hard limit, which stays below the container limit', () => {
    for (let limit = 128; limit <= 120 * 1024; limit += 128) {
      const { limit_mib, spike_limit_mib } = memoryLimiterFor(limit);
      expect(limit_mib).toBeLessThan(limit);
      expect(spike_limit_mib).toBeGreaterThan(0);
      expect(spike_limit_mib).toBeLessThan(limit_mib);
    }
  });
});

describe('options', () => {
  test('scrape interval and timeout are written as Prometheus durations', () => {
    const config = build({ scrapeIntervalMs: 30_000, scrapeTimeoutMs: 10_500 });
    expect(config.receivers.prometheus.config.global).toStrictEqual({
      scrape_interval: '30s',
      scrape_timeout: '10500ms',
    });
  });

  test.each([
    [60_000, '1m'],
    [40_000, '40s'],
    [90_000, '90s'],
    [7_200_000, '2h'],
    [1_500, '1500ms'],
  ])('formatDuration(%d) is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('region, metrics and dimension sets go to the awsemf exporter', () => {
    const config = build({
      region: 'ap-southeast-2',
      declarations: [
        {
          metrics: ['pod_memory_working_set', 'container_memory_working_set'],
          dimensionSets: [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME]],
        },
      ],
    });
    expect(config.exporters.awsemf.region).toBe('ap-southeast-2');
    expect(config.exporters.awsemf.metric_declarations).toStrictEqual([
      {
        dimensions: [['ClusterName', 'Namespace', 'PodName']],
        metric_name_selectors: ['^pod_memory_working_set$', '^container_memory_working_set$'],
      },
    ]);
  });
});

/**
 * What the AWS reference manifest does and this output relies on, written down
 * as our own expectations: these run in any clone. The side-by-side comparison
 * with the AWS files is the conformance suite (test/conformance/).
 */
/** The metricstransform that renames labels on every metric, as the pipeline writes it. */
function labelRenames(renames: ReadonlyArray<readonly [string, string]>) {
  return {
    include: '.*',
    match_type: 'regexp',
    action: 'update',
    operations: renames.map(([label, newLabel]) => ({ action: 'update_label', label, new_label: newLabel })),
  };
}

/** The last rules of a cAdvisor job: node labels kept, every request to the API server, the path of the named node. */
function nodeLabelsAndProxy(nodeNameLabel: string) {
  return [
    { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
    { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
    {
      source_labels: [nodeNameLabel],
      regex: '(.+)',
      target_label: '__metrics_path__',
      replacement: '/api/v1/nodes/${1}/proxy/metrics/cadvisor',
    },
  ];
}

describe('the AWS reference behaviour, as our own expectations', () => {
  const config = loadCollectorConfig(renderCollectorConfig(build(), AdotVersion.DEFAULT));
  const [job] = config.receivers.prometheus.config.scrape_configs;

  test("one scrape job: every Fargate pod from the Kubernetes API, its node's cAdvisor through the API server proxy", () => {
    expect(config.receivers.prometheus.config.scrape_configs).toHaveLength(1);
    expect(job).toMatchObject({
      job_name: 'kubelets-cadvisor-metrics',
      sample_limit: 10000,
      scheme: 'https',
      kubernetes_sd_configs: [
        {
          role: 'pod',
          attach_metadata: { node: true },
          selectors: [{ role: 'pod', label: 'eks.amazonaws.com/fargate-profile' }],
        },
      ],
      tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
      authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
    });
    expect(config.receivers.prometheus.config.global).toStrictEqual({ scrape_interval: '1m', scrape_timeout: '40s' });
    // Node labels kept, every request sent to the API server, the path per pod's node.
    expect(job.relabel_configs.slice(-3)).toStrictEqual(nodeLabelsAndProxy('__meta_kubernetes_pod_node_name'));
  });

  test('podNaming pod: every node from the Kubernetes API, as the reference', () => {
    const [byPod] = loadCollectorConfig(renderCollectorConfig(build({ podNaming: PodNaming.POD }), AdotVersion.DEFAULT))
      .receivers.prometheus.config.scrape_configs;
    expect(byPod.kubernetes_sd_configs).toStrictEqual([{ role: 'node' }]);
    // After the Fargate-only rule: node labels kept, every request sent to the API server, the path per node.
    expect(byPod.relabel_configs.slice(1)).toStrictEqual(nodeLabelsAndProxy('__meta_kubernetes_node_name'));
    expect(byPod.metric_relabel_configs).toStrictEqual([consumedFamiliesRule()]);
  });

  test('node labels become the dimensions: container_id, NodeName, LaunchType', () => {
    expect(STAGES.nodeLabels(config).config).toStrictEqual({
      transforms: [
        labelRenames([
          ['name', 'container_id'],
          ['kubernetes_io_hostname', 'NodeName'],
          ['eks_amazonaws_com_compute_type', 'LaunchType'],
        ]),
      ],
    });
  });

  test('pod and container metrics are typed, namespace and pod renamed, container names restored', () => {
    const transforms = STAGES.typeLabels(config).config.transforms as any[];
    const typed = transforms
      .filter((t) => t.operations?.[0]?.action === 'add_label')
      .map((t) => [t.include, t.operations[0].new_value]);
    expect(typed).toStrictEqual([
      ['pod_.*', 'Pod'],
      ['new_container_.*', 'Container'],
      ['node_.*', 'Node'],
    ]);
    // The pod is FullPodName and its workload PodName, renamed in that order.
    expect(transforms).toContainEqual(
      labelRenames([
        ['namespace', 'Namespace'],
        ['pod', 'FullPodName'],
        ['workload', 'PodName'],
      ]),
    );
    expect(STAGES.typeLabels(build({ podNaming: PodNaming.POD })).config.transforms).toContainEqual(
      labelRenames([
        ['namespace', 'Namespace'],
        ['pod', 'PodName'],
      ]),
    );
    expect(transforms.at(-1)).toStrictEqual({
      include: '^new_container_(.*)$',
      match_type: 'regexp',
      action: 'update',
      new_name: 'container_$1',
    });
  });

  test('batched for a minute, then EMF to /aws/containerinsights/{ClusterName}/performance in ContainerInsights', () => {
    expect(STAGES.batch(config).config).toStrictEqual({ timeout: '60s' });
    expect(config.exporters.awsemf).toMatchObject({
      log_group_name: '/aws/containerinsights/{ClusterName}/performance',
      log_stream_name: '{NodeName}',
      namespace: 'ContainerInsights',
      region: 'us-east-1',
      resource_to_telemetry_conversion: { enabled: true },
      eks_fargate_container_insights_enabled: true,
      parse_json_encoded_attr_values: ['kubernetes'],
      dimension_rollup_option: 'NoDimensionRollup',
    });
  });

  test('the reference profile: 8 pod metrics in 3 dimension sets, each with LaunchType', () => {
    expect(config.exporters.awsemf.metric_declarations).toStrictEqual([
      {
        dimensions: [
          ['ClusterName', 'LaunchType'],
          ['ClusterName', 'Namespace', 'LaunchType'],
          ['ClusterName', 'Namespace', 'PodName', 'LaunchType'],
        ],
        metric_name_selectors: [
          '^pod_cpu_utilization_over_pod_limit$',
          '^pod_cpu_usage_total$',
          '^pod_cpu_limit$',
          '^pod_memory_utilization_over_pod_limit$',
          '^pod_memory_working_set$',
          '^pod_memory_limit$',
          '^pod_network_rx_bytes$',
          '^pod_network_tx_bytes$',
        ],
      },
    ]);
  });

  test.each([
    ['v0.40.0', 'experimental_metricsgeneration'],
    ['v0.49.0', 'metricsgeneration'],
  ])('%s: the reference stages in their order, with ours between them', (tag, generation) => {
    const config = build({ version: AdotVersion.of(tag) });
    const ours = config.service.pipelines.metrics;
    // What this library adds to the reference's stages; the reference's keep its ids.
    const added = referenceAdditions(config);
    expect(ours.receivers).toStrictEqual(['prometheus']);
    expect(ours.exporters).toStrictEqual(['awsemf']);
    expect(ours.processors.filter((id) => !added.includes(id))).toStrictEqual([
      'metricstransform/label_1',
      'resourcedetection',
      'metricstransform/rename',
      'filter',
      'cumulativetodelta',
      'deltatorate',
      `${generation}/1`,
      `${generation}/2`,
      'metricstransform/label_2',
      'batch',
    ]);
  });
});

/** Metric families cAdvisor serves at /metrics/cadvisor (cAdvisor's Prometheus collector, kubelet build). */
const CADVISOR_FAMILIES = [
  'cadvisor_version_info',
  'container_blkio_device_usage_total',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_cpu_cfs_throttled_seconds_total',
  'container_cpu_load_average_10s',
  'container_cpu_system_seconds_total',
  'container_cpu_usage_seconds_total',
  'container_cpu_user_seconds_total',
  'container_file_descriptors',
  'container_fs_inodes_free',
  'container_fs_inodes_total',
  'container_fs_io_current',
  'container_fs_io_time_seconds_total',
  'container_fs_io_time_weighted_seconds_total',
  'container_fs_limit_bytes',
  'container_fs_read_seconds_total',
  'container_fs_reads_bytes_total',
  'container_fs_reads_merged_total',
  'container_fs_reads_total',
  'container_fs_sector_reads_total',
  'container_fs_sector_writes_total',
  'container_fs_usage_bytes',
  'container_fs_write_seconds_total',
  'container_fs_writes_bytes_total',
  'container_fs_writes_merged_total',
  'container_fs_writes_total',
  'container_last_seen',
  'container_memory_cache',
  'container_memory_failcnt',
  'container_memory_failures_total',
  'container_memory_kernel_usage',
  'container_memory_mapped_file',
  'container_memory_max_usage_bytes',
  'container_memory_rss',
  'container_memory_swap',
  'container_memory_total_active_file_bytes',
  'container_memory_total_inactive_file_bytes',
  'container_memory_usage_bytes',
  'container_memory_working_set_bytes',
  'container_network_receive_bytes_total',
  'container_network_receive_errors_total',
  'container_network_receive_packets_dropped_total',
  'container_network_receive_packets_total',
  'container_network_transmit_bytes_total',
  'container_network_transmit_errors_total',
  'container_network_transmit_packets_dropped_total',
  'container_network_transmit_packets_total',
  'container_oom_events_total',
  'container_processes',
  'container_scrape_error',
  'container_sockets',
  'container_spec_cpu_period',
  'container_spec_cpu_quota',
  'container_spec_cpu_shares',
  'container_spec_memory_limit_bytes',
  'container_spec_memory_reservation_limit_bytes',
  'container_spec_memory_swap_limit_bytes',
  'container_start_time_seconds',
  'container_tasks_state',
  'container_threads',
  'container_threads_max',
  'container_ulimits_soft',
  'machine_cpu_cores',
  'machine_cpu_physical_cores',
  'machine_cpu_sockets',
  'machine_memory_bytes',
  'machine_scrape_error',
];

describe('less data into the pipeline', () => {
  const config = build();
  const [job] = config.receivers.prometheus.config.scrape_configs;
  const rename = STAGES.rename(config).config;

  test('metric_relabel_configs keeps exactly the families some rename reads, so the output is unchanged', () => {
    expect(job.metric_relabel_configs).toStrictEqual([consumedFamiliesRule(), NO_WORKLOAD_WITHOUT_POD]);
    const [keep] = job.metric_relabel_configs;
    // Prometheus anchors relabel regexes; metricstransform does not anchor `include`.
    const kept = new RegExp(`^(?:${keep.regex})$`);
    const read = (name: string) => rename.transforms.some((t) => new RegExp(t.include).test(name));
    const keptNames = CADVISOR_FAMILIES.filter((name) => kept.test(name));
    expect(keptNames).toStrictEqual(CADVISOR_FAMILIES.filter(read));
    expect(keptNames).toStrictEqual([...CONSUMED_CADVISOR_FAMILIES]);
    expect(keptNames.length).toBeLessThan(CADVISOR_FAMILIES.length / 2);
  });

  test('the kept families come from the catalog, not from a second list', () => {
    const families = METRIC_CATALOG.flatMap((m) => (m.source.kind === 'cadvisor' ? [m.source.family] : []));
    expect([...CONSUMED_CADVISOR_FAMILIES]).toStrictEqual([...new Set(families)].sort());
  });

  test('fargateNodesOnly keeps only Fargate nodes; off, every node is scraped (podNaming pod)', () => {
    const rule = {
      source_labels: ['__meta_kubernetes_node_label_eks_amazonaws_com_compute_type'],
      regex: 'fargate',
      action: 'keep',
    };
    const [byPod] = build({ podNaming: PodNaming.POD }).receivers.prometheus.config.scrape_configs;
    expect(byPod.relabel_configs).toContainEqual(rule);
    const all = build({ fargateNodesOnly: false, podNaming: PodNaming.POD }).receivers.prometheus.config
      .scrape_configs[0];
    expect(all.relabel_configs).not.toContainEqual(rule);
    expect(all.relabel_configs).toStrictEqual(byPod.relabel_configs.slice(1));
  });

  test('by workload, only pods on Fargate nodes, whatever fargateNodesOnly: a pod on an EC2 node shares it', () => {
    for (const fargateNodesOnly of [true, false]) {
      const config = build({ fargateNodesOnly });
      const scraped = (computeType: string) =>
        scrapedTarget(config, { name: 'web', namespace: 'shop', node: 'ip-10-0-1-1', computeType }) !== undefined;
      expect(scraped('fargate')).toBe(true);
      expect(scraped('ec2')).toBe(false);
    }
  });
});

describe('sharding', () => {
  test('one shard: no sharding rules', () => {
    expect(shardRules(1)).toStrictEqual([]);
    const [job] = build().receivers.prometheus.config.scrape_configs;
    expect(job.relabel_configs.some((r) => r.action === 'hashmod')).toBe(false);
  });

  test('several shards: hash the node name, keep the shard from the environment', () => {
    const [job] = build({ shards: 3 }).receivers.prometheus.config.scrape_configs;
    const at = job.relabel_configs.findIndex((rule) => rule.action === 'hashmod');
    expect(job.relabel_configs.slice(at, at + 2)).toStrictEqual(shardRules(3, ['__meta_kubernetes_pod_node_name']));
    const [byPod] = build({ shards: 3, podNaming: PodNaming.POD }).receivers.prometheus.config.scrape_configs;
    expect(byPod.relabel_configs.slice(1, 3)).toStrictEqual(shardRules(3));
    const text = renderCollectorConfig(build({ shards: 3 }), AdotVersion.DEFAULT);
    expect(text).toContain('regex: ${env:SHARD}');
    expect(text).toContain('modulus: 3');
  });

  /** Prometheus `hashmod`: the last 8 bytes of the MD5 of the value, big-endian, modulo the modulus. */
  function prometheusHashmod(value: string, modulus: number): number {
    const digest = createHash('md5').update(value).digest();
    return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
  }

  /** Applies the relabel rules the way Prometheus does, to one node, for the pod with this SHARD. */
  function scrapedBy(node: string, rules: readonly RelabelConfig[], shard: string): boolean {
    const labels: Record<string, string> = { __meta_kubernetes_node_name: node };
    for (const rule of rules) {
      const value = (rule.source_labels ?? []).map((l) => labels[l] ?? '').join(';');
      const regex = rule.regex instanceof EnvReference ? shard : rule.regex;
      if (rule.action === 'hashmod')
        labels[rule.target_label as string] = String(prometheusHashmod(value, rule.modulus as number));
      if (rule.action === 'keep' && !new RegExp(`^(?:${regex})$`).test(value)) return false;
    }
    return true;
  }

  test.each([2, 3, 5, 8])('%i shards scrape every node exactly once', (shards) => {
    const nodes = Array.from(
      { length: 2000 },
      (_, i) => `fargate-ip-10-0-${i >> 8}-${i & 255}.eu-west-1.compute.internal`,
    );
    const rules = shardRules(shards);
    const counts = Array.from({ length: shards }, () => 0);
    for (const node of nodes) {
      const owners = Array.from({ length: shards }, (_, shard) => shard).filter((shard) =>
        scrapedBy(node, rules, String(shard)),
      );
      expect(owners, node).toHaveLength(1);
      counts[owners[0]]++;
    }
    // And the split is even enough to be worth it: every shard within 20% of its share.
    for (const count of counts)
      expect(Math.abs(count - nodes.length / shards)).toBeLessThan(0.2 * (nodes.length / shards));
  });

  test('the hash is the one Prometheus computes', () => {
    // The algorithm is the HashMod case of model/relabel/relabel.go, vendored in ADOT v0.40.0 and v0.49.0 alike.
    // md5("") = d41d8cd98f00b204e9800998ecf8427e: its last 8 bytes, big-endian.
    expect(prometheusHashmod('', 10)).toBe(Number(0xe9800998ecf8427en % 10n));
  });
});

describe('units', () => {
  /** The unit each metricsgeneration rule gives its metric, by metric name. */
  const ruleUnits = (config: EmfCollectorConfig) =>
    new Map(STAGES.generations(config).flatMap((stage) => stage.config.rules.map((r) => [r.name, r.unit] as const)));

  test.each(Object.keys(PROFILE_DECLARATIONS) as Array<keyof typeof PROFILE_DECLARATIONS>)(
    '%s: every declared metric reaches CloudWatch with its catalog unit',
    (profile) => {
      const config = build({ declarations: PROFILE_DECLARATIONS[profile] });
      const descriptors = new Map(config.exporters.awsemf.metric_descriptors.map((d) => [d.metric_name, d]));
      const rules = ruleUnits(config);
      for (const name of new Set(PROFILE_DECLARATIONS[profile].flatMap((d) => d.metrics))) {
        const unit = findMetric(name)?.unit;
        const descriptor = descriptors.get(name);
        if (descriptor) expect(descriptor, name).toStrictEqual({ metric_name: name, unit, overwrite: true });
        // No descriptor: a unit CloudWatch does not define, set by the rule that makes the metric.
        else expect([name, rules.get(name)]).toStrictEqual([name, 'Millicore']);
      }
    },
  );

  test('bytes, byte rates, packet and error rates and percentages carry their CloudWatch units', () => {
    const everything = build({
      declarations: [{ metrics: METRIC_CATALOG.map((m) => m.name), dimensionSets: [[Dimension.CLUSTER_NAME]] }],
    });
    const unitOf = (name: string) =>
      everything.exporters.awsemf.metric_descriptors.find((d) => d.metric_name === name)?.unit;
    expect(unitOf('pod_memory_working_set')).toBe('Bytes');
    expect(unitOf('pod_network_rx_bytes')).toBe('Bytes/Second');
    expect(unitOf('pod_network_rx_errors')).toBe('Count/Second');
    expect(unitOf('pod_network_tx_packets')).toBe('Count/Second');
    expect(unitOf('pod_cpu_utilization_over_pod_limit')).toBe('Percent');
    expect(unitOf('pod_cpu_usage_total')).toBeUndefined();
    for (const { unit } of everything.exporters.awsemf.metric_descriptors) expect(EMF_UNITS).toContain(unit);
  });

  test('only declared metrics get a descriptor, once each, in catalog order', () => {
    expect(metricDescriptors([]).length).toBe(0);
    const twice = metricDescriptors([
      { metrics: ['pod_memory_limit', 'pod_network_rx_bytes'], dimensionSets: [[Dimension.CLUSTER_NAME]] },
      { metrics: ['pod_network_rx_bytes'], dimensionSets: [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE]] },
    ]);
    expect(twice.map((d) => d.metric_name)).toStrictEqual(['pod_memory_limit', 'pod_network_rx_bytes']);
  });
});

describe('the performance log group', () => {
  test('retention in days when awsemf creates the group; 0 writes none (never expire)', () => {
    expect(build().exporters.awsemf.log_retention).toBe(30);
    expect(build({ logRetentionDays: 400 }).exporters.awsemf.log_retention).toBe(400);
    expect(build({ logRetentionDays: 0 }).exporters.awsemf).not.toHaveProperty('log_retention');
  });

  test('tags when there are any (the exporter refuses an empty map)', () => {
    expect(build().exporters.awsemf).not.toHaveProperty('tags');
    const text = renderCollectorConfig(
      build({ logGroupTags: { 'cost-center': '1234', team: 'platform' } }),
      AdotVersion.DEFAULT,
    );
    expect(loadCollectorConfig(text).exporters.awsemf.tags).toStrictEqual({ 'cost-center': '1234', team: 'platform' });
  });
});
