import { App as CdkApp, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { App, Chart, Duration } from 'cdk8s';
import {
  CollectorPrerequisites,
  FargateContainerInsightsCollector,
  MetricsDestination,
} from 'cdk8s-fargate-container-insights';
import { FargateContainerInsightsAws, FargateContainerInsightsStack } from 'cdk8s-fargate-container-insights-aws';
import { describe, expect, test } from 'vitest';
import {
  ACCOUNT,
  awsSide,
  CLOUDWATCH,
  CLUSTER,
  nagFindings,
  PROMETHEUS,
  PROVIDER,
  PROVIDER_ARN,
  prerequisitesOf,
  REGION,
  ROLE_ARN,
  type Shape,
  WORKSPACE,
} from './support';

describe('the collector role', () => {
  test('has the name and path of serviceAccountRoleArn and trusts only the collector service account, through the cluster OIDC provider', () => {
    const { template } = awsSide();
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `${CLUSTER}-adot-collector`,
      Path: '/',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: PROVIDER_ARN },
            Condition: {
              StringEquals: {
                [`${PROVIDER}:sub`]: 'system:serviceaccount:fargate-container-insights:adot-collector',
                [`${PROVIDER}:aud`]: 'sts.amazonaws.com',
              },
            },
          },
        ],
      },
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
    });
  });

  test('follows the collector: its namespace, its path, its policies per destination', () => {
    const shape: Shape = {
      collector: {
        namespace: 'observability',
        serviceAccountRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform/${CLUSTER}-collector`,
        metricsDestination: MetricsDestination.OTLP,
        performanceLogGroupTags: { team: 'platform' },
      },
    };
    const prerequisites = prerequisitesOf(shape);
    const { template } = awsSide(shape);
    const role = Object.values(
      template.findResources('AWS::IAM::Role', { Properties: { RoleName: `${CLUSTER}-collector` } }),
    )[0];
    expect(role?.Properties.Path).toBe('/platform/');
    // OTLP alone writes no Embedded Metric Format: no managed policy, only PutMetricData.
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies.map((p: { PolicyName: string }) => p.PolicyName)).toStrictEqual(
      prerequisites.inlinePolicies.map((p) => p.policyName),
    );
    expect(JSON.stringify(role?.Properties.Policies)).toContain('cloudwatch:PutMetricData');
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(
      'system:serviceaccount:observability:adot-collector',
    );
  });

  test('with remote write to Managed Prometheus, may write to that workspace alone', () => {
    const { template } = awsSide({ collector: { applicationMetrics: PROMETHEUS } });
    const text = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(text).toContain('aps:RemoteWrite');
    expect(text).toContain(`arn:aws:aps:${REGION}:${ACCOUNT}:workspace/${WORKSPACE}`);
  });

  test("a cluster defined in the app: its provider's issuer is a token, so the trust conditions go through CfnJson", () => {
    const app = new CdkApp();
    const stack = new Stack(app, 'observability', { env: { account: ACCOUNT, region: REGION } });
    const cluster = new eks.Cluster(stack, 'Cluster', { clusterName: CLUSTER, version: eks.KubernetesVersion.V1_33 });
    new FargateContainerInsightsAws(stack, 'ContainerInsights', {
      prerequisites: prerequisitesOf({ oidcIssuer: false }),
      cluster,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `${CLUSTER}-adot-collector`,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: { StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrustConditions'), 'Value'] } },
          }),
        ],
      },
    });
    template.resourceCountIs('Custom::AWSCDKCfnJson', 1);
    // The profiles are for that cluster, by its reference.
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      ClusterName: { Ref: Match.stringLikeRegexp('Cluster') },
    });
  });
});

describe('the log groups', () => {
  test("the performance group with the collector's retention and tags, retained by default", () => {
    const { template } = awsSide({
      collector: { performanceLogRetentionDays: 30, performanceLogGroupTags: { team: 'platform', env: 'prod' } },
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: `/aws/containerinsights/${CLUSTER}/performance`,
        RetentionInDays: 30,
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'platform' },
        ],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('retention 0 keeps the events forever: no RetentionInDays', () => {
    const { template } = awsSide({ collector: { performanceLogRetentionDays: 0 } });
    const [group] = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(group?.Properties.RetentionInDays).toBeUndefined();
  });

  test("the user's retention, tags and removal policy win", () => {
    const { template } = awsSide(
      { logging: true },
      {
        logRetention: logs.RetentionDays.ONE_WEEK,
        logGroupTags: { cost: 'obs' },
        logGroupRemovalPolicy: RemovalPolicy.DESTROY,
      },
    );
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.map((g) => g.Properties.LogGroupName)).toStrictEqual([
      `/aws/containerinsights/${CLUSTER}/performance`,
      `/aws/containerinsights/${CLUSTER}/application`,
    ]);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBe(7);
      expect(group.Properties.Tags).toContainEqual({ Key: 'cost', Value: 'obs' });
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });

  test('application metrics to CloudWatch and Fargate logging add their groups, named as the manifests name them', () => {
    const prerequisites = prerequisitesOf({
      logging: true,
      collector: { applicationMetrics: CLOUDWATCH },
    });
    const { template } = awsSide({ logging: true, collector: { applicationMetrics: CLOUDWATCH } });
    const names = Object.values(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.LogGroupName);
    expect(names).toStrictEqual(prerequisites.logGroups.map((g) => g.logGroupName));
    expect(names).toHaveLength(3);
  });
});

describe('the Fargate profiles', () => {
  test('one per namespace that runs pods, one after another, with a pod execution role for this cluster only', () => {
    const { template } = awsSide({ sample: true, logging: true });
    const profiles = template.findResources('AWS::EKS::FargateProfile');
    const byName = Object.fromEntries(
      Object.entries(profiles).map(([id, p]) => [p.Properties.FargateProfileName, { id, ...p }]),
    );
    expect(Object.keys(byName)).toStrictEqual(['fargate-container-insights', 'golang']);
    expect(byName.golang?.DependsOn).toStrictEqual([byName['fargate-container-insights']?.id]);
    expect(byName.golang?.Properties.Selectors).toStrictEqual([{ Namespace: 'golang' }]);
    expect(byName.golang?.Properties.Subnets).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
            Condition: {
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`:fargateprofile/${CLUSTER}/\\*$`)])],
                },
              },
            },
          },
        ],
      },
    });
    // Fargate logging: the pod execution role may write the logs.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['logs:PutLogEvents']) })]),
      },
    });
  });

  test("the user's pod execution role and subnets; or no profiles at all", () => {
    const app = new CdkApp();
    const stack = new Stack(app, 'observability', { env: { account: ACCOUNT, region: REGION } });
    new FargateContainerInsightsAws(stack, 'ContainerInsights', {
      prerequisites: prerequisitesOf(),
      podExecutionRole: iam.Role.fromRoleArn(stack, 'Pods', `arn:aws:iam::${ACCOUNT}:role/pods`),
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      PodExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/pods`,
      Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    template.resourceCountIs('AWS::IAM::Role', 1);

    awsSide({}, { fargateProfiles: false }).template.resourceCountIs('AWS::EKS::FargateProfile', 0);
  });
});

describe('operator mode', () => {
  test("installs the ADOT add-on after the operator's and cert-manager's profiles", () => {
    const { template } = awsSide({ operator: true }, { addonVersion: 'v0.156.0-eksbuild.1' });
    const profiles = Object.values(template.findResources('AWS::EKS::FargateProfile')).map(
      (p) => p.Properties.FargateProfileName,
    );
    expect(profiles).toStrictEqual(['fargate-container-insights', 'opentelemetry-operator-system', 'cert-manager']);
    const [[, addon]] = Object.entries(template.findResources('AWS::EKS::Addon')) as [
      [string, { Properties: Record<string, unknown>; DependsOn: string[] }],
    ];
    expect(addon.Properties).toStrictEqual({
      AddonName: 'adot',
      AddonVersion: 'v0.156.0-eksbuild.1',
      ClusterName: CLUSTER,
    });
    expect(addon.DependsOn).toHaveLength(3);
  });

  test('takes configuration values as a JSON object, and refuses anything else by name', () => {
    const { template } = awsSide({ operator: true }, { addonConfigurationValues: '{"manager":{"resources":{}}}' });
    template.hasResourceProperties('AWS::EKS::Addon', { ConfigurationValues: '{"manager":{"resources":{}}}' });
    expect(() => awsSide({ operator: true }, { addonConfigurationValues: 'webhook: 10260' })).toThrow(
      /^Invalid addonConfigurationValues "webhook: 10260": expected a JSON object/,
    );
  });

  test('without operator mode there is no add-on', () => {
    awsSide().template.resourceCountIs('AWS::EKS::Addon', 0);
  });
});

describe('charts into the cluster', () => {
  test('addCdk8sChart deploys the charts after the role, the log groups and the profiles', () => {
    const app = new CdkApp();
    const stack = new Stack(app, 'observability', { env: { account: ACCOUNT, region: REGION } });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: CLUSTER,
      openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', PROVIDER_ARN),
      kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', {
        serviceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:kubectl`,
      }),
    });
    const chart = new Chart(new App(), 'fargate-container-insights');
    const collector = new FargateContainerInsightsCollector(chart, 'collector', {
      clusterName: CLUSTER,
      region: REGION,
      serviceAccountRoleArn: ROLE_ARN,
    });
    const aws = new FargateContainerInsightsAws(stack, 'ContainerInsights', {
      prerequisites: CollectorPrerequisites.of({ collector }),
      cluster,
      charts: [chart],
    });
    const template = Template.fromStack(stack);
    const [[, manifest]] = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')) as [
      [string, { Properties: { Manifest: unknown }; DependsOn: string[] }],
    ];
    expect(JSON.stringify(manifest.Properties.Manifest)).toContain('StatefulSet');
    expect(manifest.DependsOn).toEqual(
      expect.arrayContaining([stack.getLogicalId(aws.collectorRole.node.defaultChild as never)]),
    );
    expect(aws.manifests).toHaveLength(1);
  });

  test('charts without a cluster are refused by name', () => {
    expect(() => awsSide({}, { charts: [new Chart(new App(), 'x')] })).toThrow(
      /^Invalid charts \(1 charts\): addCdk8sChart needs the cluster/,
    );
  });
});

describe('the pod health alarms', () => {
  test('one per recommended alarm, on the cluster-wide metrics, with the thresholds of the settings', () => {
    const { template } = awsSide({
      collector: { podHealth: { alarms: { restarts: 5, restartMinutes: 15, pendingMinutes: 20 } } },
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    const dimensions = [{ Name: 'ClusterName', Value: CLUSTER }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${CLUSTER}-pod-restarts`,
      Namespace: 'ContainerInsights',
      MetricName: 'pod_number_of_container_restarts',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 900,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${CLUSTER}-pods-pending`,
      MetricName: 'pod_status_pending',
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 20,
      DatapointsToAlarm: 20,
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${CLUSTER}-replicas-unavailable`,
      MetricName: 'status_replicas_unavailable',
      EvaluationPeriods: 10,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${CLUSTER}-collector-silent`,
      MetricName: 'cluster_node_count',
      Statistic: 'SampleCount',
      Period: 600,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('a slower scrape: periods that hold one', () => {
    const prerequisites = prerequisitesOf({ collector: { podHealth: {}, scrapeInterval: Duration.seconds(90) } });
    const pending = prerequisites.alarms.find((a) => a.metricName === 'pod_status_pending');
    expect(pending).toMatchObject({ periodSeconds: 120, evaluationPeriods: 5, datapointsToAlarm: 5 });
  });

  test('they notify the topic, in alarm and back to OK; none without pod health, or with alarms off', () => {
    const { stack, template } = awsSide({ collector: { podHealth: {} } });
    const topic = new sns.Topic(stack, 'Pager');
    const withTopic = new FargateContainerInsightsAws(stack, 'Second', {
      prerequisites: prerequisitesOf({ collector: { podHealth: {} } }),
      alarmTopic: topic,
    });
    for (const alarm of withTopic.alarms) {
      const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
      expect(stack.resolve(cfn.alarmActions)).toStrictEqual([
        { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) },
      ]);
      expect(stack.resolve(cfn.okActions)).toStrictEqual(stack.resolve(cfn.alarmActions));
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    awsSide().template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    awsSide({ collector: { podHealth: { alarms: { enabled: false } } } }).template.resourceCountIs(
      'AWS::CloudWatch::Alarm',
      0,
    );
  });

  test('the template takes the topic as a parameter, and none when it is empty', () => {
    const template = JSON.parse(
      FargateContainerInsightsStack.template(prerequisitesOf({ collector: { podHealth: {} } })),
    );
    const alarms = Object.values(
      template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toStrictEqual({
        'Fn::If': ['AlarmTopicGiven', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
      });
    }
    expect(template.Parameters.AlarmTopicArn.Default).toBe('');
  });
});

describe('cdk-nag AwsSolutions', () => {
  test.each([
    ['the default shape', {}],
    ['operator mode with the sample and Fargate logging', { operator: true, sample: true, logging: true }],
    ['pod health with its alarms', { collector: { podHealth: {} } }],
    [
      'OTLP and Managed Prometheus',
      {
        collector: {
          metricsDestination: MetricsDestination.BOTH,
          performanceLogGroupTags: { team: 'platform' },
          applicationMetrics: PROMETHEUS,
        },
      },
    ],
  ] as [string, Shape][])('%s: no finding the construct does not justify', (_, shape) => {
    const { stack } = awsSide(shape);
    expect(nagFindings(stack)).toStrictEqual([]);
  });

  test('the template stack too', () => {
    const app = new CdkApp();
    const stack = new FargateContainerInsightsStack(app, 'fargate-container-insights', {
      prerequisites: prerequisitesOf({ operator: true, logging: true, sample: true }),
    });
    expect(nagFindings(stack)).toStrictEqual([]);
  });

  test('every acknowledgement has a reason', () => {
    const { stack } = awsSide({ operator: true, sample: true, logging: true });
    const reasons = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.values(m.data as Record<string, string>));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  });
});
