import { App, Chart, Testing, Yaml } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { AdotVersion } from '../src/config/adot-version';
import { SampleGoWebapp } from '../src/sample/sample-go-webapp';
import { COLLECTOR_PROPS } from './support/fixtures';

/**
 * The same input gives byte-identical YAML: across runs, and whatever order
 * the constructs and charts are created in.
 */

const props = { ...COLLECTOR_PROPS, adotVersion: AdotVersion.DEFAULT };

type Part = 'collector' | 'webapp';
const add: Record<Part, (scope: Chart) => void> = {
  collector: (scope) => new FargateContainerInsightsCollector(scope, 'Collector', props),
  webapp: (scope) => new SampleGoWebapp(scope, 'Webapp'),
};

/** One chart per construct, created in the given order; YAML per chart. */
function chartPerConstruct(order: readonly Part[]): Record<string, string> {
  const app = new App();
  for (const part of order) add[part](new Chart(app, part));
  return Object.fromEntries(app.charts.map((chart) => [chart.node.id, Yaml.stringify(...chart.toJson())]));
}

/** Both constructs in one chart, in the given order; objects keyed by kind, namespace and name. */
function oneChart(order: readonly Part[]): Record<string, unknown> {
  const chart = Testing.chart();
  for (const part of order) add[part](chart);
  return Object.fromEntries(
    (Testing.synth(chart) as Array<{ kind: string; metadata: { name: string; namespace?: string } }>).map((o) => [
      `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      o,
    ]),
  );
}

describe('determinism', () => {
  test('two runs give byte-identical YAML', () => {
    expect(chartPerConstruct(['collector', 'webapp'])).toStrictEqual(chartPerConstruct(['collector', 'webapp']));
  });

  test('the order charts are created in does not change any chart', () => {
    const forward = chartPerConstruct(['collector', 'webapp']);
    expect(Object.keys(forward)).toStrictEqual(['collector', 'webapp']);
    expect(forward.collector).toContain('kind: StatefulSet');
    const backward = chartPerConstruct(['webapp', 'collector']);
    expect(backward.collector).toBe(forward.collector);
    expect(backward.webapp).toBe(forward.webapp);
  });

  test('the order constructs are created in within one chart does not change any object', () => {
    const forward = oneChart(['collector', 'webapp']);
    expect(Object.keys(forward)).toHaveLength(10);
    expect(oneChart(['webapp', 'collector'])).toStrictEqual(forward);
  });
});

describe('nothing shared and mutable between constructs', () => {
  test('GIVEN two collectors with the same settings, THEN they share one frozen configuration: neither can change the other', () => {
    const [chartA, chartB] = [Testing.chart(), Testing.chart()];
    const first = new FargateContainerInsightsCollector(chartA, 'A', COLLECTOR_PROPS);
    const second = new FargateContainerInsightsCollector(chartB, 'B', { ...COLLECTOR_PROPS, clusterName: 'other' });
    const before = Testing.synth(chartB);
    expect(second._config).toBe(first._config);
    expect(Object.isFrozen(first._config)).toBe(true);
    expect(Object.isFrozen(first._config.service.pipelines)).toBe(true);
    expect(() => {
      (first._config.service as { telemetry?: unknown }).telemetry = {};
    }).toThrow(TypeError);
    expect(Testing.synth(chartB)).toStrictEqual(before);
  });
});
