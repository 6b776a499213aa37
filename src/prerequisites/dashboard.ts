import { collectorConfigOf } from '../collector/collector-common';
import type { CollectorConfig } from '../config/config-model';
import type { CollectorConfigOptions } from '../config/pipelines/pipeline';
import type { PrerequisiteAlarm } from './alarms';

/**
 * A cluster's CloudWatch dashboard, as data: what the AWS CDK construct and
 * the CloudFormation template create (`AWS::CloudWatch::Dashboard`), what a
 * fleet's overview is made of, and what the picture in the docs is drawn
 * from. Every graph asks only for a metric in a dimension set the
 * collector's configuration declares (read from the configuration built
 * from the catalog), so a metric renamed, dropped or left out of a
 * selection leaves no empty widget: the widget goes, or shows what remains.
 */

/** The metric namespace Container Insights writes to. */
const NAMESPACE = 'ContainerInsights';

/** The dashboard's grid: CloudWatch's is 24 columns wide. */
export const DASHBOARD_COLUMNS = 24;

/** How a graph reads a metric. */
export type DashboardQuery =
  /** The cluster's one series, in its dimension set. */
  | 'metric'
  /** One series per namespace or workload: a CloudWatch SEARCH expression over the dimension set. */
  | 'search'
  /** The ten largest, by a CloudWatch Metrics Insights query over the dimension set. */
  | 'top';

/** One metric a graph shows. */
export interface DashboardSeries {
  /** The metric, in `ContainerInsights`. */
  readonly metricName: string;
  /** The dimension set it is read in: one the configuration declares for it. */
  readonly dimensions: readonly string[];
  /** The statistic. */
  readonly stat: 'Average' | 'Sum' | 'Maximum' | 'Minimum' | 'SampleCount';
  /** The legend: what the series is, for a person. */
  readonly label: string;
  /** How it is read. */
  readonly query: DashboardQuery;
}

/** One widget, placed on the grid. */
export interface DashboardWidget {
  /** A graph of metrics, the state of the alarms, or text. */
  readonly kind: 'graph' | 'alarms' | 'text';
  /** Its title (a text widget's first line). */
  readonly title: string;
  /** Column, from the left (0 to 23). */
  readonly x: number;
  /** Row, from the top. */
  readonly y: number;
  /** Columns wide. */
  readonly width: number;
  /** Rows high. */
  readonly height: number;
  /** A graph's metrics. */
  readonly series: readonly DashboardSeries[];
  /** An alarm widget's alarms, by name. */
  readonly alarmNames: readonly string[];
  /** A text widget's Markdown. */
  readonly markdown: string;
}

/** A cluster's dashboard. */
export interface PrerequisiteDashboard {
  /** Its name: `ContainerInsights-<cluster>`. */
  readonly dashboardName: string;
  /** Its widgets, row by row, left to right. */
  readonly widgets: readonly DashboardWidget[];
}

/** A metric in a dimension set, as the configuration declares it. */
export interface DeclaredSeries {
  /** The metric. */
  readonly metricName: string;
  /** The dimension set, in the configuration's order. */
  readonly dimensions: readonly string[];
}

/** The exact-name selectors the configuration writes (`^name$`), back to names; other selectors are not ours. */
function selectedName(selector: string): string | undefined {
  const exact = /^\^([a-zA-Z_:][a-zA-Z0-9_:]*)\$$/.exec(selector);
  return exact?.[1];
}

/**
 * Every metric × dimension set the configuration sends to CloudWatch as
 * `ContainerInsights` metrics: each awsemf exporter's declarations.
 */
function declaredSeries(config: CollectorConfig): readonly DeclaredSeries[] {
  const known = declaredByConfig.get(config);
  if (known !== undefined) return known;
  const found: DeclaredSeries[] = [];
  for (const exporter of Object.values(config.exporters)) {
    if (exporter === undefined || !('metric_declarations' in exporter) || exporter.namespace !== NAMESPACE) continue;
    for (const declaration of exporter.metric_declarations) {
      for (const selector of declaration.metric_name_selectors) {
        const metricName = selectedName(selector);
        if (metricName === undefined) continue;
        for (const dimensions of declaration.dimensions) found.push({ metricName, dimensions: [...dimensions] });
      }
    }
  }
  declaredByConfig.set(config, found);
  return found;
}

/** The series of each configuration built, read once: collectors of one setting share one (collectorConfigOf). */
const declaredByConfig = new WeakMap<CollectorConfig, readonly DeclaredSeries[]>();

/** What level of the cluster a series is read at: the dimensions besides `ClusterName` (and `LaunchType`). */
type Level = 'cluster' | 'namespace' | 'workload';

const LEVEL_DIMENSIONS: Readonly<Record<Level, readonly string[]>> = {
  cluster: [],
  namespace: ['Namespace'],
  workload: ['Namespace', 'PodName'],
};

/** A series the dashboard would like, when the configuration declares it. */
interface Wanted {
  readonly metricName: string;
  readonly level: Level;
  readonly stat: DashboardSeries['stat'];
  readonly label: string;
  readonly query: DashboardQuery;
}

/** A widget the dashboard would like; dropped when none of its series is declared. */
interface WantedWidget {
  readonly kind: 'graph';
  readonly title: string;
  readonly width: number;
  readonly series: readonly Wanted[];
}

/**
 * The declared dimension set of a metric at a level: `ClusterName` and the
 * level's dimensions, with or without `LaunchType` (the reference profile's
 * sets carry it, the console's do not); the first the configuration declares.
 */
function declaredSet(declared: readonly DeclaredSeries[], wanted: Wanted): readonly string[] | undefined {
  const want = new Set(['ClusterName', ...LEVEL_DIMENSIONS[wanted.level]]);
  return declared.find((series) => {
    if (series.metricName !== wanted.metricName) return false;
    const rest = series.dimensions.filter((dimension) => dimension !== 'LaunchType');
    return rest.length === want.size && rest.every((dimension) => want.has(dimension));
  })?.dimensions;
}

const graph = (title: string, width: number, ...series: Wanted[]): WantedWidget => ({
  kind: 'graph',
  title,
  width,
  series,
});
const at = (
  metricName: string,
  level: Level,
  label: string,
  query: DashboardQuery = level === 'cluster' ? 'metric' : 'search',
  stat: DashboardSeries['stat'] = 'Average',
): Wanted => ({ metricName, level, stat, label, query });

/**
 * The graphs, row by row: the cluster's CPU, memory and network; the same by
 * namespace; the workloads that use the most; pod health (running and
 * pending pods, restarts, unavailable replicas); the collector's own health.
 * A row's widths add up to the grid's 24 columns.
 */
const ROWS: readonly (readonly WantedWidget[])[] = [
  [
    graph('CPU: utilization of the pods’ limit', 8, at('pod_cpu_utilization_over_pod_limit', 'cluster', 'cluster')),
    graph(
      'Memory: utilization of the pods’ limit',
      8,
      at('pod_memory_utilization_over_pod_limit', 'cluster', 'cluster'),
    ),
    graph(
      'Network: bytes per second',
      8,
      at('pod_network_rx_bytes', 'cluster', 'received'),
      at('pod_network_tx_bytes', 'cluster', 'sent'),
    ),
  ],
  [
    graph('CPU utilization by namespace', 12, at('pod_cpu_utilization_over_pod_limit', 'namespace', 'namespace')),
    graph('Memory utilization by namespace', 12, at('pod_memory_utilization_over_pod_limit', 'namespace', 'namespace')),
  ],
  [
    graph(
      'Top 10 workloads by CPU utilization',
      12,
      at('pod_cpu_utilization_over_pod_limit', 'workload', 'workload', 'top'),
    ),
    graph(
      'Top 10 workloads by memory utilization',
      12,
      at('pod_memory_utilization_over_pod_limit', 'workload', 'workload', 'top'),
    ),
  ],
  [
    graph(
      'Pods running and pending',
      8,
      at('cluster_number_of_running_pods', 'cluster', 'running', 'metric', 'Maximum'),
      at('pod_status_pending', 'cluster', 'pending', 'metric', 'Maximum'),
    ),
    graph(
      'Container restarts by workload',
      8,
      at('pod_number_of_container_restarts', 'workload', 'workload', 'search', 'Sum'),
    ),
    graph(
      'Unavailable replicas by workload',
      8,
      at('status_replicas_unavailable', 'workload', 'workload', 'search', 'Maximum'),
    ),
  ],
];

/** The collector's health: how many values it sends a minute, and the nodes kube-state-metrics sees. */
const COLLECTOR_HEALTH = graph(
  'Collector: values received a minute',
  12,
  at('pod_cpu_utilization_over_pod_limit', 'cluster', 'pod CPU values (one a pod a scrape)', 'metric', 'SampleCount'),
  at('cluster_node_count', 'cluster', 'node counts (one a scrape)', 'metric', 'SampleCount'),
);

/** Rows of widgets placed on the grid, left to right, each row below the tallest of the one above. */
function place(rows: readonly (readonly Omit<DashboardWidget, 'x' | 'y'>[])[]): DashboardWidget[] {
  const placed: DashboardWidget[] = [];
  let y = 0;
  for (const row of rows) {
    let x = 0;
    for (const widget of row) {
      placed.push({ ...widget, x, y });
      x += widget.width;
    }
    y += Math.max(0, ...row.map((widget) => widget.height));
  }
  return placed;
}

/** A row's widgets sharing the grid's width equally when some were dropped (the last takes what is left). */
function fill<T extends { readonly width: number }>(row: readonly T[]): T[] {
  const total = row.reduce((sum, widget) => sum + widget.width, 0);
  if (total === DASHBOARD_COLUMNS || row.length === 0) return [...row];
  const width = Math.floor(DASHBOARD_COLUMNS / row.length);
  return row.map((widget, i) => ({
    ...widget,
    width: i === row.length - 1 ? DASHBOARD_COLUMNS - width * (row.length - 1) : width,
  }));
}

const EMPTY = { series: [], alarmNames: [], markdown: '' } as const;

/** A wanted graph with only its declared series, or undefined when none is declared. */
function declaredGraph(
  declared: readonly DeclaredSeries[],
  widget: WantedWidget,
): Omit<DashboardWidget, 'x' | 'y'> | undefined {
  const series = widget.series.flatMap((wanted): DashboardSeries[] => {
    const dimensions = declaredSet(declared, wanted);
    if (dimensions === undefined) return [];
    const { metricName, stat, label, query } = wanted;
    return [{ metricName, dimensions, stat, label, query }];
  });
  return series.length === 0
    ? undefined
    : { ...EMPTY, kind: 'graph', title: widget.title, width: widget.width, height: 6, series };
}

/** What the dashboard is built from. */
export interface DashboardOptions {
  /** The collector's configuration options. */
  readonly configOptions: CollectorConfigOptions;
  /** The cluster's recommended alarms, if any. */
  readonly alarms: readonly PrerequisiteAlarm[];
}

/** The name of a cluster's dashboard; CloudWatch allows 255 of `A-Za-z0-9-_`, which an EKS name is made of. */
export function dashboardName(clusterName: string): string {
  return `ContainerInsights-${clusterName}`;
}

/**
 * A cluster's dashboard: a heading, the graphs of `ROWS` the configuration
 * declares, the collector's health and the alarms' state. None when the
 * configuration sends no `ContainerInsights` metrics (OTLP alone): its
 * metrics are PromQL's, which a dashboard body cannot yet hold (docs/prerequisites.md).
 */
export function clusterDashboard(options: DashboardOptions): PrerequisiteDashboard | undefined {
  const { configOptions, alarms } = options;
  const declared = declaredSeries(collectorConfigOf(configOptions));
  if (declared.length === 0) return undefined;
  const heading = {
    ...EMPTY,
    kind: 'text' as const,
    title: `${configOptions.clusterName} on EKS Fargate`,
    width: DASHBOARD_COLUMNS,
    height: 2,
    markdown: `# ${configOptions.clusterName} on EKS Fargate\nContainer Insights from the ADOT collector, from \`/aws/containerinsights/${configOptions.clusterName}/performance\`: the graphs are of the metrics the collector's configuration declares (cdk8s-fargate-container-insights).`,
  };
  const graphs = ROWS.map((row) => fill(row.flatMap((widget) => declaredGraph(declared, widget) ?? []))).filter(
    (row) => row.length > 0,
  );
  const health = declaredGraph(declared, COLLECTOR_HEALTH);
  const alarmWidget =
    alarms.length === 0
      ? undefined
      : {
          ...EMPTY,
          kind: 'alarms' as const,
          title: 'Alarms',
          width: 12,
          height: 6,
          alarmNames: alarms.map((alarm) => alarm.alarmName),
        };
  const last = fill([...(health === undefined ? [] : [health]), ...(alarmWidget === undefined ? [] : [alarmWidget])]);
  return {
    dashboardName: dashboardName(configOptions.clusterName),
    widgets: place([[heading], ...graphs, ...(last.length === 0 ? [] : [last])]),
  };
}
