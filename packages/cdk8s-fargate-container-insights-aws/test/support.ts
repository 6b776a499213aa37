import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { App, Chart } from 'cdk8s';
import {
  type ApplicationMetrics,
  CollectorPrerequisites,
  type CollectorPrerequisitesOptions,
  FargateContainerInsightsCollector,
  type FargateContainerInsightsCollectorProps,
  FargateContainerInsightsOperatorCollector,
  FargateLogging,
  SampleGoWebapp,
} from 'cdk8s-fargate-container-insights';
import {
  FargateContainerInsightsAws,
  type FargateContainerInsightsAwsProps,
} from 'cdk8s-fargate-container-insights-aws';

/** What the companion's tests share: a collector's prerequisites of a shape, and its AWS side in a stack. */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const CLUSTER = 'prod-eu';
export const ISSUER_ID = 'EXAMPLED539D4633E53DE1B716D3041E';
export const PROVIDER = `oidc.eks.${REGION}.amazonaws.com/id/${ISSUER_ID}`;
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${PROVIDER}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-adot-collector`;
export const WORKSPACE = 'ws-0123abcd-4567-89ef-0123-456789abcdef';
export const PROMETHEUS: ApplicationMetrics = {
  managedPrometheus: {
    remoteWriteUrl: `https://aps-workspaces.${REGION}.amazonaws.com/workspaces/${WORKSPACE}/api/v1/remote_write`,
  },
};
export const CLOUDWATCH: ApplicationMetrics = {
  cloudWatch: { declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'namespace']] }] },
};

export interface Shape {
  readonly collector?: Partial<FargateContainerInsightsCollectorProps>;
  readonly operator?: boolean;
  readonly sample?: boolean;
  readonly logging?: boolean;
  readonly oidcIssuer?: boolean;
}

/** The prerequisites of a collector of this shape, as the cdk8s side derives them. */
export function prerequisitesOf(shape: Shape = {}): CollectorPrerequisites {
  const chart = new Chart(new App(), 'fargate-container-insights');
  const props = { clusterName: CLUSTER, region: REGION, serviceAccountRoleArn: ROLE_ARN, ...shape.collector };
  const collector = shape.operator
    ? new FargateContainerInsightsOperatorCollector(chart, 'collector', props)
    : new FargateContainerInsightsCollector(chart, 'collector', props);
  const options: CollectorPrerequisitesOptions = {
    collector,
    ...(shape.sample ? { workloadNamespaces: [new SampleGoWebapp(chart, 'sample').namespace.name] } : {}),
    ...(shape.logging
      ? { logging: new FargateLogging(chart, 'logging', { clusterName: CLUSTER, region: REGION }) }
      : {}),
    ...(shape.oidcIssuer === false ? {} : { oidcIssuer: `https://${PROVIDER}` }),
  };
  return CollectorPrerequisites.of(options);
}

/** A stack in the collector's account and region with the AWS side of a collector of this shape. */
export function awsSide(shape: Shape = {}, props: Partial<FargateContainerInsightsAwsProps> = {}) {
  const app = new CdkApp();
  const stack = new Stack(app, 'observability', { env: { account: ACCOUNT, region: REGION } });
  const aws = new FargateContainerInsightsAws(stack, 'ContainerInsights', {
    prerequisites: prerequisitesOf(shape),
    ...props,
  });
  return { app, stack, aws, template: Template.fromStack(stack) };
}

/** cdk-nag's AwsSolutions findings on a scope, as rule ids with their resources. */
export function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.map(
    (v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );
}
