import { Arn, ArnFormat, CfnJson, Duration, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Chart } from 'cdk8s';
import { type CollectorPrerequisites, ValidationError } from 'cdk8s-fargate-container-insights';
import { keysOf, refuseUnknownFields } from 'cdk8s-fargate-container-insights/internal';
import { Construct } from 'constructs';
import { acknowledgeManagedPolicies, acknowledgeWildcards } from './private/acknowledgements';
import {
  checkAddonVersion,
  checkClusterName,
  checkEnvironment,
  checkLogGroupTags,
  checkRetention,
  configurationValues,
  retentionOf,
} from './private/checks';
import { addDashboard } from './private/dashboard-widgets';

/** The EKS add-on that installs the OpenTelemetry Operator, for operator mode. */
const ADOT_ADDON = 'adot';

/** The managed policy every Fargate pod execution role has. */
const POD_EXECUTION_POLICY = 'AmazonEKSFargatePodExecutionRolePolicy';

/** The props a FargateContainerInsightsAws takes: a misspelt one is refused, with the one meant. */
const PROPS = keysOf<FargateContainerInsightsAwsProps>({
  prerequisites: true,
  cluster: true,
  openIdConnectProvider: true,
  fargateProfiles: true,
  podExecutionRole: true,
  subnetIds: true,
  logRetention: true,
  logGroupTags: true,
  logGroupRemovalPolicy: true,
  addonVersion: true,
  addonConfigurationValues: true,
  charts: true,
  alarmTopic: true,
  dashboard: true,
});

/** Props of {@link FargateContainerInsightsAws}. */
export interface FargateContainerInsightsAwsProps {
  /**
   * What the cluster needs, derived from its collector:
   * `CollectorPrerequisites.of({ collector, workloadNamespaces, logging })`.
   * Every name here (role, log groups, namespaces, cluster, region) comes
   * from it, so the AWS side and the manifests cannot drift.
   */
  readonly prerequisites: CollectorPrerequisites;

  /**
   * The cluster, defined in this CDK app (`aws-eks-v2` `Cluster`) or imported
   * (`Cluster.fromClusterAttributes`). Its name must be the collector's
   * `clusterName`. Without it the cluster is found by that name.
   *
   * @default - the cluster named by the prerequisites, imported by name
   */
  readonly cluster?: eks.ICluster;

  /**
   * The cluster's IAM OIDC provider, which the collector's role trusts.
   *
   * @default - the cluster's `openIdConnectProvider`, or else the provider of
   * the prerequisites' `oidcIssuer`
   */
  readonly openIdConnectProvider?: iam.IOpenIdConnectProvider;

  /**
   * Create a Fargate profile for each namespace that runs pods (the
   * collector's, the sample's, and in operator mode the operator's and
   * cert-manager's).
   *
   * @default true
   */
  readonly fargateProfiles?: boolean;

  /**
   * The pod execution role of the Fargate profiles, which also gets the
   * Fargate logging policy when the prerequisites have one.
   *
   * @default - a new role for `eks-fargate-pods.amazonaws.com` with
   * AmazonEKSFargatePodExecutionRolePolicy, for this cluster's profiles only
   */
  readonly podExecutionRole?: iam.IRole;

  /**
   * The private subnets the Fargate profiles run pods in.
   *
   * @default - the cluster's private subnets, which EKS picks
   */
  readonly subnetIds?: string[];

  /**
   * Retention of every log group, overriding the collector's
   * (`performanceLogRetentionDays`) and Fargate logging's.
   *
   * @default - the collector's retention for its groups, Fargate logging's for its
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Tags for every log group, on top of the collector's `performanceLogGroupTags`.
   *
   * @default - the collector's tags only
   */
  readonly logGroupTags?: Record<string, string>;

  /**
   * What happens to the log groups when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logGroupRemovalPolicy?: RemovalPolicy;

  /**
   * In operator mode, the ADOT add-on's version (`aws eks
   * describe-addon-versions --addon-name adot`).
   *
   * @default - the default version EKS picks for the cluster
   */
  readonly addonVersion?: string;

  /**
   * In operator mode, the ADOT add-on's configuration values, as JSON text of
   * its configuration schema (`aws eks describe-addon-configuration
   * --addon-name adot --addon-version <version>`). cert-manager's webhook
   * port is not among them: cert-manager is installed on its own
   * (docs/operator-mode.md).
   *
   * @default - the add-on's defaults
   */
  readonly addonConfigurationValues?: string;

  /**
   * cdk8s charts to deploy into the cluster with `addCdk8sChart`, after the
   * role, the log groups and the Fargate profiles exist: the collector's and
   * the sample's, so one `cdk deploy` sets up both sides. Needs `cluster`,
   * with a kubectl provider (`kubectlProviderOptions`).
   *
   * @default - none: apply the manifests yourself, or let GitOps sync them
   */
  readonly charts?: Chart[];

  /**
   * The SNS topic the recommended pod health alarms notify, when they go
   * into alarm and when they recover.
   *
   * @default - the alarms notify no one: add actions with `alarms`
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Create the cluster's CloudWatch dashboard (`ContainerInsights-<cluster>`,
   * `prerequisites.dashboardBody`): CPU, memory and network by cluster,
   * namespace and top workloads, pod health, the collector's health and the
   * alarms. CloudWatch bills a dashboard $3.00 a month (an account's first
   * three are free).
   *
   * @default true
   */
  readonly dashboard?: boolean;
}

/**
 * The AWS side of Container Insights on an EKS Fargate cluster, from the
 * same settings as its collector: the collector's IRSA role, trusting only
 * its service account through the cluster's OIDC provider; the log groups
 * it writes to; a Fargate profile for each namespace that runs pods; in
 * operator mode the ADOT EKS add-on; and optionally the charts themselves.
 */
export class FargateContainerInsightsAws extends Construct {
  /** The collector's IRSA role: the one its service account's `eks.amazonaws.com/role-arn` names. */
  public readonly collectorRole: iam.Role;
  /** The log groups, in the order of the prerequisites' `logGroups`. */
  public readonly logGroups: logs.LogGroup[];
  /** The Fargate profiles, one per namespace, created one after another (EKS takes one change at a time). */
  public readonly fargateProfiles: eks.CfnFargateProfile[];
  /**
   * The pod execution role of the profiles.
   *
   * @default - no Fargate profiles
   */
  public readonly podExecutionRole?: iam.IRole;
  /**
   * The ADOT add-on, in operator mode.
   *
   * @default - not operator mode
   */
  public readonly addon?: eks.CfnAddon;
  /** The charts' manifests, as `addCdk8sChart` added them. */
  public readonly manifests: eks.KubernetesManifest[];
  /** With pod health: the recommended alarms, in the order of the prerequisites' `alarms`. */
  public readonly alarms: cloudwatch.Alarm[];
  /**
   * The cluster's dashboard: add widgets of your own with `addWidgets`.
   *
   * @default - none with `dashboard: false`, or when the collector sends OTLP alone
   */
  public readonly dashboard?: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: FargateContainerInsightsAwsProps) {
    super(scope, id);
    refuseUnknownFields(undefined, props, PROPS);
    const { prerequisites } = props;
    const stack = Stack.of(this);
    if (props.logRetention !== undefined) checkRetention('logRetention', props.logRetention);
    if (props.logGroupRemovalPolicy === RemovalPolicy.SNAPSHOT) {
      throw new ValidationError(
        'Invalid logGroupRemovalPolicy SNAPSHOT: a log group has no snapshots (CloudFormation refuses the DeletionPolicy Snapshot on AWS::Logs::LogGroup). Expected RETAIN (the default), RETAIN_ON_UPDATE_OR_DELETE or DESTROY.',
      );
    }
    if (props.addonVersion !== undefined) checkAddonVersion('addonVersion', props.addonVersion);
    for (const group of prerequisites.logGroups) {
      checkLogGroupTags('logGroupTags', { ...group.tags, ...(props.logGroupTags ?? {}) }, group.logGroupName);
    }
    checkEnvironment(stack, prerequisites);
    if (props.cluster !== undefined) checkClusterName(props.cluster.clusterName, prerequisites);
    if (props.charts !== undefined && props.charts.length > 0) {
      if (props.cluster === undefined) {
        throw new ValidationError(
          `Invalid charts (${props.charts.length} charts): addCdk8sChart needs the cluster; set cluster to the aws-eks-v2 Cluster, or apply the manifests yourself.`,
        );
      }
      if (props.cluster.kubectlProvider === undefined) {
        throw new ValidationError(
          `Invalid charts (${props.charts.length} charts): cluster ${prerequisites.clusterName} has no kubectl provider, which addCdk8sChart applies the manifests with; give the Cluster kubectlProviderOptions (or Cluster.fromClusterAttributes a kubectlProvider), or apply the manifests yourself.`,
        );
      }
    }
    const clusterName = props.cluster?.clusterName ?? prerequisites.clusterName;

    this.collectorRole = new iam.Role(this, 'CollectorRole', {
      roleName: prerequisites.collectorRoleName,
      path: prerequisites.collectorRolePath,
      description: `ADOT collector of Container Insights on Fargate, cluster ${prerequisites.clusterName} (IRSA: ${prerequisites.serviceAccountSubject})`,
      assumedBy: this.trustedServiceAccount(props),
      managedPolicies: prerequisites.managedPolicyArns.map((arn) =>
        iam.ManagedPolicy.fromManagedPolicyArn(this, arn, arn),
      ),
      inlinePolicies: Object.fromEntries(
        prerequisites.inlinePolicies.map((policy) => [
          policy.policyName,
          iam.PolicyDocument.fromJson(JSON.parse(policy.policyDocument)),
        ]),
      ),
    });

    acknowledgeManagedPolicies(this.collectorRole, prerequisites.managedPolicyArns);
    acknowledgeWildcards(
      this.collectorRole,
      prerequisites.inlinePolicies.map((policy) => policy.policyDocument),
    );

    this.logGroups = prerequisites.logGroups.map((group) => {
      const logGroup = new logs.LogGroup(this, `LogGroup${group.logGroupName}`, {
        logGroupName: group.logGroupName,
        retention: props.logRetention ?? retentionOf(group.retentionDays),
        removalPolicy: props.logGroupRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      const tags = { ...group.tags, ...(props.logGroupTags ?? {}) };
      for (const key of Object.keys(tags).sort()) Tags.of(logGroup).add(key, tags[key] ?? '');
      return logGroup;
    });

    this.fargateProfiles = [];
    if (props.fargateProfiles ?? true) {
      const podExecutionRole = props.podExecutionRole ?? this.newPodExecutionRole(prerequisites, clusterName);
      this.podExecutionRole = podExecutionRole;
      if (prerequisites.podExecutionRolePolicy !== undefined) {
        const policy = new iam.Policy(this, 'FargateLoggingPolicy', {
          document: iam.PolicyDocument.fromJson(JSON.parse(prerequisites.podExecutionRolePolicy)),
        });
        podExecutionRole.attachInlinePolicy(policy);
        acknowledgeWildcards(policy, [prerequisites.podExecutionRolePolicy]);
      }
      let previous: eks.CfnFargateProfile | undefined;
      for (const namespace of prerequisites.fargateProfileNamespaces) {
        const profile = new eks.CfnFargateProfile(this, `FargateProfile${namespace}`, {
          clusterName,
          fargateProfileName: namespace,
          podExecutionRoleArn: podExecutionRole.roleArn,
          selectors: [{ namespace }],
          ...(props.subnetIds === undefined ? {} : { subnets: props.subnetIds }),
        });
        // EKS creates or deletes one Fargate profile of a cluster at a time.
        if (previous !== undefined) profile.addResourceDependency(previous);
        previous = profile;
        this.fargateProfiles.push(profile);
      }
    }

    if (prerequisites.operatorMode) {
      this.addon = new eks.CfnAddon(this, 'AdotAddon', {
        addonName: ADOT_ADDON,
        clusterName,
        ...(props.addonVersion === undefined ? {} : { addonVersion: props.addonVersion }),
        ...(props.addonConfigurationValues === undefined
          ? {}
          : { configurationValues: configurationValues(props.addonConfigurationValues) }),
      });
      // The operator's pods need their Fargate profile to be scheduled.
      for (const profile of this.fargateProfiles) this.addon.addResourceDependency(profile);
    }

    this.alarms = prerequisites.alarms.map((spec) => {
      // `<cluster>-<what>`: named by what it watches, the same with a cluster whose name is a token.
      const alarm = new cloudwatch.Alarm(this, `Alarm${spec.alarmName.slice(prerequisites.clusterName.length)}`, {
        alarmName: spec.alarmName,
        alarmDescription: spec.description,
        metric: new cloudwatch.Metric({
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensionsMap: { ...spec.dimensions, ClusterName: clusterName },
          statistic: spec.statistic,
          period: Duration.seconds(spec.periodSeconds),
        }),
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        threshold: spec.threshold,
        comparisonOperator: spec.comparisonOperator as cloudwatch.ComparisonOperator,
        treatMissingData: spec.treatMissingData as cloudwatch.TreatMissingData,
      });
      if (props.alarmTopic !== undefined) {
        const action = new cloudwatchActions.SnsAction(props.alarmTopic);
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
      return alarm;
    });
    const dashboard = props.dashboard === false ? undefined : addDashboard(this, prerequisites, this.alarms);
    if (dashboard !== undefined) this.dashboard = dashboard;

    this.manifests = (props.charts ?? []).map((chart) => {
      const manifest = (props.cluster as eks.ICluster).addCdk8sChart(chart.node.id, chart);
      manifest.node.addDependency(this.collectorRole, ...this.logGroups, ...this.fargateProfiles);
      if (this.addon !== undefined) manifest.node.addDependency(this.addon);
      return manifest;
    });
  }

  /** The collector's service account, through the cluster's OIDC provider, for `sts.amazonaws.com` only. */
  private trustedServiceAccount(props: FargateContainerInsightsAwsProps): iam.IPrincipal {
    const { prerequisites } = props;
    const provider =
      props.openIdConnectProvider ??
      clusterProvider(props.cluster) ??
      (prerequisites.oidcProvider === undefined
        ? undefined
        : iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
            this,
            'OidcProvider',
            `arn:${prerequisites.partition}:iam::${prerequisites.account}:oidc-provider/${prerequisites.oidcProvider}`,
          ));
    if (provider === undefined) {
      throw new ValidationError(
        `Missing OIDC provider for cluster ${prerequisites.clusterName}: set cluster (aws-eks-v2), openIdConnectProvider, or the prerequisites' oidcIssuer ("https://oidc.eks.${prerequisites.region}.amazonaws.com/id/<32-character id>").`,
      );
    }
    const issuer = provider.openIdConnectProviderIssuer;
    // A provider defined in this app has a token for an issuer: nothing to compare before deployment.
    const known = !Token.isUnresolved(issuer);
    if (known) {
      const region = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com/.exec(issuer)?.[1];
      if (region !== undefined && region !== prerequisites.region) {
        throw new ValidationError(
          `Invalid openIdConnectProvider "${issuer}": it is in ${region}, the collector's cluster ${prerequisites.clusterName} in ${prerequisites.region}.`,
        );
      }
      if (prerequisites.oidcProvider !== undefined && issuer !== prerequisites.oidcProvider) {
        throw new ValidationError(
          `Invalid openIdConnectProvider "${issuer}": the prerequisites' oidcIssuer is "https://${prerequisites.oidcProvider}"; give the provider of cluster ${prerequisites.clusterName}.`,
        );
      }
    }
    const claims = { [`${issuer}:sub`]: prerequisites.serviceAccountSubject, [`${issuer}:aud`]: 'sts.amazonaws.com' };
    // IAM condition keys name the provider; when that is a token, CloudFormation cannot put it in a key: CfnJson can.
    const stringEquals = known ? claims : new CfnJson(this, 'TrustConditions', { value: claims });
    return new iam.OpenIdConnectPrincipal(provider, { StringEquals: stringEquals });
  }

  /** A pod execution role for this cluster's Fargate profiles only. */
  private newPodExecutionRole(prerequisites: CollectorPrerequisites, clusterName: string): iam.Role {
    const stack = Stack.of(this);
    const profiles = Arn.format(
      {
        service: 'eks',
        resource: 'fargateprofile',
        resourceName: `${clusterName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      },
      stack,
    );
    const role = new iam.Role(this, 'PodExecutionRole', {
      description: `Fargate pod execution role of cluster ${prerequisites.clusterName}`,
      // The confused-deputy guard the EKS User Guide gives: only this cluster's profiles.
      assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com', {
        conditions: { ArnLike: { 'aws:SourceArn': profiles } },
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(POD_EXECUTION_POLICY)],
    });
    acknowledgeManagedPolicies(role, [`arn:<AWS::Partition>:iam::aws:policy/${POD_EXECUTION_POLICY}`]);
    return role;
  }
}

/**
 * The cluster's OIDC provider: a cluster of this app creates it; one
 * imported without `openIdConnectProvider` has none (aws-cdk-lib throws on
 * the getter), and the documented fallback, the prerequisites' `oidcIssuer`,
 * applies.
 */
function clusterProvider(cluster: eks.ICluster | undefined): iam.IOpenIdConnectProvider | undefined {
  if (cluster === undefined) return undefined;
  try {
    return cluster.openIdConnectProvider;
  } catch (error) {
    if (String((error as Error).message).includes('"openIdConnectProvider" is not defined')) return undefined;
    throw error;
  }
}
