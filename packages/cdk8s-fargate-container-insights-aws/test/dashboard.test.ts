import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { MetricsDestination } from 'cdk8s-fargate-container-insights';
import type { DashboardWidgetJson as Widget } from 'cdk8s-fargate-container-insights/internal';
import { FargateContainerInsightsAws } from 'cdk8s-fargate-container-insights-aws';
import { describe, expect, test } from 'vitest';
import { ACCOUNT, awsSide, CLUSTER, nagFindings, prerequisitesOf, REGION } from './support';

/**
 * The cluster's dashboard in the AWS CDK and so in the template: the
 * prerequisites' `dashboardBody`, widget for widget where it places them,
 * its alarm widget on the alarms the construct creates.
 */

/** A `DashboardBody` of the template: its `Fn::Join` parts, an attribute written as `<logical id>.<attribute>`. */
function bodyOf(template: Template): { start: string; widgets: Widget[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard?.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => {
            if (typeof part === 'string') return part;
            const [id, attribute] = (part as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
            return `${id}.${attribute}`;
          })
          .join('');
  return JSON.parse(text);
}

describe('the dashboard', () => {
  test('is the prerequisites’ dashboard, each widget where the body places it, the alarm widget on the alarms created', () => {
    const shape = { collector: { podHealth: {} } };
    const { template, aws } = awsSide(shape);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: `ContainerInsights-${CLUSTER}` });
    const expected = JSON.parse(prerequisitesOf(shape).dashboardBody as string) as { start: string; widgets: Widget[] };
    const actual = bodyOf(template);
    expect(actual.start).toBe(expected.start);
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarmIds).toHaveLength(4);
    expect(actual.widgets).toStrictEqual(
      expected.widgets.map((widget) =>
        widget.type === 'alarm'
          ? { ...widget, properties: { ...widget.properties, alarms: alarmIds.map((id) => `${id}.Arn`) } }
          : widget,
      ),
    );
    expect(aws.dashboard).toBeInstanceOf(cloudwatch.Dashboard);
  });

  test('takes widgets of your own below its own', () => {
    // Before the app synthesizes (awsSide's template has).
    const stack = new Stack(new App(), 'observability', { env: { account: ACCOUNT, region: REGION } });
    const aws = new FargateContainerInsightsAws(stack, 'ContainerInsights', { prerequisites: prerequisitesOf() });
    aws.dashboard?.addWidgets(new cloudwatch.TextWidget({ markdown: '# Ours', width: 24, height: 2 }));
    const { widgets } = bodyOf(Template.fromStack(stack));
    const ours = widgets.at(-1);
    expect(ours?.type).toBe('text');
    expect(ours?.properties.markdown).toBe('# Ours');
    expect(ours?.y).toBe(Math.max(...widgets.slice(0, -1).map((widget) => widget.y + widget.height)));
  });

  test('is left out with dashboard: false, and over OTLP alone, which has no ContainerInsights metric to graph', () => {
    const off = awsSide({}, { dashboard: false });
    off.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(off.aws.dashboard).toBeUndefined();
    const otlp = awsSide({ collector: { metricsDestination: MetricsDestination.OTLP } });
    otlp.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('brings no cdk-nag finding', () => {
    const { stack } = awsSide({ collector: { podHealth: {} } });
    expect(nagFindings(stack).filter((finding) => finding.includes('Dashboard'))).toStrictEqual([]);
  });
});
