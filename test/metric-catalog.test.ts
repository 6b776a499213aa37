import { describe, expect, test } from 'vitest';
import {
  CONTAINER_INSIGHTS_EKS_METRICS,
  NOT_PRODUCED_DIMENSIONS,
  NOT_PRODUCED_METRICS,
} from '../src/config/catalog/console-reference';
import { operandsOf } from '../src/config/catalog/metric-types';
import {
  CONSOLE_DECLARATIONS,
  DEFAULT_METRICS,
  PROFILE_DECLARATIONS,
  REFERENCE_DECLARATIONS,
} from '../src/config/catalog/profiles';
import { findMetric, METRIC_CATALOG } from '../src/config/metric-catalog';
import { validateMetricDeclarations } from '../src/config/metric-selection';
import { pipelineName } from '../src/config/pipelines/emf-pipeline';

describe('METRIC_CATALOG', () => {
  const names = METRIC_CATALOG.map((m) => m.name);

  test('names are unique and carry their scope as prefix', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const metric of METRIC_CATALOG) expect(metric.name.startsWith(`${metric.scope}_`), metric.name).toBe(true);
  });

  test("holds the reference pipeline's 17 container and 23 pod cAdvisor metrics, 4 node ones and 11 derived", () => {
    const count = (predicate: (m: (typeof METRIC_CATALOG)[number]) => boolean) =>
      METRIC_CATALOG.filter(predicate).length;
    expect(count((m) => m.scope === 'container')).toBe(17);
    expect(count((m) => m.scope === 'pod' && m.source.kind === 'cadvisor')).toBe(23);
    expect(count((m) => m.scope === 'node' && m.source.kind === 'cadvisor')).toBe(4);
    expect(count((m) => m.source.kind !== 'cadvisor')).toBe(11);
  });

  test("pod usage is summed over the application containers; limits and requests are the pod cgroup's", () => {
    const source = (name: string) => {
      const metric = findMetric(name);
      if (metric?.source.kind !== 'cadvisor') throw new Error(`${name} is not a cAdvisor metric`);
      return metric.source;
    };
    for (const name of ['pod_cpu_usage_seconds_total', 'pod_memory_working_set', 'pod_memory_rss']) {
      // container=\S: the sandbox (pause) container has no container name, so it is not summed.
      expect(source(name).series.labels.container, name).toBe('\\S');
      expect(source(name).sumBy, name).toStrictEqual(['namespace', 'pod', 'workload', 'NodeName', 'LaunchType']);
    }
    for (const name of ['pod_cpu_limit_raw', 'pod_cpu_request_raw', 'pod_memory_limit']) {
      expect(source(name).series.labels, name).toMatchObject({ container: '^$', image: '^$' });
      expect(source(name).sumBy, name).toBeUndefined();
    }
    expect(source('pod_network_rx_bytes').sumBy).toStrictEqual([
      'namespace',
      'pod',
      'workload',
      'NodeName',
      'LaunchType',
    ]);
  });

  test('CPU utilization is over the limit, or the request without a limit; 2 shares mean no request', () => {
    const utilization = findMetric('pod_cpu_utilization_over_pod_limit');
    expect(utilization?.source).toMatchObject({ metric1: 'pod_cpu_usage_total', metric2: 'pod_cpu_limit_or_request' });
    expect(utilization?.description).toContain('of its CPU request');
    expect(findMetric('pod_cpu_limit_or_request')?.source).toStrictEqual({
      kind: 'greatest',
      metric1: 'pod_cpu_limit',
      metric2: 'pod_cpu_request',
    });
    expect(findMetric('pod_cpu_request')?.source).toMatchObject({
      metric1: 'pod_cpu_request_raw',
      scaleBy: 1000 / 1024,
    });
    expect(findMetric('pod_cpu_request_raw')?.source).toMatchObject({ dropAtOrBelow: 2 });
  });

  test('generated metrics only read metrics of the catalog, and never themselves', () => {
    for (const metric of METRIC_CATALOG) {
      const { source } = metric;
      if (source.kind === 'cadvisor') continue;
      for (const operand of operandsOf(source)) {
        expect(names, `${metric.name} reads ${operand}`).toContain(operand);
        expect(operand).not.toBe(metric.name);
      }
    }
  });

  test('cAdvisor selectors are told apart by their label matchers', () => {
    const keys = METRIC_CATALOG.flatMap((m) =>
      m.source.kind === 'cadvisor'
        ? [JSON.stringify([m.scope, m.source.family, m.source.series.labels, m.source.labels ?? {}])]
        : [],
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('container metrics use a distinct name inside the pipeline', () => {
    const container = METRIC_CATALOG.find((m) => m.scope === 'container');
    expect(container && pipelineName(container)).toBe(`new_${container?.name}`);
  });

  test('the default metrics are all in the catalog', () => {
    for (const name of DEFAULT_METRICS) expect(names).toContain(name);
  });
});

describe('metric profiles', () => {
  const guide = CONTAINER_INSIGHTS_EKS_METRICS;
  const key = (set: readonly string[]) => [...set].sort().join(',');
  const pairs = (declarations: typeof CONSOLE_DECLARATIONS) =>
    declarations.flatMap((d) => d.metrics.flatMap((metric) => d.dimensionSets.map((set) => `${metric} [${key(set)}]`)));

  test('reference is the AWS manifest selection; console is reference plus the additions', () => {
    expect(PROFILE_DECLARATIONS.reference).toStrictEqual(REFERENCE_DECLARATIONS);
    expect(PROFILE_DECLARATIONS.console).toStrictEqual([...REFERENCE_DECLARATIONS, ...CONSOLE_DECLARATIONS]);
  });

  test.each(Object.entries(PROFILE_DECLARATIONS))('%s passes the selection rules', (_, declarations) => {
    expect(() => validateMetricDeclarations(declarations)).not.toThrow();
  });

  test('every metric and dimension set console adds is one the CloudWatch user guide lists', () => {
    for (const declaration of CONSOLE_DECLARATIONS) {
      for (const metric of declaration.metrics) {
        expect(Object.keys(guide), metric).toContain(metric);
        for (const set of declaration.dimensionSets) {
          expect(guide[metric]?.map(key), `${metric} [${set}]`).toContain(key(set));
        }
      }
    }
  });

  test('every pair of the guide is in console, or left out for a stated reason', () => {
    const declared = new Set(pairs(CONSOLE_DECLARATIONS));
    for (const [metric, sets] of Object.entries(guide)) {
      for (const set of sets) {
        const reason =
          NOT_PRODUCED_METRICS[metric] ?? set.map((d) => NOT_PRODUCED_DIMENSIONS[d]).find((r) => r !== undefined);
        expect(declared.has(`${metric} [${key(set)}]`) || reason !== undefined, `${metric} [${set}]`).toBe(true);
        expect(declared.has(`${metric} [${key(set)}]`) && reason !== undefined, `${metric} [${set}]`).toBe(false);
      }
    }
  });

  test('the metrics left out are not in the catalog, so they cannot be asked for by mistake', () => {
    for (const metric of Object.keys(NOT_PRODUCED_METRICS)) {
      expect(Object.keys(guide)).toContain(metric);
      expect(findMetric(metric), metric).toBeUndefined();
    }
  });

  test('console drops LaunchType, which the console does not query', () => {
    for (const set of CONSOLE_DECLARATIONS.flatMap((d) => d.dimensionSets)) expect(set).not.toContain('LaunchType');
  });
});
