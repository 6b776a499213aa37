import { MetricsDestination } from 'cdk8s-fargate-container-insights';
import { FargateContainerInsightsStack } from 'cdk8s-fargate-container-insights-aws';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cloudFormationProblems } from '../../../tools/cloudformation-spec';
import { ACCOUNT, prerequisitesOf, REGION } from './support';

/**
 * The companion's stack as a CloudFormation template (`FargateContainerInsightsStack`):
 * valid for its resource types, parameterized only by what the app cannot know.
 */

describe('the CloudFormation template', () => {
  const shapes = fc.record({
    operator: fc.boolean(),
    sample: fc.boolean(),
    logging: fc.boolean(),
    destination: fc.constantFrom(MetricsDestination.EMF, MetricsDestination.OTLP, MetricsDestination.BOTH),
    retention: fc.constantFrom(0, 1, 30, 3653),
    tags: fc.option(
      fc.dictionary(fc.constantFrom('team', 'env', 'cost'), fc.constantFrom('a', 'platform', 'x-1'), { minKeys: 1 }),
      { nil: undefined },
    ),
    podHealth: fc.boolean(),
  });

  test('for every shape: valid for its CloudFormation resource types, deterministic, parameterized only by the pod execution role and subnets', () => {
    fc.assert(
      fc.property(shapes, (s) => {
        const prerequisites = prerequisitesOf({
          operator: s.operator,
          sample: s.sample,
          logging: s.logging,
          collector: {
            metricsDestination: s.destination,
            performanceLogRetentionDays: s.retention,
            ...(s.tags === undefined ? {} : { performanceLogGroupTags: s.tags }),
            ...(s.podHealth ? { podHealth: {} } : {}),
          },
        });
        const text = FargateContainerInsightsStack.template(prerequisites);
        expect(FargateContainerInsightsStack.template(prerequisites)).toBe(text);
        // Without aws-cdk-lib's built-in CloudFormation validation (the fast path), byte for byte what it gives with it.
        expect(FargateContainerInsightsStack._synthesize(prerequisites, true)).toBe(text);
        const template = JSON.parse(text);
        expect(cloudFormationProblems(template)).toStrictEqual([]);
        // The alarms watch the EMF path's metrics: with pod health on it, they and their topic.
        const alarms = s.podHealth && s.destination !== MetricsDestination.OTLP;
        expect(Object.keys(template.Parameters)).toStrictEqual([
          'PodExecutionRoleArn',
          'SubnetIds',
          ...(alarms ? ['AlarmTopicArn'] : []),
        ]);
        // Deployable without bootstrap or assets: no BootstrapVersion, no custom resource, no CDK metadata.
        expect(text).not.toMatch(/BootstrapVersion|Custom::|CDKMetadata|aws:cdk:path|cdk\.out/);
        const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
        expect(types.filter((t) => t === 'AWS::EKS::Addon')).toHaveLength(s.operator ? 1 : 0);
        expect(types.filter((t) => t === 'AWS::CloudWatch::Alarm')).toHaveLength(alarms ? 4 : 0);
        // One performance log group, however many pipelines write to it.
        expect(types.filter((t) => t === 'AWS::Logs::LogGroup')).toHaveLength(prerequisites.logGroups.length);
        expect(new Set(prerequisites.logGroups.map((g) => g.logGroupName)).size).toBe(prerequisites.logGroups.length);
        expect(types.filter((t) => t === 'AWS::EKS::FargateProfile')).toHaveLength(
          prerequisites.fargateProfileNamespaces.length,
        );
      }),
      { seed: 20261201, numRuns: 12 },
    );
  });

  test('its rules refuse another region or account, and the profiles take the parameters', () => {
    const template = JSON.parse(FargateContainerInsightsStack.template(prerequisitesOf()));
    expect(template.Rules.CollectorEnvironment.Assertions.map((a: { Assert: unknown }) => a.Assert)).toStrictEqual([
      { 'Fn::Equals': [{ Ref: 'AWS::Region' }, REGION] },
      { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, ACCOUNT] },
    ]);
    const [profile] = Object.values(
      template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).filter((r) => r.Type === 'AWS::EKS::FargateProfile');
    expect(profile?.Properties.PodExecutionRoleArn).toStrictEqual({ Ref: 'PodExecutionRoleArn' });
    expect(profile?.Properties.Subnets).toStrictEqual({
      'Fn::If': ['SubnetsGiven', { Ref: 'SubnetIds' }, { Ref: 'AWS::NoValue' }],
    });
  });

  test('the checker catches a wrong property name and a wrong type', () => {
    const template = JSON.parse(FargateContainerInsightsStack.template(prerequisitesOf()));
    const group = Object.values(
      template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).find((r) => r.Type === 'AWS::Logs::LogGroup');
    if (group === undefined) throw new Error('no log group');
    group.Properties.RetentionDays = 7;
    group.Properties.LogGroupName = ['not', 'a', 'string'];
    expect(cloudFormationProblems(template)).toStrictEqual([
      expect.stringMatching(/\.LogGroupName: expected a string/),
      expect.stringMatching(/\.RetentionDays: no such property/),
    ]);
  });

  test('without an OIDC issuer there is no template, and the error says why', () => {
    expect(() => FargateContainerInsightsStack.template(prerequisitesOf({ oidcIssuer: false }))).toThrow(
      /^Missing oidcIssuer for cluster prod-eu: the template's trust policy names the OIDC provider in its condition keys/,
    );
  });
});
