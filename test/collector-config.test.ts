import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  AdotVersion,
  CONSUMED_CADVISOR_FAMILIES,
  type CollectorConfig,
  consumedFamiliesRule,
  DEFAULT_METRICS,
  EnvReference,
  type FilterProcessorConfig,
  findMetric,
  formatDuration,
  METRIC_CATALOG,
  type MetricsGenerationProcessorConfig,
  type MetricsTransformProcessorConfig,
  memoryLimiterFor,
  pipelineName,
  type RelabelConfig,
  renderCollectorConfig,
  shardRules,
} from '../src';
import { buildConfig as build, loadCollectorConfig, loadReference, withAnchoredSelectors } from './support/collector';

function generationProcessors(config: CollectorConfig): Array<[string, MetricsGenerationProcessorConfig]> {
  return Object.entries(config.processors).filter(([id]) => id.includes('metricsgeneration')) as Array<
    [string, MetricsGenerationProcessorConfig]
  >;
}

function greatestProcessors(config: CollectorConfig): Array<[string, MetricsTransformProcessorConfig]> {
  return Object.entries(config.processors).filter(([id]) => id.startsWith('metricstransform/greatest_')) as Array<
    [string, MetricsTransformProcessorConfig]
  >;
}

/** Which pipeline step produces each metric (pipeline name), by processor index. */
function producers(config: CollectorConfig): Map<string, number> {
  const order = config.service.pipelines.metrics.processors;
  const produced = new Map<string, number>();
  const rename = config.processors['metricstransform/rename'] as MetricsTransformProcessorConfig;
  for (const t of rename.transforms) produced.set(t.new_name as string, order.indexOf('metricstransform/rename'));
  for (const [id, { rules }] of generationProcessors(config)) {
    for (const rule of rules) produced.set(rule.name, order.indexOf(id));
  }
  for (const [id, { transforms }] of greatestProcessors(config)) {
    for (const t of transforms.filter((t) => t.action === 'combine'))
      produced.set(t.new_name as string, order.indexOf(id));
  }
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

  test("memory_limiter first, then the AWS reference manifest's processors, with the corrections between them", () => {
    expect(metrics.processors).toStrictEqual([
      'memory_limiter',
      'metricstransform/label_1',
      'resourcedetection',
      'metricstransform/rename',
      'filter',
      'filter/unset',
      'cumulativetodelta',
      'deltatorate',
      'metricstransform/sum',
      'metricsgeneration/1',
      'metricsgeneration/2',
      'metricstransform/greatest_2',
      'metricsgeneration/3',
      'metricstransform/label_2',
      'batch',
    ]);
  });

  test('pod sums keep the pod labels and add up the rest; they run after the rates, on per-container series', () => {
    const sum = config.processors['metricstransform/sum'] as MetricsTransformProcessorConfig;
    const summed = METRIC_CATALOG.filter((m) => m.source.kind === 'cadvisor' && m.source.sumBy).map(pipelineName);
    expect(sum.transforms).toHaveLength(1);
    const [transform] = sum.transforms;
    expect(transform).toMatchObject({ match_type: 'regexp', action: 'update' });
    expect(transform?.operations).toStrictEqual([
      {
        action: 'aggregate_labels',
        label_set: ['namespace', 'pod', 'NodeName', 'LaunchType'],
        aggregation_type: 'sum',
      },
    ]);
    const include = new RegExp(transform?.include ?? '');
    expect(METRIC_CATALOG.map(pipelineName).filter((name) => include.test(name))).toStrictEqual(summed);
    expect(summed).toContain('pod_cpu_usage_seconds_total');
    expect(summed).toContain('pod_network_rx_bytes');
    expect(metrics.processors.indexOf('metricstransform/sum')).toBeGreaterThan(
      metrics.processors.indexOf('deltatorate'),
    );
  });

  test('the CPU denominator is the greater of limit and request: copies of both, combined with max', () => {
    expect(
      (config.processors['metricstransform/greatest_2'] as MetricsTransformProcessorConfig).transforms,
    ).toStrictEqual([
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
    expect(config.processors['filter/unset']).toStrictEqual({
      error_mode: 'ignore',
      metrics: {
        datapoint: [
          'metric.name == "new_container_cpu_request_raw" and value_double <= 2',
          'metric.name == "pod_cpu_request_raw" and value_double <= 2',
        ],
      },
    });
    expect(metrics.processors.indexOf('filter/unset')).toBeLessThan(metrics.processors.indexOf('metricsgeneration/1'));
  });

  test('resource detection uses only the env detector (no instance metadata on Fargate)', () => {
    expect(config.processors.resourcedetection).toStrictEqual({ detectors: ['env'] });
  });
});

describe('metrics come from the catalog', () => {
  const config = build();
  const produced = producers(config);
  const order = config.service.pipelines.metrics.processors;

  test('every catalog metric is produced by exactly one rename or generation rule', () => {
    const names = [...produced.keys()].sort();
    expect(names).toStrictEqual(METRIC_CATALOG.map(pipelineName).sort());
    const rename = config.processors['metricstransform/rename'] as MetricsTransformProcessorConfig;
    const rules = generationProcessors(config).flatMap(([, c]) => c.rules);
    const combines = greatestProcessors(config).flatMap(([, c]) => c.transforms.filter((t) => t.action === 'combine'));
    expect(rename.transforms.length + rules.length + combines.length).toBe(METRIC_CATALOG.length);
  });

  test('a generated metric is computed only after the metrics it reads', () => {
    for (const [id, { rules }] of generationProcessors(config)) {
      for (const rule of rules) {
        const operands = rule.type === 'calculate' ? [rule.metric1, rule.metric2] : [rule.metric1];
        for (const operand of operands) {
          expect(produced.get(operand), `${rule.name} reads ${operand}`).toBeLessThan(order.indexOf(id));
        }
      }
    }
    for (const [id, { transforms }] of greatestProcessors(config)) {
      for (const t of transforms.filter((t) => t.action === 'insert')) {
        expect(produced.get(t.include), `${t.new_name} reads ${t.include}`).toBeLessThan(order.indexOf(id));
      }
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
      declarations: [{ metrics: METRIC_CATALOG.map((m) => m.name), dimensionSets: [['ClusterName']] }],
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
    const patterns = (config.processors.filter as FilterProcessorConfig).metrics.include.metric_names;
    const kept = (name: string) => patterns.some((p) => new RegExp(`^(?:${p})$`).test(name));
    for (const metric of METRIC_CATALOG) expect(kept(pipelineName(metric)), metric.name).toBe(true);
    for (const metric of METRIC_CATALOG) {
      if (metric.source.kind === 'cadvisor') expect(kept(metric.source.family), metric.source.family).toBe(false);
    }
  });

  test('exactly the cumulative metrics become rates', () => {
    const rates = METRIC_CATALOG.filter((m) => m.source.kind === 'cadvisor' && m.source.rate).map(pipelineName);
    expect(rates.length).toBe(19);
    expect(config.processors.cumulativetodelta).toStrictEqual({ include: { metrics: rates, match_type: 'strict' } });
    expect(config.processors.deltatorate).toStrictEqual({ metrics: rates });
  });

  test('the last rename restores the container metric names', () => {
    const text = renderCollectorConfig(config);
    const last = (loadCollectorConfig(text).processors['metricstransform/label_2'].transforms as any[]).at(-1);
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
  ])('%s uses %s in the processors and the pipeline', (tag, type) => {
    const config = build({ version: AdotVersion.of(tag) });
    const ids = [`${type}/1`, `${type}/2`, `${type}/3`];
    for (const id of ids) expect(config.processors).toHaveProperty([id]);
    expect(config.service.pipelines.metrics.processors.filter((p) => p.includes('metricsgeneration'))).toStrictEqual(
      ids,
    );
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
    expect(build({ memoryLimitMiB: limit }).processors.memory_limiter).toStrictEqual(memoryLimiterFor(limit));
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
          dimensionSets: [['ClusterName', 'Namespace', 'PodName']],
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

describe.each([
  ['otel-fargate-container-insights.v0.40.0.yaml', AdotVersion.V0_40_0],
  ['otel-fargate-container-insights.2026-07.yaml', AdotVersion.DEFAULT],
])('equivalence with the AWS reference %s', (file, version) => {
  const reference = loadReference(file).config;
  const ours = loadCollectorConfig(renderCollectorConfig(build({ version })));

  // What this pipeline adds to the reference's, each tested in 'pipeline wiring' and 'the corrections'.
  const added = ['memory_limiter', 'filter/unset', 'metricstransform/sum', 'metricstransform/greatest_2'];
  const generation = version.metricsGenerationProcessor;

  test('the same processors in the same order, with memory_limiter first and the corrections between them', () => {
    const processors: string[] = ours.service.pipelines.metrics.processors;
    expect(processors[0]).toBe('memory_limiter');
    expect(reference.service.pipelines.metrics.processors).not.toContain('memory_limiter');
    const theirs = processors.filter((id) => !added.includes(id) && id !== `${generation}/3`);
    expect({ metrics: { ...ours.service.pipelines.metrics, processors: theirs } }).toStrictEqual(
      reference.service.pipelines,
    );
  });

  test('the same label steps and batch; the filter and Type labels add node metrics', () => {
    for (const id of ['metricstransform/label_1', 'batch']) {
      expect(ours.processors[id], id).toStrictEqual(reference.processors[id]);
    }
    expect([...ours.processors.filter.metrics.include.metric_names].sort()).toStrictEqual(
      [...reference.processors.filter.metrics.include.metric_names, 'node_.*'].sort(),
    );
    const label2 = ours.processors['metricstransform/label_2'].transforms;
    expect(label2.filter((t: { include: string }) => t.include !== 'node_.*')).toStrictEqual(
      reference.processors['metricstransform/label_2'].transforms,
    );
  });

  test('the same renames, anchored, but pod usage from the containers and CPU shares named *_cpu_request_raw', () => {
    const theirs = reference.processors['metricstransform/rename'].transforms as any[];
    const mine = ours.processors['metricstransform/rename'].transforms as any[];
    const named = (name: string) => name.replace(/_cpu_request$/, '_cpu_request_raw');
    for (const t of theirs) {
      const match = mine.find((m) => m.new_name === named(t.new_name));
      expect(match, t.new_name).toBeDefined();
      const metric = findMetric(named(t.new_name).replace(/^new_/, ''));
      const fromContainers =
        metric?.scope === 'pod' && metric.source.kind === 'cadvisor' && metric.source.series.name === 'container';
      if (fromContainers) {
        // The reference reads the pod cgroup, which also holds the pause container.
        expect(t.experimental_match_labels, t.new_name).toMatchObject({ container: '^$', image: '^$' });
        expect(match.experimental_match_labels, t.new_name).toStrictEqual({
          container: '\\S',
          LaunchType: 'fargate',
          ...(metric.source.kind === 'cadvisor' ? metric.source.labels : {}),
        });
        expect({ ...match, experimental_match_labels: undefined }).toStrictEqual({
          ...t,
          include: `^${t.include}$`,
          experimental_match_labels: undefined,
        });
      } else {
        // Anchored, so that a family name does not also match the copies made before it.
        expect(match, t.new_name).toStrictEqual({ ...t, include: `^${t.include}$`, new_name: named(t.new_name) });
      }
    }
    expect(mine.filter((m) => !m.new_name.startsWith('node_'))).toHaveLength(theirs.length);
  });

  test('the same rates, plus the node CPU', () => {
    expect([...ours.processors.deltatorate.metrics].sort()).toStrictEqual(
      [...reference.processors.deltatorate.metrics, 'node_cpu_usage_seconds_total'].sort(),
    );
    expect([...ours.processors.cumulativetodelta.include.metrics].sort()).toStrictEqual(
      [...reference.processors.cumulativetodelta.include.metrics, 'node_cpu_usage_seconds_total'].sort(),
    );
    expect(ours.processors.cumulativetodelta.include.match_type).toBe(
      reference.processors.cumulativetodelta.include.match_type,
    );
  });

  test("the reference's metricsgeneration rules, but CPU utilization over the limit or request", () => {
    const rules = (config: Record<string, any>) =>
      Object.entries(config.processors)
        .filter(([id]) => id.includes('metricsgeneration'))
        .flatMap(([, p]) => (p as { rules: any[] }).rules);
    const mine = rules(ours);
    for (const rule of rules(reference)) {
      const expected =
        rule.name === 'pod_cpu_utilization_over_pod_limit' ? { ...rule, metric2: 'pod_cpu_limit_or_request' } : rule;
      expect(mine.find((r) => r.name === rule.name)).toStrictEqual(expected);
    }
    expect(
      rules(reference)
        .map((r) => r.name)
        .sort(),
    ).toStrictEqual(
      mine
        .filter((r) => r.name.startsWith('pod_') && r.name !== 'pod_cpu_request')
        .map((r) => r.name)
        .sort(),
    );
  });

  test('the same exporter settings, with each metric name selector anchored to its whole name', () => {
    expect(ours.exporters).toStrictEqual(withAnchoredSelectors(reference.exporters));
  });

  test('the same scrape target discovery and path rewriting', () => {
    const [job] = ours.receivers.prometheus.config.scrape_configs;
    const [refJob] = reference.receivers.prometheus.config.scrape_configs;
    expect(ours.receivers.prometheus.config.global).toStrictEqual(reference.receivers.prometheus.config.global);
    // Ours starts with the Fargate-only node rule (tested below); the rest is the reference's.
    expect(job.relabel_configs[0]).toStrictEqual({
      source_labels: ['__meta_kubernetes_node_label_eks_amazonaws_com_compute_type'],
      regex: 'fargate',
      action: 'keep',
    });
    expect(job.relabel_configs.slice(1)).toStrictEqual(refJob.relabel_configs);
    for (const key of ['job_name', 'sample_limit', 'scheme', 'kubernetes_sd_configs', 'tls_config']) {
      expect(job[key], key).toStrictEqual(refJob[key]);
    }
    expect(job.authorization.credentials_file).toBe(refJob.bearer_token_file);
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
  const rename = config.processors['metricstransform/rename'] as MetricsTransformProcessorConfig;

  test('metric_relabel_configs keeps exactly the families some rename reads, so the output is unchanged', () => {
    expect(job.metric_relabel_configs).toStrictEqual([consumedFamiliesRule()]);
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

  test('fargateNodesOnly keeps only Fargate nodes; off, every node is scraped', () => {
    const rule = {
      source_labels: ['__meta_kubernetes_node_label_eks_amazonaws_com_compute_type'],
      regex: 'fargate',
      action: 'keep',
    };
    expect(job.relabel_configs).toContainEqual(rule);
    const all = build({ fargateNodesOnly: false }).receivers.prometheus.config.scrape_configs[0];
    expect(all.relabel_configs).not.toContainEqual(rule);
    expect(all.relabel_configs).toStrictEqual(job.relabel_configs.slice(1));
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
    expect(job.relabel_configs.slice(1, 3)).toStrictEqual(shardRules(3));
    const text = renderCollectorConfig(build({ shards: 3 }));
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
