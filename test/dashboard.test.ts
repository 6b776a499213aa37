import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CollectorPrerequisites,
  Dimension,
  FargateContainerInsightsCollector,
  type FargateContainerInsightsCollectorProps,
  MetricProfile,
  MetricSelection,
  MetricsDestination,
  PodHealthProfile,
  PodNaming,
  ValidationError,
} from '../src';
import { DEFAULT_METRICS } from '../src/config/catalog/profiles';
import type { DashboardWidgetJson as Widget } from '../src/prerequisites/dashboard-body';
import { dashboardSvg, PICTURE_FILE, pictureBody, seriesText } from '../tools/dashboard-picture';
import { dashboardBodyProblems } from '../tools/dashboard-schema';
import { loadCollectorConfig } from './support/collector';
import { budget, check, Tally } from './support/property';

/**
 * The dashboard (`CollectorPrerequisites.dashboardBody`): every graph reads
 * only a metric in a dimension set the collector's configuration declares,
 * as the collector reads it from its ConfigMap; the widgets tile CloudWatch's
 * 24-column grid; what a configuration sends is what the dashboard shows.
 */

const ROLE = 'arn:aws:iam::123456789012:role/adot';
const BASE = { clusterName: 'prod-eu', region: 'eu-west-1', serviceAccountRoleArn: ROLE } as const;

/** A collector's dashboard body and the metric × dimension sets its ConfigMap declares to CloudWatch. */
function build(props: Partial<FargateContainerInsightsCollectorProps> = {}) {
  const chart = Testing.chart();
  const collector = new FargateContainerInsightsCollector(chart, 'Collector', { ...BASE, ...props });
  const configMap = Testing.synth(chart).find((o) => o.kind === 'ConfigMap' && o.metadata.name.includes('collector'));
  const config = loadCollectorConfig(Object.values(configMap.data as Record<string, string>)[0] as string);
  const declared = new Set<string>();
  for (const exporter of Object.values(config.exporters as Record<string, any>)) {
    if (exporter?.namespace !== 'ContainerInsights' || exporter.metric_declarations === undefined) continue;
    for (const declaration of exporter.metric_declarations) {
      for (const selector of declaration.metric_name_selectors as string[]) {
        const name = /^\^(.+)\$$/.exec(selector)?.[1] as string;
        for (const set of declaration.dimensions as string[][]) declared.add(key(name, set));
      }
    }
  }
  const prerequisites = CollectorPrerequisites.of({ collector });
  const body = JSON.parse(prerequisites.dashboardBody ?? '{"widgets":[]}') as { start: string; widgets: Widget[] };
  return { body, declared, prerequisites };
}

const key = (metric: string, dimensions: readonly string[]) => `${metric} {${[...dimensions].sort().join(',')}}`;

/** Each metric × dimension set a widget reads: metric arrays, SEARCH and Metrics Insights expressions alike. */
function readSeries(widget: Widget): string[] {
  return (widget.properties.metrics as unknown[][]).map((entry) => {
    const [first] = entry;
    if (typeof first === 'string') {
      const [namespace, metric, ...rest] = entry.filter((part) => typeof part === 'string') as string[];
      expect(namespace).toBe('ContainerInsights');
      expect(rest.filter((_, i) => i % 2 === 1)).toStrictEqual(
        rest.filter((_, i) => i % 2 === 0).map((name) => (name === 'ClusterName' ? 'prod-eu' : 'fargate')),
      );
      return key(
        metric as string,
        rest.filter((_, i) => i % 2 === 0),
      );
    }
    const { expression } = first as { expression: string };
    const search =
      /^SEARCH\('\{ContainerInsights,([^}]+)\} MetricName="([^"]+)" ClusterName="prod-eu"', '\w+', 60\)$/.exec(
        expression,
      );
    if (search) return key(search[2] as string, (search[1] as string).split(','));
    const insights =
      /^SELECT [A-Z]+\(([a-z_]+)\) FROM SCHEMA\(ContainerInsights, ([^)]+)\) WHERE ClusterName = 'prod-eu' GROUP BY ([^O]+) ORDER BY [A-Z]+\(\) DESC LIMIT 10$/.exec(
        expression,
      );
    expect(insights, expression).not.toBeNull();
    const [, metric = '', schema = ''] = insights ?? [];
    return key(metric, schema.split(', '));
  });
}

/** Every check of one dashboard: declared series only, a tiled grid, a known kind per widget. */
function expectWellFormed(body: { widgets: Widget[] }, declared: ReadonlySet<string>): void {
  if (body.widgets.length > 0) expect(dashboardBodyProblems(body)).toBeUndefined();
  const cells = new Set<string>();
  for (const widget of body.widgets) {
    expect(['metric', 'alarm', 'text']).toContain(widget.type);
    expect(widget.x + widget.width).toBeLessThanOrEqual(24);
    for (let x = widget.x; x < widget.x + widget.width; x++) {
      for (let y = widget.y; y < widget.y + widget.height; y++) {
        expect(cells.has(`${x},${y}`), `${widget.properties.title} overlaps`).toBe(false);
        cells.add(`${x},${y}`);
      }
    }
    if (widget.type === 'metric') {
      expect(widget.properties.region).toBe('eu-west-1');
      const series = readSeries(widget);
      expect(series.length).toBeGreaterThan(0);
      for (const one of series) expect(declared, `${widget.properties.title}: ${one}`).toContain(one);
    }
  }
  // Each row fills the grid: nothing left half-empty when a widget is dropped.
  const rows = new Map<number, number>();
  for (const widget of body.widgets) rows.set(widget.y, (rows.get(widget.y) ?? 0) + widget.width);
  for (const width of rows.values()) expect(width).toBe(24);
  expect(body.widgets.length).toBeLessThanOrEqual(500);
}

const titles = (body: { widgets: Widget[] }) =>
  body.widgets.map((widget) => String(widget.properties.title ?? widget.type));

describe('the dashboard', () => {
  test('by default: the cluster, its namespaces and its top workloads, CPU, memory and network, and the collector', () => {
    const { body, declared, prerequisites } = build();
    expectWellFormed(body, declared);
    expect(prerequisites.dashboardName).toBe('ContainerInsights-prod-eu');
    expect(titles(body)).toStrictEqual([
      'text',
      'CPU: utilization of the pods’ limit',
      'Memory: utilization of the pods’ limit',
      'Network: bytes per second',
      'CPU utilization by namespace',
      'Memory utilization by namespace',
      'Top 10 workloads by CPU utilization',
      'Top 10 workloads by memory utilization',
      'Collector: values received a minute',
    ]);
  });

  test('with pod health: running and pending pods, restarts and unavailable replicas by workload, and the alarms by ARN', () => {
    const { body, declared, prerequisites } = build({ podHealth: {} });
    expectWellFormed(body, declared);
    expect(titles(body)).toEqual(
      expect.arrayContaining([
        'Pods running and pending',
        'Container restarts by workload',
        'Unavailable replicas by workload',
        'Alarms',
      ]),
    );
    const alarms = body.widgets.find((widget) => widget.type === 'alarm')?.properties.alarms;
    expect(alarms).toStrictEqual(
      prerequisites.alarms.map((alarm) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarm.alarmName}`),
    );
    expect(alarms).toHaveLength(4);
  });

  test('a selection without memory shows no memory graph, and its row is refilled', () => {
    const selection = MetricSelection.metrics(DEFAULT_METRICS.filter((metric) => !metric.includes('memory')));
    const { body, declared } = build({ metricSelection: selection });
    expectWellFormed(body, declared);
    expect(titles(body).filter((title) => /memory/i.test(title))).toStrictEqual([]);
    expect(titles(body)).toContain('CPU utilization by namespace');
  });

  test('over OTLP alone: no dashboard, as there is no ContainerInsights metric to graph', () => {
    const { prerequisites } = build({ metricsDestination: MetricsDestination.OTLP });
    expect(prerequisites.dashboardName).toBeUndefined();
    expect(prerequisites.dashboardBody).toBeUndefined();
    expect(build({ metricsDestination: MetricsDestination.BOTH }).prerequisites.dashboardName).toBe(
      'ContainerInsights-prod-eu',
    );
  });

  test(
    'property: for every profile, selection, destination, pod naming and pod health, every graph reads what the configuration declares',
    () => {
      const tally = new Tally();
      const selection = fc.oneof(
        fc.constantFrom(MetricProfile.REFERENCE, MetricProfile.CONSOLE).map((p) => MetricSelection.profile(p)),
        fc
          .record({
            metrics: fc.subarray(DEFAULT_METRICS, { minLength: 1 }),
            sets: fc.subarray(
              [
                [Dimension.CLUSTER_NAME],
                [Dimension.CLUSTER_NAME, Dimension.NAMESPACE],
                [Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME],
                [Dimension.CLUSTER_NAME, Dimension.LAUNCH_TYPE],
              ],
              { minLength: 1 },
            ),
          })
          .map(({ metrics, sets }) => MetricSelection.metrics(metrics, sets)),
      );
      const props = fc.record(
        {
          metricSelection: selection,
          metricsDestination: fc.constantFrom(MetricsDestination.EMF, MetricsDestination.OTLP, MetricsDestination.BOTH),
          podNaming: fc.constantFrom(PodNaming.WORKLOAD, PodNaming.WORKLOAD_AND_POD, PodNaming.POD),
          podHealth: fc.constantFrom({}, { profile: PodHealthProfile.FULL }),
        },
        { requiredKeys: [] },
      );
      check(
        fc.property(props, (generated) => {
          let built: ReturnType<typeof build>;
          try {
            built = build(generated);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            tally.add('refused');
            return;
          }
          expectWellFormed(built.body, built.declared);
          tally.add(built.body.widgets.some((widget) => widget.type === 'metric') ? 'graphs' : 'no dashboard');
        }),
        'dashboards',
      );
      expect(tally.count('graphs')).toBeGreaterThan((budget('dashboards').numRuns ?? 0) / 3);
    },
    budget('dashboards').timeoutMs,
  );
});

describe('the picture in the docs (docs/dashboard.svg)', () => {
  const body = pictureBody();
  const picture = readFileSync(join(__dirname, '..', PICTURE_FILE), 'utf8');

  test('is what `npm run picture` draws from the dashboard definition now', () => {
    expect(picture, 'run `npm run picture` and commit docs/dashboard.svg').toBe(dashboardSvg(body));
  });

  test('shows every widget of the definition, where the definition places it, with what it reads', () => {
    const { widgets } = JSON.parse(body) as { widgets: Widget[] };
    const rects = [...picture.matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/g)].map((m) =>
      m.slice(1).map(Number),
    );
    expect(rects).toStrictEqual(widgets.map((w) => [w.x * 48 + 4, w.y * 36 + 4, w.width * 48 - 8, w.height * 36 - 8]));
    const text = picture.replaceAll(/<[^>]+>/g, ' ').replaceAll(/\s+/g, ' ');
    for (const widget of widgets.filter((w) => w.type === 'metric')) {
      expect(text).toContain(String(widget.properties.title));
      for (const entry of widget.properties.metrics as unknown[][]) {
        expect(text).toContain(seriesText(entry).split(' ')[0]);
      }
    }
  });
});

describe("a fleet's overview (CollectorPrerequisites.fleetDashboardBody)", () => {
  const cluster = (clusterName: string, region: string, account: string, props = {}) => {
    const chart = Testing.chart();
    const collector = new FargateContainerInsightsCollector(chart, clusterName, {
      clusterName,
      region,
      serviceAccountRoleArn: `arn:aws:iam::${account}:role/adot`,
      ...props,
    });
    return CollectorPrerequisites.of({ collector });
  };
  type Line = [string, string, string, string, ...unknown[]];
  const linesOf = (widget: Widget | undefined) =>
    ((widget?.properties.metrics ?? []) as Line[]).map((entry) => ({
      cluster: entry[3],
      ...(entry.at(-1) as { label: string; region: string; accountId?: string }),
    }));

  test('a graph per cluster-wide graph, a line per cluster in its region; a cluster without a dashboard has none', () => {
    const body = CollectorPrerequisites.fleetDashboardBody([
      cluster('prod-eu', 'eu-west-1', '123456789012', { podHealth: {} }),
      cluster('otlp-only', 'eu-west-1', '123456789012', { metricsDestination: MetricsDestination.OTLP }),
      cluster('prod-us', 'us-east-1', '123456789012'),
    ]);
    const { widgets } = JSON.parse(body) as { widgets: Widget[] };
    expect(dashboardBodyProblems(JSON.parse(body))).toBeUndefined();
    const byTitle = new Map(widgets.map((widget) => [String(widget.properties.title ?? 'heading'), widget]));
    expect([...byTitle.keys()]).toStrictEqual([
      'heading',
      'CPU: utilization of the pods’ limit, by cluster',
      'Memory: utilization of the pods’ limit, by cluster',
      'Network: bytes per second, by cluster',
      'Pods running and pending, by cluster',
      'Collector: values received a minute, by cluster',
    ]);
    expect(linesOf(byTitle.get('CPU: utilization of the pods’ limit, by cluster'))).toStrictEqual([
      { cluster: 'prod-eu', stat: 'Average', label: 'prod-eu', region: 'eu-west-1' },
      { cluster: 'prod-us', stat: 'Average', label: 'prod-us', region: 'us-east-1' },
    ]);
    // Pod health is prod-eu's alone; a graph of two series labels each line with the cluster and the series.
    expect(linesOf(byTitle.get('Pods running and pending, by cluster')).map((line) => line.label)).toStrictEqual([
      'prod-eu running',
      'prod-eu pending',
    ]);
    const cells = widgets.map((w) => [w.x, w.y, w.width]);
    expect(cells).toStrictEqual([
      [0, 0, 24],
      [0, 2, 12],
      [12, 2, 12],
      [0, 8, 12],
      [12, 8, 12],
      [0, 14, 24],
    ]);
  });

  test('across accounts, every line names its account', () => {
    const body = CollectorPrerequisites.fleetDashboardBody([
      cluster('a', 'eu-west-1', '111122223333'),
      cluster('b', 'eu-west-1', '444455556666'),
    ]);
    const { widgets } = JSON.parse(body) as { widgets: Widget[] };
    const lines = widgets.flatMap(linesOf);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect(line.accountId).toBe(line.cluster === 'a' ? '111122223333' : '444455556666');
  });

  test('a fleet of 1,200 clusters stays within CloudWatch’s 500 metrics a graph and 500 widgets a dashboard, every cluster drawn', () => {
    const one = cluster('c-0000', 'eu-west-1', '123456789012')._dashboardJson;
    const fleet = Array.from({ length: 1200 }, (_, i) => one.replaceAll('c-0000', `c-${String(i).padStart(4, '0')}`));
    const body = JSON.parse(CollectorPrerequisites._fleetDashboardBody(fleet)) as { widgets: Widget[] };
    expect(dashboardBodyProblems(body)).toBeUndefined();
    const cpu = body.widgets.filter((widget) => String(widget.properties.title).startsWith('CPU'));
    expect(cpu.map((widget) => widget.properties.title)).toStrictEqual([
      'CPU: utilization of the pods’ limit, by cluster (1 of 3)',
      'CPU: utilization of the pods’ limit, by cluster (2 of 3)',
      'CPU: utilization of the pods’ limit, by cluster (3 of 3)',
    ]);
    expect(new Set(cpu.flatMap(linesOf).map((line) => line.cluster)).size).toBe(1200);
  });
});
