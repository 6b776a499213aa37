import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { Dimension } from '../src/config/catalog/metric-types';
import { DEFAULT_METRICS, PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { EMF_UNITS } from '../src/config/components/awsemf-exporter';
import { memoryLimiterFor } from '../src/config/components/memory-limiter-processor';
import type { EmfCollectorConfig } from '../src/config/config-model';
import { findMetric, METRIC_CATALOG } from '../src/config/metric-catalog';
import { metricDescriptors, pipelineName } from '../src/config/pipelines/emf-pipeline';
import { formatDuration } from '../src/config/pipelines/pipeline';
import { renderCollectorConfig } from '../src/config/render';
import {
  buildConfig as build,
  componentType,
  keptNamePatterns,
  loadCollectorConfig,
  STAGES,
} from './support/collector';

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
