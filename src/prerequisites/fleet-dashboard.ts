import { DASHBOARD_COLUMNS, type PrerequisiteDashboard } from './dashboard';
import { type DashboardContext, type DashboardWidgetJson, widgetJson } from './dashboard-body';

/**
 * A fleet's overview dashboard: one row per cluster, its name and where it
 * runs, then the graphs of its own dashboard that read the whole cluster
 * (CPU, memory, network, pods running and pending, the collector's values),
 * each in the cluster's region. A fleet in more than one account names each
 * metric's account, which CloudWatch reads through cross-account
 * observability (the account holding the dashboard must be its monitoring
 * account).
 */

/** What the overview needs of a cluster. */
export interface FleetDashboardCluster extends DashboardContext {
  /** The cluster's own dashboard; none: the cluster sends no `ContainerInsights` metrics, and has no row. */
  readonly dashboard?: PrerequisiteDashboard;
}

/** The overview's name. */
export const FLEET_DASHBOARD_NAME = 'ContainerInsights-fleet';

/** Columns of a row's heading; the graphs share the rest. */
const HEADING_COLUMNS = 4;
/** Rows high of a cluster's row. */
const ROW_HEIGHT = 5;

/** A cluster's graphs that read the whole cluster: every series is its one value. */
function clusterGraphs(dashboard: PrerequisiteDashboard) {
  return dashboard.widgets.filter(
    (widget) => widget.kind === 'graph' && widget.series.every((series) => series.query === 'metric'),
  );
}

/** A metric array entry with the account it is in, for a fleet that spans accounts. */
function inAccount(entry: unknown, account: string): unknown {
  if (!Array.isArray(entry)) return entry;
  const options = entry.at(-1) as Record<string, unknown>;
  return [...entry.slice(0, -1), { ...options, accountId: account }];
}

/** The overview's `DashboardBody`: a row per cluster with a dashboard, in the order given. */
export function fleetDashboardBody(clusters: readonly FleetDashboardCluster[]): Record<string, unknown> {
  const shown = clusters.filter((cluster) => cluster.dashboard !== undefined);
  const accounts = new Set(shown.map((cluster) => cluster.account));
  const widgets: DashboardWidgetJson[] = shown.flatMap((cluster, row) => {
    const y = row * ROW_HEIGHT;
    const graphs = clusterGraphs(cluster.dashboard as PrerequisiteDashboard);
    const width = Math.floor((DASHBOARD_COLUMNS - HEADING_COLUMNS) / Math.max(1, graphs.length));
    const heading: DashboardWidgetJson = {
      type: 'text',
      x: 0,
      y,
      width: HEADING_COLUMNS,
      height: ROW_HEIGHT,
      properties: {
        markdown: `### ${cluster.clusterName}\n${cluster.region}, account ${cluster.account}\n\nDashboard: ${cluster.dashboard?.dashboardName}`,
      },
    };
    return [
      heading,
      ...graphs.map((graph, i): DashboardWidgetJson => {
        const last = i === graphs.length - 1;
        const x = HEADING_COLUMNS + i * width;
        const json = widgetJson(
          { ...graph, x, y, width: last ? DASHBOARD_COLUMNS - x : width, height: ROW_HEIGHT },
          cluster,
        );
        if (accounts.size < 2) return json;
        const metrics = (json.properties.metrics as unknown[]).map((entry) => inAccount(entry, cluster.account));
        return { ...json, properties: { ...json.properties, metrics } };
      }),
    ];
  });
  return { start: '-PT3H', widgets };
}
