import type { DashboardSeries, DashboardWidget, PrerequisiteDashboard } from './dashboard';

/**
 * A dashboard as CloudWatch reads it: the `DashboardBody` JSON of
 * `PutDashboard` and `AWS::CloudWatch::Dashboard`, as the CloudWatch API
 * reference's "Dashboard Body Structure and Syntax" gives it (metric widgets
 * with metric arrays, SEARCH and Metrics Insights expressions; alarm status
 * widgets by ARN; text widgets in Markdown).
 */

/** A widget of a `DashboardBody`, as CloudWatch reads it. */
export interface DashboardWidgetJson {
  /** `metric`, `alarm` or `text`. */
  readonly type: string;
  /** Column, from the left. */
  readonly x: number;
  /** Row, from the top. */
  readonly y: number;
  /** Columns wide. */
  readonly width: number;
  /** Rows high. */
  readonly height: number;
  /** The widget's properties, by type. */
  readonly properties: Record<string, unknown>;
}

/** Where the dashboard's metrics and alarms are. */
export interface DashboardContext {
  /** The cluster's name: every metric's `ClusterName`. */
  readonly clusterName: string;
  /** The cluster's region. */
  readonly region: string;
  /** The partition of the alarms' ARNs. */
  readonly partition: string;
  /** The account of the alarms' ARNs. */
  readonly account: string;
}

/** The graphs' period, in seconds: a minute, as the collector scrapes. */
const PERIOD_SECONDS = 60;
/** Metrics Insights' period for the top-10 tables: five minutes smooths a scrape's jitter. */
const TOP_PERIOD_SECONDS = 300;

/** The value a cluster-level series has for each of its dimensions. */
function dimensionValue(dimension: string, context: DashboardContext): string {
  if (dimension === 'ClusterName') return context.clusterName;
  if (dimension === 'LaunchType') return 'fargate';
  throw new Error(`A cluster-level series has no value for the dimension ${dimension}`);
}

const INSIGHTS_FUNCTIONS: Readonly<Record<DashboardSeries['stat'], string>> = {
  Average: 'AVG',
  Sum: 'SUM',
  Maximum: 'MAX',
  Minimum: 'MIN',
  SampleCount: 'COUNT',
};

/** One entry of a metric widget's `metrics` array. */
function metricEntry(series: DashboardSeries, index: number, context: DashboardContext): unknown[] {
  const cluster = JSON.stringify(context.clusterName);
  switch (series.query) {
    case 'metric':
      return [
        'ContainerInsights',
        series.metricName,
        ...series.dimensions.flatMap((dimension) => [dimension, dimensionValue(dimension, context)]),
        { stat: series.stat, label: series.label },
      ];
    case 'search':
      return [
        {
          expression: `SEARCH('{ContainerInsights,${series.dimensions.join(',')}} MetricName="${series.metricName}" ClusterName=${cluster}', '${series.stat}', ${PERIOD_SECONDS})`,
          id: `s${index}`,
        },
      ];
    case 'top': {
      const fn = INSIGHTS_FUNCTIONS[series.stat];
      const groups = series.dimensions.filter((dimension) => dimension !== 'ClusterName' && dimension !== 'LaunchType');
      return [
        {
          expression: `SELECT ${fn}(${series.metricName}) FROM SCHEMA(ContainerInsights, ${series.dimensions.join(', ')}) WHERE ClusterName = '${context.clusterName}' GROUP BY ${groups.join(', ')} ORDER BY ${fn}() DESC LIMIT 10`,
          id: `q${index}`,
          period: TOP_PERIOD_SECONDS,
        },
      ];
    }
  }
}

/** A widget's properties, by kind. */
function properties(widget: DashboardWidget, context: DashboardContext): Record<string, unknown> {
  switch (widget.kind) {
    case 'text':
      return { markdown: widget.markdown };
    case 'alarms':
      return {
        title: widget.title,
        alarms: widget.alarmNames.map(
          (name) => `arn:${context.partition}:cloudwatch:${context.region}:${context.account}:alarm:${name}`,
        ),
      };
    case 'graph':
      return {
        title: widget.title,
        region: context.region,
        view: 'timeSeries',
        stacked: false,
        period: PERIOD_SECONDS,
        metrics: widget.series.map((series, i) => metricEntry(series, i, context)),
        yAxis: { left: { min: 0 } },
      };
  }
}

/** A widget as CloudWatch reads it, at its place on the grid. */
export function widgetJson(widget: DashboardWidget, context: DashboardContext): DashboardWidgetJson {
  const type = widget.kind === 'graph' ? 'metric' : widget.kind === 'alarms' ? 'alarm' : 'text';
  const { x, y, width, height } = widget;
  return { type, x, y, width, height, properties: properties(widget, context) };
}

/** The whole `DashboardBody`: the last three hours, every widget. */
export function dashboardBody(dashboard: PrerequisiteDashboard, context: DashboardContext): Record<string, unknown> {
  return { start: '-PT3H', widgets: dashboard.widgets.map((widget) => widgetJson(widget, context)) };
}
