import { describe, expect, test } from 'vitest';
import {
  AdotVersion,
  buildCollectorConfig,
  type CollectorConfig,
  type CollectorConfigOptions,
  DEFAULT_DIMENSION_SETS,
  DEFAULT_METRICS,
  type FilterProcessorConfig,
  formatDuration,
  METRIC_CATALOG,
  type MetricsGenerationProcessorConfig,
  type MetricsTransformProcessorConfig,
  memoryLimiterFor,
  pipelineName,
  renderCollectorConfig,
} from '../src';
import { loadCollectorConfig, loadReference } from './support/collector';

const options: CollectorConfigOptions = {
  version: AdotVersion.DEFAULT,
  region: 'us-east-1',
  scrapeIntervalMs: 60_000,
  scrapeTimeoutMs: 40_000,
  metrics: DEFAULT_METRICS,
  dimensionSets: DEFAULT_DIMENSION_SETS,
  memoryLimitMiB: 2816,
};

function build(overrides: Partial<CollectorConfigOptions> = {}): CollectorConfig {
  return buildCollectorConfig({ ...options, ...overrides });
}

function generationProcessors(config: CollectorConfig): Array<[string, MetricsGenerationProcessorConfig]> {
  return Object.entries(config.processors).filter(([id]) => id.includes('metricsgeneration')) as Array<
    [string, MetricsGenerationProcessorConfig]
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

  test('memory_limiter first, then the processors in the order of the AWS reference manifest', () => {
    expect(metrics.processors).toStrictEqual([
      'memory_limiter',
      'metricstransform/label_1',
      'resourcedetection',
      'metricstransform/rename',
      'filter',
      'cumulativetodelta',
      'deltatorate',
      'metricsgeneration/1',
      'metricsgeneration/2',
      'metricstransform/label_2',
      'batch',
    ]);
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
    expect(rename.transforms.length + rules.length).toBe(METRIC_CATALOG.length);
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
  });

  test('every metric sent to CloudWatch is produced by the pipeline', () => {
    const [declaration] = config.exporters.awsemf.metric_declarations;
    for (const name of declaration.metric_name_selectors) {
      expect(produced.has(name), name).toBe(true);
    }
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
    expect(rates.length).toBe(18);
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
    const ids = [`${type}/1`, `${type}/2`];
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
      metrics: ['pod_memory_working_set', 'container_memory_working_set'],
      dimensionSets: [['ClusterName', 'Namespace', 'PodName']],
    });
    expect(config.exporters.awsemf.region).toBe('ap-southeast-2');
    expect(config.exporters.awsemf.metric_declarations).toStrictEqual([
      {
        dimensions: [['ClusterName', 'Namespace', 'PodName']],
        metric_name_selectors: ['pod_memory_working_set', 'container_memory_working_set'],
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
  const sortedRules = (c: Record<string, any>) =>
    Object.entries(c.processors)
      .filter(([id]) => id.includes('metricsgeneration'))
      .map(([id, p]) => [id, p]);

  test('the same processors in the same order, after memory_limiter', () => {
    const [first, ...rest] = ours.service.pipelines.metrics.processors;
    expect(first).toBe('memory_limiter');
    expect(reference.service.pipelines.metrics.processors).not.toContain('memory_limiter');
    expect({ metrics: { ...ours.service.pipelines.metrics, processors: rest } }).toStrictEqual(
      reference.service.pipelines,
    );
  });

  test('the same renames, label matchers, filter, rates and label steps', () => {
    for (const id of [
      'metricstransform/label_1',
      'metricstransform/rename',
      'filter',
      'metricstransform/label_2',
      'batch',
    ]) {
      expect(ours.processors[id], id).toStrictEqual(reference.processors[id]);
    }
    for (const id of ['deltatorate']) {
      expect([...ours.processors[id].metrics].sort()).toStrictEqual([...reference.processors[id].metrics].sort());
    }
    expect([...ours.processors.cumulativetodelta.include.metrics].sort()).toStrictEqual(
      [...reference.processors.cumulativetodelta.include.metrics].sort(),
    );
    expect(ours.processors.cumulativetodelta.include.match_type).toBe(
      reference.processors.cumulativetodelta.include.match_type,
    );
  });

  test('the same metricsgeneration rules', () => {
    expect(sortedRules(ours)).toStrictEqual(sortedRules(reference));
  });

  test('the same exporter settings', () => {
    expect(ours.exporters).toStrictEqual(reference.exporters);
  });

  test('the same scrape target discovery and path rewriting', () => {
    const [job] = ours.receivers.prometheus.config.scrape_configs;
    const [refJob] = reference.receivers.prometheus.config.scrape_configs;
    expect(ours.receivers.prometheus.config.global).toStrictEqual(reference.receivers.prometheus.config.global);
    expect(job.relabel_configs).toStrictEqual(refJob.relabel_configs);
    for (const key of ['job_name', 'sample_limit', 'scheme', 'kubernetes_sd_configs', 'tls_config']) {
      expect(job[key], key).toStrictEqual(refJob[key]);
    }
    expect(job.authorization.credentials_file).toBe(refJob.bearer_token_file);
  });
});
