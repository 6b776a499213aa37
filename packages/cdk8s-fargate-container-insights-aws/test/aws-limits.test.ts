import { App as CdkApp, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { App, Chart } from 'cdk8s';
import {
  CollectorPrerequisites,
  FargateContainerInsightsCollector,
  ValidationError,
} from 'cdk8s-fargate-container-insights';
import {
  FargateContainerInsightsAws,
  type FargateContainerInsightsAwsProps,
  FargateContainerInsightsStack,
} from 'cdk8s-fargate-container-insights-aws';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { budget, check, Tally } from '../../../test/support/property';
import { cloudFormationProblems } from '../../../tools/cloudformation-spec';
import { ACCOUNT, awsSide, CLUSTER, ISSUER_ID, PROVIDER, PROVIDER_ARN, prerequisitesOf, REGION } from './support';

/**
 * The AWS side refuses by name what CloudFormation, CloudWatch Logs,
 * CloudWatch alarms and EKS would refuse at deploy time, and what would
 * otherwise fail inside aws-cdk-lib; values known only at deploy time
 * (tokens) and the documented fallbacks work.
 */

describe('log groups and the add-on: what CloudWatch Logs and EKS refuse', () => {
  test.each<[string, Partial<FargateContainerInsightsAwsProps>, string]>([
    [
      'a removal policy a log group does not have',
      { logGroupRemovalPolicy: RemovalPolicy.SNAPSHOT },
      'Invalid logGroupRemovalPolicy SNAPSHOT: a log group has no snapshots',
    ],
    [
      'a misspelt prop, which would otherwise be ignored',
      { logRetentions: 30 } as Partial<FargateContainerInsightsAwsProps>,
      'Unknown field logRetentions: did you mean "logRetention"? expected one of prerequisites, cluster,',
    ],
    [
      'an empty add-on version',
      { addonVersion: '' },
      'Invalid addonVersion "": expected an EKS add-on version "vMAJOR.MINOR.PATCH-eksbuild.N"',
    ],
    ['an add-on version without its build', { addonVersion: 'v0.109.0' }, 'Invalid addonVersion "v0.109.0"'],
    [
      'more than 50 tags on a log group',
      { logGroupTags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'x'])) },
      `Invalid logGroupTags: 51 tags on /aws/containerinsights/${CLUSTER}/performance (the collector's included); a log group takes at most 50.`,
    ],
    [
      'an empty tag key',
      { logGroupTags: { '': 'x' } },
      'Invalid logGroupTags: key "" has 0 characters; expected 1 to 128.',
    ],
    [
      'a tag key with the aws: prefix',
      { logGroupTags: { 'aws:team': 'x' } },
      'Invalid logGroupTags: key "aws:team" starts with aws:, which is reserved for AWS.',
    ],
    [
      'a tag key with a character CloudWatch Logs refuses',
      { logGroupTags: { 'team!': 'x' } },
      'Invalid logGroupTags: key "team!" has characters other than letters, digits, spaces and _ . : / = + - @.',
    ],
    [
      'a tag value longer than 256 characters',
      { logGroupTags: { team: 'x'.repeat(257) } },
      'Invalid logGroupTags: the value of "team" has 257 characters; expected at most 256.',
    ],
  ])('refuses %s by name, before any resource', (_, props, message) => {
    expect(() => awsSide({}, props)).toThrow(ValidationError);
    expect(() => awsSide({}, props)).toThrow(message);
  });

  test('accepts what CloudWatch Logs and EKS accept: RETAIN_ON_UPDATE_OR_DELETE, a built add-on version, tags of every allowed character', () => {
    const tags = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`team:${i} a/b=c+d-e@f_g.h`, 'é 1']));
    const { template } = awsSide(
      { operator: true },
      {
        logGroupRemovalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        addonVersion: 'v0.109.0-eksbuild.2',
        logGroupTags: tags,
      },
    );
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toHaveLength(1);
  });
});

describe('bad input: named errors, before anything is synthesized', () => {
  test('a cluster, region, account or OIDC provider that contradicts the collector', () => {
    const prerequisites = prerequisitesOf();
    const stackIn = (env: { account: string; region: string }) => new Stack(new CdkApp(), 's', { env });
    expect(
      () => new FargateContainerInsightsAws(stackIn({ account: ACCOUNT, region: 'us-east-1' }), 'A', { prerequisites }),
    ).toThrow(`Invalid stack region "us-east-1": the collector's cluster ${CLUSTER} is in ${REGION}`);
    expect(
      () =>
        new FargateContainerInsightsAws(stackIn({ account: '210987654321', region: REGION }), 'A', { prerequisites }),
    ).toThrow(/^Invalid stack account "210987654321": the collector's role .* is in account 123456789012/);
    const stack = stackIn({ account: ACCOUNT, region: REGION });
    expect(
      () =>
        new FargateContainerInsightsAws(stack, 'A', {
          prerequisites,
          cluster: eks.Cluster.fromClusterAttributes(stack, 'Other', { clusterName: 'staging' }),
        }),
    ).toThrow(`Invalid cluster "staging": the collector is for cluster "${CLUSTER}"`);
    const elsewhere = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/${ISSUER_ID}`;
    expect(
      () =>
        new FargateContainerInsightsAws(stackIn({ account: ACCOUNT, region: REGION }), 'A', {
          prerequisites: prerequisitesOf({ oidcIssuer: false }),
          openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Elsewhere', elsewhere),
        }),
    ).toThrow(/^Invalid openIdConnectProvider "oidc\.eks\.us-east-1\.amazonaws\.com\/id\/.*": it is in us-east-1/);
    expect(
      () =>
        new FargateContainerInsightsAws(stackIn({ account: ACCOUNT, region: REGION }), 'A', {
          prerequisites,
          openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
            stack,
            'Another',
            `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
          ),
        }),
    ).toThrow(/^Invalid openIdConnectProvider .*: the prerequisites' oidcIssuer is "https:\/\/oidc/);
  });

  test('no OIDC provider at all', () => {
    expect(() => awsSide({ oidcIssuer: false })).toThrow(/^Missing OIDC provider for cluster prod-eu: set cluster/);
  });
});

describe('clusters defined in the app, imported, and without what a prop needs', () => {
  /** A stack in the collector's account and region. */
  const stackHere = () => new Stack(new CdkApp(), 'observability', { env: { account: ACCOUNT, region: REGION } });

  test('a cluster whose name is a token (a parameter, a cluster of this app): one alarm each, on the token', () => {
    const stack = stackHere();
    const name = new CfnParameter(stack, 'ClusterName', { type: 'String' }).valueAsString;
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: name });
    const aws = new FargateContainerInsightsAws(stack, 'ContainerInsights', {
      prerequisites: prerequisitesOf({ collector: { podHealth: {} } }),
      cluster,
    });
    expect(aws.alarms.map((alarm) => alarm.node.id)).toStrictEqual([
      'Alarm-pod-restarts',
      'Alarm-pods-pending',
      'Alarm-replicas-unavailable',
      'Alarm-collector-silent',
    ]);
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmName).toMatch(new RegExp(`^${CLUSTER}-`));
      expect(alarm.Properties.Dimensions).toContainEqual({ Name: 'ClusterName', Value: { Ref: 'ClusterName' } });
    }
  });

  test("an imported cluster without an OIDC provider: the prerequisites' oidcIssuer, as documented", () => {
    const stack = stackHere();
    const aws = new FargateContainerInsightsAws(stack, 'ContainerInsights', {
      prerequisites: prerequisitesOf(),
      cluster: eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: CLUSTER }),
    });
    const trust =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(aws.collectorRole.node.defaultChild as never)]
        .Properties.AssumeRolePolicyDocument;
    expect(trust.Statement[0].Principal).toStrictEqual({ Federated: PROVIDER_ARN });
    expect(Object.keys(trust.Statement[0].Condition.StringEquals)).toStrictEqual([
      `${PROVIDER}:sub`,
      `${PROVIDER}:aud`,
    ]);
  });

  test("an imported cluster without an OIDC provider, and no oidcIssuer: our error, not aws-cdk-lib's", () => {
    const stack = stackHere();
    expect(
      () =>
        new FargateContainerInsightsAws(stack, 'ContainerInsights', {
          prerequisites: prerequisitesOf({ oidcIssuer: false }),
          cluster: eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: CLUSTER }),
        }),
    ).toThrow(
      `Missing OIDC provider for cluster ${CLUSTER}: set cluster (aws-eks-v2), openIdConnectProvider, or the prerequisites' oidcIssuer`,
    );
  });

  test('charts into a cluster without a kubectl provider: refused by name, before any resource', () => {
    const stack = stackHere();
    const chart = new Chart(new App(), 'fargate-container-insights');
    expect(
      () =>
        new FargateContainerInsightsAws(stack, 'ContainerInsights', {
          prerequisites: prerequisitesOf(),
          cluster: eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: CLUSTER }),
          charts: [chart],
        }),
    ).toThrow(
      `Invalid charts (1 charts): cluster ${CLUSTER} has no kubectl provider, which addCdk8sChart applies the manifests with; give the Cluster kubectlProviderOptions (or Cluster.fromClusterAttributes a kubectlProvider), or apply the manifests yourself.`,
    );
    expect(stack.node.findAll().filter((c) => c.node.id === 'CollectorRole')).toHaveLength(0);
  });

  test.each(['us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1'])(
    '%s, where EKS runs no pods on Fargate: no prerequisites, so no stack; with the opt-out, its partition',
    (region) => {
      const partition = region.startsWith('cn-') ? 'aws-cn' : 'aws-us-gov';
      const props = {
        clusterName: CLUSTER,
        region,
        serviceAccountRoleArn: `arn:${partition}:iam::${ACCOUNT}:role/${CLUSTER}-adot-collector`,
      };
      expect(() => new FargateContainerInsightsCollector(new Chart(new App(), 'c'), 'collector', props)).toThrow(
        `Invalid region "${region}": Amazon EKS runs no pods on AWS Fargate in ${region}`,
      );
      const collector = new FargateContainerInsightsCollector(new Chart(new App(), 'c'), 'collector', {
        ...props,
        allowUnlistedRegion: true,
      });
      const suffix = partition === 'aws-cn' ? '.cn' : '';
      const template = JSON.parse(
        FargateContainerInsightsStack.template(
          CollectorPrerequisites.of({
            collector,
            oidcIssuer: `https://oidc.eks.${region}.amazonaws.com${suffix}/id/${ISSUER_ID}`,
          }),
        ),
      );
      expect(template.Parameters.PodExecutionRoleArn.AllowedPattern).toBe(`^arn:${partition}:iam::\\d{12}:role/.+$`);
    },
  );
});

/** The retention periods CloudWatch Logs' PutRetentionPolicy accepts (its API reference), in days. */
const CLOUDWATCH_LOGS_RETENTION = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A tag CloudWatch Logs takes (its TagResource reference): key 1-128, value 0-256, letters, digits, spaces, _.:/=+-@. */
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** What CloudFormation, CloudWatch Logs and EKS would refuse in these props, by prop: the oracle of the property. */
function refusedProp(props: Partial<FargateContainerInsightsAwsProps>, collectorTags: number): string | undefined {
  if (
    props.logRetention !== undefined &&
    ![...CLOUDWATCH_LOGS_RETENTION, logs.RetentionDays.INFINITE].includes(props.logRetention)
  ) {
    return 'logRetention';
  }
  if (props.logGroupRemovalPolicy === RemovalPolicy.SNAPSHOT) return 'logGroupRemovalPolicy';
  if (props.addonVersion !== undefined && !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(props.addonVersion))
    return 'addonVersion';
  const tags = props.logGroupTags ?? {};
  const keys = new Set([...Object.keys(tags)]);
  if (Object.entries(tags).some(([k, v]) => !TAG_KEY.test(k) || !TAG_VALUE.test(v)) || keys.size + collectorTags > 50) {
    return 'logGroupTags';
  }
  return undefined;
}

describe('generated props: accepted means deployable, refused means our error naming the prop', () => {
  /** Mostly what AWS takes, sometimes what it refuses: each case has a fair chance of being accepted. */
  const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: invalid, weight: 1 });
  const props = fc.record(
    {
      logRetention: mostly(
        fc.constantFrom(...CLOUDWATCH_LOGS_RETENTION, logs.RetentionDays.INFINITE),
        fc.constantFrom(0, -1, 2, 4000, 1.5, 10_000),
      ),
      logGroupRemovalPolicy: mostly(
        fc.constantFrom(RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE),
        fc.constant(RemovalPolicy.SNAPSHOT),
      ),
      addonVersion: mostly(
        fc.constantFrom('v0.109.0-eksbuild.2', 'v0.94.1-eksbuild.1'),
        fc.constantFrom('', 'v0.109.0', '0.109.0-eksbuild.1', 'latest'),
      ),
      logGroupTags: fc.dictionary(
        mostly(
          fc.constantFrom('team', 'cost center', 'a/b=c+d-e@f_g.h', 'é'),
          fc.constantFrom('', 'aws:x', 'bad!', 'k'.repeat(129)),
        ),
        mostly(fc.constantFrom('', 'platform', 'x-1'), fc.constantFrom('v'.repeat(257), 'no#')),
        { maxKeys: 3 },
      ),
      manyTags: fc.boolean(),
    },
    { requiredKeys: ['manyTags'] },
  );
  const shapes = fc.record({ operator: fc.boolean(), podHealth: fc.boolean(), collectorTags: fc.nat(3) });

  test(
    "every case against the CloudFormation spec, CDK's own validation and the service limits",
    () => {
      const tally = new Tally();
      check(
        fc.property(props, shapes, ({ manyTags, ...generated }, shape) => {
          const given: Partial<FargateContainerInsightsAwsProps> = {
            ...generated,
            ...(manyTags
              ? {
                  logGroupTags: {
                    ...generated.logGroupTags,
                    ...Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'x'])),
                  },
                }
              : {}),
          };
          const collectorTags = Object.fromEntries(
            Array.from({ length: shape.collectorTags }, (_, i) => [`c${i}`, 'y']),
          );
          const expected = refusedProp(
            given,
            Object.keys(collectorTags).filter((k) => !(k in (given.logGroupTags ?? {}))).length,
          );
          const app = new CdkApp({ builtinCloudFormationValidation: true, stackTraces: false });
          const stack = new Stack(app, 'observability', { env: { account: ACCOUNT, region: REGION } });
          const build = () =>
            new FargateContainerInsightsAws(stack, 'ContainerInsights', {
              prerequisites: prerequisitesOf({
                operator: shape.operator,
                collector: {
                  ...(shape.collectorTags > 0 ? { performanceLogGroupTags: collectorTags } : {}),
                  ...(shape.podHealth ? { podHealth: {} } : {}),
                },
              }),
              ...given,
            });
          if (expected !== undefined) {
            tally.add('refused');
            let error: unknown;
            try {
              build();
            } catch (thrown) {
              error = thrown;
            }
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as Error).message).toMatch(new RegExp(`^Invalid ${expected}\\b`));
            return;
          }
          tally.add('accepted');
          build();
          // CDK's own template validation runs in synth and throws on a violation.
          const template = app.synth().getStackByName('observability').template;
          expect(cloudFormationProblems(template)).toStrictEqual([]);
          for (const resource of Object.values(
            template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
          )) {
            if (resource.Type === 'AWS::Logs::LogGroup') {
              const days = resource.Properties.RetentionInDays;
              if (days !== undefined) expect(CLOUDWATCH_LOGS_RETENTION).toContain(days);
              expect((resource.Properties.Tags as unknown[] | undefined)?.length ?? 0).toBeLessThanOrEqual(50);
            }
            if (resource.Type === 'AWS::CloudWatch::Alarm') {
              const { Period, EvaluationPeriods } = resource.Properties as {
                Period: number;
                EvaluationPeriods: number;
              };
              if (Period < 3600) expect(Period * EvaluationPeriods).toBeLessThanOrEqual(86_400);
            }
          }
        }),
        'companionProps',
      );
      tally.report('companion props', ['accepted', 'refused']);
    },
    budget('companionProps').timeoutMs,
  );
});
