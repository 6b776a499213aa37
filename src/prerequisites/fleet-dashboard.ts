import { DASHBOARD_COLUMNS, type DashboardWidget, type PrerequisiteDashboard } from './dashboard';
import { type DashboardContext, type DashboardWidgetJson, widgetJson } from './dashboard-body';

/**
 * A fleet's overview dashboard: for each cluster-wide graph of the clusters'
 * own dashboards (CPU, memory, network, pods running and pending, the
 * collector's values), one graph with a line per cluster, each line read in
 * its cluster's region. CloudWatch takes at most 500 metrics in a graph and
 * 500 widgets in a dashboard, so a graph of a larger fleet is split into
 * graphs of 500 lines. A fleet in more than one account names each line's
 * account, which CloudWatch reads through cross-account observability (the
 * account holding the dashboard must be their monitoring account).
 */

/** What the overview needs of a cluster. */
export interface FleetDashboardCluster extends DashboardContext {
  /** The cluster's own dashboard; none: the cluster sends no `ContainerInsights` metrics, and has no line. */
  readonly dashboard?: PrerequisiteDashboard;
}

/** The overview's name. */
export const FLEET_DASHBOARD_NAME = 'ContainerInsights-fleet';

/** CloudWatch's most metrics in one graph. */
const MAX_METRICS_PER_GRAPH = 500;
/** Two graphs a row. */
const GRAPH_WIDTH = DASHBOARD_COLUMNS / 2;
const GRAPH_HEIGHT = 6;
const HEADING_HEIGHT = 2;

/** A cluster's graphs that read the whole cluster: every series is its one value. */
function clusterGraphs(dashboard: PrerequisiteDashboard): DashboardWidget[] {
  return dashboard.widgets.filter(
    (widget) => widget.kind === 'graph' && widget.series.every((series) => series.query === 'metric'),
  );
}

/** A metric array entry of one cluster's graph, labelled and placed for the overview. */
function overviewEntry(entry: unknown, cluster: FleetDashboardCluster, several: boolean, accounts: number): unknown {
  const parts = entry as unknown[];
  const options = parts.at(-1) as { readonly stat: string; readonly label: string };
  return [
    ...parts.slice(0, -1),
    {
      stat: options.stat,
      label: several ? `${cluster.clusterName} ${options.label}` : cluster.clusterName,
      region: cluster.region,
      ...(accounts > 1 ? { accountId: cluster.account } : {}),
    },
  ];
}

/** The overview's `DashboardBody`: a heading, then a graph per cluster-wide graph title, two a row. */
export function fleetDashboardBody(clusters: readonly FleetDashboardCluster[]): Record<string, unknown> {
  const shown = clusters.filter((cluster) => cluster.dashboard !== undefined);
  const accounts = new Set(shown.map((cluster) => cluster.account)).size;
  const lines = new Map<string, { region: string; entries: unknown[] }>();
  for (const cluster of shown) {
    for (const graph of clusterGraphs(cluster.dashboard as PrerequisiteDashboard)) {
      const json = widgetJson(graph, cluster);
      const title = graph.title;
      const several = graph.series.length > 1;
      const line = lines.get(title) ?? { region: cluster.region, entries: [] };
      for (const entry of json.properties.metrics as unknown[]) {
        line.entries.push(overviewEntry(entry, cluster, several, accounts));
      }
      lines.set(title, line);
    }
  }
  const graphs = [...lines.entries()].flatMap(([title, { region, entries }]) => {
    const parts = Math.ceil(entries.length / MAX_METRICS_PER_GRAPH);
    return Array.from({ length: parts }, (_, part) => ({
      title: parts === 1 ? `${title}, by cluster` : `${title}, by cluster (${part + 1} of ${parts})`,
      region,
      metrics: entries.slice(part * MAX_METRICS_PER_GRAPH, (part + 1) * MAX_METRICS_PER_GRAPH),
    }));
  });
  const regions = [...new Set(shown.map((cluster) => cluster.region))].sort();
  const heading: DashboardWidgetJson = {
    type: 'text',
    x: 0,
    y: 0,
    width: DASHBOARD_COLUMNS,
    height: HEADING_HEIGHT,
    properties: {
      markdown: `# ${shown.length} clusters on EKS Fargate\nIn ${regions.join(', ')}: a line per cluster; each cluster's own dashboard is ContainerInsights-<cluster>.`,
    },
  };
  const widgets = graphs.map((graph, i): DashboardWidgetJson => {
    const alone = i === graphs.length - 1 && i % 2 === 0;
    return {
      type: 'metric',
      x: (i % 2) * GRAPH_WIDTH,
      y: HEADING_HEIGHT + Math.floor(i / 2) * GRAPH_HEIGHT,
      width: alone ? DASHBOARD_COLUMNS : GRAPH_WIDTH,
      height: GRAPH_HEIGHT,
      properties: {
        title: graph.title,
        region: graph.region,
        view: 'timeSeries',
        stacked: false,
        period: 60,
        metrics: graph.metrics,
        yAxis: { left: { min: 0 } },
      },
    };
  });
  return { start: '-PT3H', widgets: graphs.length === 0 ? [] : [heading, ...widgets] };
}
