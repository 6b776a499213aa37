import { App, Testing, Yaml } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import {
  addClusterCharts,
  prerequisitesOf,
} from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/cluster-charts';
import type { FleetCluster } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/cluster-settings';
import { CollectorMode } from '../src/collector/collector-mode';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { CollectorPrerequisites } from '../src/prerequisites/collector-prerequisites';
import { clusterPrerequisites, OPERATOR_NAMESPACES, prerequisiteFiles } from '../src/prerequisites/prerequisites';
import { SampleGoWebapp } from '../src/sample/sample-go-webapp';
import { validatePrerequisite } from '../tools/prerequisite-schemas';

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const CLUSTER: FleetCluster = {
  name: 'prod-eu',
  region: 'eu-west-1',
  serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/platform/prod-eu-adot-collector',
  namespace: 'observability',
  sampleApp: true,
  fargateLogging: true,
  logRetentionDays: 14,
  oidcIssuer: ISSUER,
};

/** A cluster's manifests (objects) and prerequisites, built the way the app and the fleet build them. */
function build(cluster: FleetCluster) {
  const app = new App({ outdir: '/nonexistent' });
  const constructs = addClusterCharts(app, cluster);
  const objects = app.charts.flatMap((chart) => chart.toJson()) as any[];
  return { objects, prerequisites: prerequisitesOf(constructs, cluster) };
}

describe('the prerequisites name what the manifests use', () => {
  const { objects, prerequisites } = build(CLUSTER);
  const serviceAccount = objects.find((o) => o.kind === 'ServiceAccount');
  const roleArn: string = serviceAccount.metadata.annotations['eks.amazonaws.com/role-arn'];

  test('a Fargate profile for exactly the namespaces that run pods', () => {
    const podNamespaces = new Set(
      objects.filter((o) => ['StatefulSet', 'Deployment'].includes(o.kind)).map((o) => o.metadata.namespace),
    );
    const profiles = prerequisites.eksctl.fargateProfiles;
    expect(new Set(profiles.flatMap((p) => p.selectors.map((s) => s.namespace)))).toStrictEqual(podNamespaces);
    expect(profiles.map((p) => p.name)).toStrictEqual(['observability', 'golang']);
  });

  test("the IRSA service account is the manifests' own, with the role its annotation names", () => {
    expect(prerequisites.eksctl.metadata).toStrictEqual({ name: 'prod-eu', region: 'eu-west-1' });
    const [account] = prerequisites.eksctl.iam.serviceAccounts;
    expect(account?.metadata).toStrictEqual({
      name: serviceAccount.metadata.name,
      namespace: serviceAccount.metadata.namespace,
    });
    expect(roleArn.endsWith(`/${account?.roleName}`)).toBe(true);
    expect(
      `arn:aws:iam::123456789012:role${prerequisites.collectorRole.Path}${prerequisites.collectorRole.RoleName}`,
    ).toBe(roleArn);
    expect(account?.roleOnly).toBe(true);
    expect(account?.attachPolicyARNs).toStrictEqual(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
  });

  test('the trust policy lets exactly that service account assume the role, through the cluster OIDC provider', () => {
    const statement = prerequisites.collectorRole.AssumeRolePolicyDocument?.Statement[0];
    const provider = 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
    expect(statement).toStrictEqual({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${provider}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${provider}:sub`]: `system:serviceaccount:${serviceAccount.metadata.namespace}:${serviceAccount.metadata.name}`,
          [`${provider}:aud`]: 'sts.amazonaws.com',
        },
      },
    });
  });

  test('the pod execution role may write to the log group the aws-logging ConfigMap names, in its region', () => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'aws-logging');
    const output: string = configMap.data['output.conf'];
    const logGroup = /log_group_name\s+(\S+)/.exec(output)?.[1];
    expect(logGroup).toBe('/aws/containerinsights/prod-eu/application');
    const statement = prerequisites.loggingPolicy?.Statement[0];
    expect(statement?.Resource).toStrictEqual([
      `arn:aws:logs:eu-west-1:123456789012:log-group:${logGroup}`,
      `arn:aws:logs:eu-west-1:123456789012:log-group:${logGroup}:*`,
    ]);
    // log_retention_days is set, so Fluent Bit calls PutRetentionPolicy.
    expect(output).toMatch(/log_retention_days\s+14/);
    expect(statement?.Action).toContain('logs:PutRetentionPolicy');
  });

  test('every file matches its schema', () => {
    const files = CollectorPrerequisites._of(prerequisites).files;
    expect(Object.keys(files).sort()).toStrictEqual([
      'eksctl-cluster-config.yaml',
      'fargate-container-insights.template.json',
      'fargate-pod-execution-role-logging-policy.json',
    ]);
    for (const [file, text] of Object.entries(files)) expect(() => validatePrerequisite(file, text)).not.toThrow();
    expect(parse(files['eksctl-cluster-config.yaml'] ?? '')).toStrictEqual(prerequisites.eksctl);
  });
});

describe('clusterPrerequisites', () => {
  const collector = (roleArn: string, region = 'cn-north-1') =>
    new FargateContainerInsightsCollector(Testing.chart(), 'C', {
      clusterName: 'c',
      region,
      serviceAccountRoleArn: roleArn,
      // China: where EKS on Fargate may come one day; the partition of its ARNs is right already.
      allowUnlistedRegion: true,
    });

  test('follows the partition of the role', () => {
    const p = clusterPrerequisites({ collector: collector('arn:aws-cn:iam::123456789012:role/r') });
    expect(p.collectorRole.ManagedPolicyArns).toStrictEqual(['arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy']);
    expect(p.collectorRole.Path).toBe('/');
  });

  test('without an OIDC issuer, has no trust policy (eksctl writes one); without logging, no logging policy', () => {
    const p = clusterPrerequisites({ collector: collector('arn:aws:iam::123456789012:role/r', 'eu-west-1') });
    expect(p.collectorRole.AssumeRolePolicyDocument).toBeUndefined();
    expect(p.loggingPolicy).toBeUndefined();
    expect(Object.keys(prerequisiteFiles(p)).sort()).toStrictEqual(['eksctl-cluster-config.yaml']);
    // No template without the issuer: its trust policy's condition keys name the provider.
    expect(CollectorPrerequisites._of(p)._template).toStrictEqual({
      missing: expect.stringMatching(/^no OIDC issuer \(OIDC_ISSUER, oidcIssuer\)/),
    });
  });

  test('the managed policy covers retention; tags add logs:TagResource on the performance log group alone', () => {
    const untagged = clusterPrerequisites({ collector: collector('arn:aws:iam::123456789012:role/r', 'eu-west-1') });
    expect(untagged.collectorRole.Policies).toBeUndefined();
    expect(untagged.eksctl.iam.serviceAccounts[0]?.attachPolicy).toBeUndefined();

    const tagged = new FargateContainerInsightsCollector(Testing.chart(), 'C', {
      clusterName: 'prod-eu',
      region: 'eu-west-1',
      serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/r',
      performanceLogGroupTags: { team: 'platform' },
    });
    const p = clusterPrerequisites({ collector: tagged });
    const group = 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/containerinsights/prod-eu/performance';
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TagPerformanceLogGroup',
          Effect: 'Allow',
          Action: ['logs:TagResource'],
          Resource: [group, `${group}:*`],
        },
      ],
    };
    expect(p.collectorRole.Policies).toStrictEqual([
      { PolicyName: 'container-insights-log-group-tags', PolicyDocument: policy },
    ]);
    expect(p.eksctl.iam.serviceAccounts[0]?.attachPolicy).toStrictEqual(policy);
    for (const [file, text] of Object.entries(prerequisiteFiles(p))) {
      expect(() => validatePrerequisite(file, text), file).not.toThrow();
    }
  });

  test('operator mode: the ADOT add-on, and Fargate profiles for the operator and cert-manager; manifests mode: neither', () => {
    const operator = build({ ...CLUSTER, collectorMode: CollectorMode.OPERATOR }).prerequisites.eksctl;
    expect(operator.fargateProfiles.map((p) => p.name)).toStrictEqual([
      'observability',
      ...OPERATOR_NAMESPACES,
      'golang',
    ]);
    expect(operator.addons).toStrictEqual([{ name: 'adot' }]);
    expect(() => validatePrerequisite('eksctl-cluster-config.yaml', Yaml.stringify(operator))).not.toThrow();
    const manifests = build(CLUSTER).prerequisites.eksctl;
    expect(manifests.addons).toBeUndefined();
    expect(manifests.fargateProfiles.map((p) => p.name)).not.toContain('cert-manager');
  });

  test('a sample application elsewhere gets its own profile; namespaces are listed once', () => {
    const chart = Testing.chart();
    const c = new FargateContainerInsightsCollector(chart, 'C', {
      clusterName: 'c',
      region: 'eu-west-1',
      serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/r',
    });
    const webapp = new SampleGoWebapp(chart, 'W', { namespace: 'demo' });
    const p = clusterPrerequisites({ collector: c, workloadNamespaces: [webapp.namespace.name, 'demo'] });
    expect(p.eksctl.fargateProfiles.map((f) => f.name)).toStrictEqual(['fargate-container-insights', 'demo']);
  });

  test.each([
    ['another region', 'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF'],
    ['not an EKS issuer', 'https://token.actions.githubusercontent.com'],
    ['no scheme', 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF'],
  ])('rejects an OIDC issuer of %s', (_, issuer) => {
    expect(() =>
      clusterPrerequisites({
        collector: collector('arn:aws:iam::123456789012:role/r', 'eu-west-1'),
        oidcIssuer: issuer,
      }),
    ).toThrow(`Invalid oidcIssuer ${JSON.stringify(issuer)}: expected the cluster's OIDC issuer URL in eu-west-1`);
  });
});

describe('the prerequisite schemas', () => {
  const files = CollectorPrerequisites._of(build(CLUSTER).prerequisites).files;
  test.each<[string, string, (data: any) => void, string]>([
    [
      'a profile without selectors',
      'eksctl-cluster-config.yaml',
      (d) => (d.fargateProfiles[0].selectors = []),
      '/fargateProfiles/0/selectors must NOT have fewer than 1 items',
    ],
    [
      'a misspelt eksctl field',
      'eksctl-cluster-config.yaml',
      (d) => (d.iam.withOidc = true),
      'must NOT have additional properties',
    ],
    [
      'a CloudFormation property the resource type does not have',
      'fargate-container-insights.template.json',
      (d) => {
        const group = Object.values(
          d.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
        ).find((r) => r.Type === 'AWS::Logs::LogGroup');
        if (group) group.Properties.RetentionDays = 7;
      },
      '.RetentionDays: no such property',
    ],
    [
      'an action without a service',
      'fargate-pod-execution-role-logging-policy.json',
      (d) => (d.Statement[0].Action = ['PutLogEvents']),
      '/Statement/0/Action/0 must match pattern',
    ],
  ])('catch %s', (_, file, breakIt, message) => {
    const text = files[file] ?? '';
    const data = file.endsWith('.json') ? JSON.parse(text) : parse(text);
    breakIt(data);
    // JSON is YAML too, so one serialization serves both kinds of file.
    expect(() => validatePrerequisite(file, JSON.stringify(data))).toThrow(message);
  });
});
