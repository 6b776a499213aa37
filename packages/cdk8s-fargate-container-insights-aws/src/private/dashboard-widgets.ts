import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CollectorPrerequisites } from 'cdk8s-fargate-container-insights';
import type { DashboardWidgetJson } from 'cdk8s-fargate-container-insights/internal';
import type { Construct } from 'constructs';

/**
 * The prerequisites' dashboard (`CollectorPrerequisites.dashboardBody`) as an
 * aws-cdk-lib `Dashboard`: each widget of the body, in its rows, so that the
 * Dashboard places it where the body has it, and the alarm widget points at
 * the alarms this construct creates. Users can add widgets of their own below.
 */

/** One widget of the body, placed by the Dashboard; an alarm widget lists the given alarms. */
class BodyWidget implements cloudwatch.IWidget {
  public readonly width: number;
  public readonly height: number;
  private x = 0;
  private y = 0;

  public constructor(
    private readonly json: DashboardWidgetJson,
    private readonly alarmArns: readonly string[],
  ) {
    this.width = json.width;
    this.height = json.height;
  }

  public position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  public toJson(): unknown[] {
    const { type, width, height, properties } = this.json;
    const placed = type === 'alarm' ? { ...properties, alarms: [...this.alarmArns] } : properties;
    return [{ type, x: this.x, y: this.y, width, height, properties: placed }];
  }
}

/** The body's widgets, row by row. */
function rows(widgets: readonly DashboardWidgetJson[]): DashboardWidgetJson[][] {
  const byRow = new Map<number, DashboardWidgetJson[]>();
  for (const widget of widgets) byRow.set(widget.y, [...(byRow.get(widget.y) ?? []), widget]);
  return [...byRow.keys()].sort((a, b) => a - b).map((y) => byRow.get(y) ?? []);
}

/** The cluster's dashboard, its alarm widget on the given alarms; none when the prerequisites have none. */
export function addDashboard(
  scope: Construct,
  prerequisites: CollectorPrerequisites,
  alarms: readonly cloudwatch.IAlarm[],
): cloudwatch.Dashboard | undefined {
  if (prerequisites.dashboardBody === undefined) return undefined;
  const body = JSON.parse(prerequisites.dashboardBody) as { start: string; widgets: DashboardWidgetJson[] };
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: prerequisites.dashboardName,
    start: body.start,
  });
  const arns = alarms.map((alarm) => alarm.alarmArn);
  for (const row of rows(body.widgets)) dashboard.addWidgets(...row.map((widget) => new BodyWidget(widget, arns)));
  return dashboard;
}
