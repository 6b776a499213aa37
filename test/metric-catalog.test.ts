import { describe, expect, test } from 'vitest';
import { DEFAULT_METRICS, METRIC_CATALOG, pipelineName } from '../src';

describe('METRIC_CATALOG', () => {
  const names = METRIC_CATALOG.map((m) => m.name);

  test('names are unique and carry their scope as prefix', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const metric of METRIC_CATALOG) expect(metric.name.startsWith(`${metric.scope}_`), metric.name).toBe(true);
  });

  test('holds the 17 container, 23 pod cAdvisor and 5 generated metrics of the reference pipeline', () => {
    const count = (predicate: (m: (typeof METRIC_CATALOG)[number]) => boolean) =>
      METRIC_CATALOG.filter(predicate).length;
    expect(count((m) => m.scope === 'container')).toBe(17);
    expect(count((m) => m.scope === 'pod' && m.source.kind === 'cadvisor')).toBe(23);
    expect(count((m) => m.source.kind !== 'cadvisor')).toBe(5);
  });

  test('generated metrics only read metrics of the catalog, and never themselves', () => {
    for (const metric of METRIC_CATALOG) {
      const { source } = metric;
      if (source.kind === 'cadvisor') continue;
      const operands = source.kind === 'calculate' ? [source.metric1, source.metric2] : [source.metric1];
      for (const operand of operands) {
        expect(names, `${metric.name} reads ${operand}`).toContain(operand);
        expect(operand).not.toBe(metric.name);
      }
    }
  });

  test('cAdvisor selectors are told apart by their label matchers', () => {
    const keys = METRIC_CATALOG.flatMap((m) =>
      m.source.kind === 'cadvisor'
        ? [JSON.stringify([m.source.family, m.source.series.labels, m.source.labels ?? {}])]
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
