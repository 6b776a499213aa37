import { Yaml } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';
import type { ResolvedPodHealthAlarms } from '../collector/pod-health';
import { PIPELINES } from '../config/collector-config';
import type { CollectorConfigOptions } from '../config/pipelines/pipeline';
import { showValue, ValidationError } from '../core/errors';
import type { SettingRule } from '../core/setting-rules';
import { PATTERNS, validateDnsLabel } from '../core/validation';
import type { FargateLogging, IamPolicyDocument } from '../logging/fargate-logging';
import { type PrerequisiteAlarm, podHealthAlarms } from './alarms';
import { clusterDashboard, type PrerequisiteDashboard } from './dashboard';

/**
 * What a cluster needs before the manifests can run, derived from the
 * constructs themselves so the names cannot drift between the cluster and
 * the manifests:
 *
 * - `eksctl-cluster-config.yaml`: an eksctl ClusterConfig fragment with a
 *   Fargate profile for each namespace that runs pods, the IAM OIDC provider,
 *   and the collector's IRSA role (`roleOnly`: the manifests create the
 *   service account);
 * - `fargate-container-insights.template.json`: given the cluster's OIDC
 *   issuer and with `cdk8s-fargate-container-insights-aws` installed, a
 *   CloudFormation template of the whole AWS side (the collector's role and
 *   trust policy, log groups, Fargate profiles, the ADOT add-on);
 * - `fargate-pod-execution-role-logging-policy.json`: with Fargate logging,
 *   the policy the pod execution role needs to write the logs.
 *
 * None of them is a Kubernetes object: they are written outside the
 * manifests folder (`prerequisites/`), for eksctl, the AWS CLI or an
 * infrastructure-as-code tool.
 */

/** The AWS managed policy the collector's role needs for the awsemf exporter. */
const COLLECTOR_MANAGED_POLICY = 'CloudWatchAgentServerPolicy';

/** The prerequisite files, by name. */
export const PREREQUISITE_FILES = {
  /** The eksctl ClusterConfig fragment. */
  eksctl: 'eksctl-cluster-config.yaml',
  /** The CloudFormation template of the AWS side. */
  template: 'fargate-container-insights.template.json',
  /** The Fargate pod execution role's logging policy. */
  loggingPolicy: 'fargate-pod-execution-role-logging-policy.json',
} as const;

/**
 * What the prerequisites need of a collector: `FargateContainerInsightsCollector`
 * and `FargateContainerInsightsOperatorCollector` both have it.
 */
export interface PrerequisiteCollector {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The cluster's region. */
  readonly region: string;
  /** The collector's IRSA role. */
  readonly serviceAccountRoleArn: string;
  /** The collector's namespace, which needs a Fargate profile. */
  readonly namespace: kplus.Namespace;
  /** The collector's service account, which the role trusts. */
  readonly serviceAccount: kplus.ServiceAccount;
  /**
   * The options its configuration is built from: each pipeline it runs says
   * what IAM it needs (`Pipeline.access`).
   */
  readonly _configOptions: CollectorConfigOptions;
  /** With pod health on the EMF path: the recommended alarms' thresholds. */
  readonly _podHealthAlarms?: ResolvedPodHealthAlarms;
}

/** What {@link clusterPrerequisites} derives the prerequisites from. */
export interface ClusterPrerequisitesOptions {
  /** The cluster's collector: cluster, region, namespace, service account and role. */
  readonly collector: PrerequisiteCollector;
  /**
   * Other namespaces this app runs pods in (the sample application's), each
   * needing a Fargate profile.
   *
   * @default - none
   */
  readonly workloadNamespaces?: readonly string[];
  /**
   * The cluster's Fargate logging, for the pod execution role's policy.
   *
   * @default - no logging policy
   */
  readonly logging?: FargateLogging;
  /**
   * The cluster's OIDC issuer URL (`aws eks describe-cluster --query
   * cluster.identity.oidc.issuer`), for the collector role's trust policy.
   *
   * @default - no CloudFormation template: eksctl writes the role and its trust policy
   */
  readonly oidcIssuer?: string;
  /**
   * The collector runs as an `OpenTelemetryCollector` for the ADOT EKS
   * add-on: the eksctl config then installs the add-on, and gives the
   * operator's and cert-manager's namespaces ({@link OPERATOR_NAMESPACES})
   * Fargate profiles, so that their pods can run on Fargate.
   *
   * @default false
   */
  readonly operatorMode?: boolean;
}

/**
 * The namespaces of the pods operator mode needs besides the collector's:
 * the OpenTelemetry Operator that the ADOT add-on installs, and cert-manager,
 * which the add-on needs (install it with a webhook port other than 10250 on
 * Fargate: docs/operator-mode.md).
 */
export const OPERATOR_NAMESPACES = ['opentelemetry-operator-system', 'cert-manager'] as const;

/** The EKS add-on that installs the OpenTelemetry Operator, for operator mode. */
const ADOT_ADDON = 'adot';

/** An eksctl ClusterConfig (`eksctl.io/v1alpha5`), the fields we set. */
export interface EksctlClusterConfig {
  /** The eksctl config version. */
  readonly apiVersion: 'eksctl.io/v1alpha5';
  /** The kind. */
  readonly kind: 'ClusterConfig';
  /** The cluster. */
  readonly metadata: {
    /** Its name. */
    readonly name: string;
    /** Its region. */
    readonly region: string;
  };
  /** IAM: the OIDC provider and the IRSA roles. */
  readonly iam: {
    /** Associate the cluster's IAM OIDC provider. */
    readonly withOIDC: true;
    /** The IRSA roles, one per service account. */
    readonly serviceAccounts: ReadonlyArray<{
      /** The service account the role is for. */
      readonly metadata: {
        /** Its name. */
        readonly name: string;
        /** Its namespace. */
        readonly namespace: string;
      };
      /** The role's name. */
      readonly roleName: string;
      /** Create only the role: the manifests create the service account. */
      readonly roleOnly: true;
      /** The role's managed policies: none when the collector writes no Embedded Metric Format. */
      readonly attachPolicyARNs?: readonly string[];
      /** The role's inline policy, when it needs more than the managed ones. */
      readonly attachPolicy?: IamPolicyDocument;
    }>;
  };
  /** The Fargate profiles, one per namespace that runs pods. */
  readonly fargateProfiles: ReadonlyArray<{
    /** The profile's name. */
    readonly name: string;
    /** The pods it runs on Fargate. */
    readonly selectors: ReadonlyArray<{
      /** Every pod of this namespace. */
      readonly namespace: string;
    }>;
  }>;
  /** The EKS add-ons to install: the ADOT add-on, in operator mode. */
  readonly addons?: ReadonlyArray<{
    /** The add-on's name. */
    readonly name: string;
  }>;
}

/** The collector's IAM role, in CloudFormation `AWS::IAM::Role` property names. */
export interface CollectorRole {
  /** The role's name. */
  readonly RoleName: string;
  /** The role's path. */
  readonly Path: string;
  /** The managed policies attached to it: none when the collector writes no Embedded Metric Format. */
  readonly ManagedPolicyArns?: readonly string[];
  /** Its inline policies, when it needs more than the managed ones. */
  readonly Policies?: ReadonlyArray<{
    /** The inline policy's name. */
    readonly PolicyName: string;
    /** What it allows. */
    readonly PolicyDocument: IamPolicyDocument;
  }>;
  /** Who may assume it: the collector's service account, through the cluster's OIDC provider. */
  readonly AssumeRolePolicyDocument?: {
    /** The policy language version. */
    readonly Version: '2012-10-17';
    /** The one statement. */
    readonly Statement: ReadonlyArray<{
      /** Allow. */
      readonly Effect: 'Allow';
      /** The principal. */
      readonly Principal: {
        /** The ARN of the cluster's IAM OIDC provider. */
        readonly Federated: string;
      };
      /** The action IRSA uses. */
      readonly Action: 'sts:AssumeRoleWithWebIdentity';
      /** Only for this audience and this service account. */
      readonly Condition: {
        /** `<issuer>:aud` is `sts.amazonaws.com`, `<issuer>:sub` is `system:serviceaccount:<namespace>:<name>`. */
        readonly StringEquals: Readonly<Record<string, string>>;
      };
    }>;
  };
}

/** A log group the cluster writes to, with the retention and tags whoever creates it sets. */
export interface PrerequisiteLogGroup {
  /** The group's name. */
  readonly name: string;
  /** Days CloudWatch Logs keeps the events; 0 keeps them forever. */
  readonly retentionDays: number;
  /** Its tags. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * What the AWS side of a cluster is made of besides the collector's role,
 * for an AWS CDK or CloudFormation rendering of it.
 */
export interface AwsSide {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** Its region. */
  readonly region: string;
  /** The partition and account of the collector's role. */
  readonly partition: string;
  /** The 12-digit account id of the collector's role. */
  readonly account: string;
  /** `system:serviceaccount:<namespace>:<name>`: the subject the collector's role trusts. */
  readonly serviceAccountSubject: string;
  /** The cluster's OIDC provider (the issuer URL without `https://`), when known. */
  readonly oidcProvider?: string;
  /** The log groups: the performance group, the application metrics' and Fargate logging's when on. */
  readonly logGroups: readonly PrerequisiteLogGroup[];
  /** The namespaces that run pods, one Fargate profile each. */
  readonly fargateProfileNamespaces: readonly string[];
  /** The collector runs as an `OpenTelemetryCollector`: the cluster needs the ADOT add-on. */
  readonly operatorMode: boolean;
  /** With pod health on the EMF path: the recommended alarms. */
  readonly alarms: readonly PrerequisiteAlarm[];
  /** The cluster's CloudWatch dashboard; none when it sends no `ContainerInsights` metrics (OTLP alone). */
  readonly dashboard?: PrerequisiteDashboard;
}

/** The prerequisites of one cluster, as objects. */
export interface ClusterPrerequisites {
  /** The eksctl ClusterConfig fragment. */
  readonly eksctl: EksctlClusterConfig;
  /** The collector's IAM role. */
  readonly collectorRole: CollectorRole;
  /** With Fargate logging: the pod execution role's policy. */
  readonly loggingPolicy?: IamPolicyDocument;
  /** The rest of the AWS side: log groups, Fargate profiles, the add-on. */
  readonly aws: AwsSide;
}

/** How an EKS OIDC issuer URL looks, for error messages. */
export const OIDC_ISSUER_FORM = 'an EKS OIDC issuer URL "https://oidc.eks.<region>.amazonaws.com/id/<32-character id>"';

/**
 * Checks a cluster's OIDC issuer URL, which must be in the cluster's region;
 * returns the OIDC provider (the URL without `https://`).
 *
 * @param input the prop or variable it came from, for the message
 */
function validateOidcIssuer(input: string, value: string, region: string, clusterName: string): string {
  const issuer = typeof value === 'string' ? OIDC_ISSUER.exec(value) : null;
  if (!issuer?.[1] || issuer[2] !== region) {
    throw new ValidationError(
      `Invalid ${input} ${showValue(value)}: expected the cluster's OIDC issuer URL in ${region}, "https://oidc.eks.${region}.amazonaws.com/id/<32-character id>" (aws eks describe-cluster --name ${clusterName} --query cluster.identity.oidc.issuer).`,
    );
  }
  return issuer[1];
}

/** The inputs of the OIDC issuer rule: the issuer, and the cluster's name and region it must match. */
export interface OidcIssuerValues {
  readonly oidcIssuer?: string;
  readonly region: string;
  readonly name: string;
}

/** A cluster's OIDC issuer is in its region: the rule the clusters file and the app run before the prerequisites do. */
export const OIDC_ISSUER_RULE: SettingRule<OidcIssuerValues, 'oidcIssuer'> = {
  at: 'oidcIssuer',
  check: (v, n) => {
    if (v.oidcIssuer !== undefined) validateOidcIssuer(n.name('oidcIssuer'), v.oidcIssuer, v.region, v.name);
  },
};

/** An EKS OIDC issuer URL: `https://oidc.eks.<region>.amazonaws.com[.cn]/id/<32-character id>`. */
export const OIDC_ISSUER = /^https:\/\/(oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/id\/[0-9A-Z]{32})$/;

/** Derives a cluster's prerequisites from its constructs. */
export function clusterPrerequisites(options: ClusterPrerequisitesOptions): ClusterPrerequisites {
  const { collector } = options;
  const arn = PATTERNS.roleArn.exec(collector.serviceAccountRoleArn);
  if (!arn) throw new ValidationError(`Invalid serviceAccountRoleArn ${showValue(collector.serviceAccountRoleArn)}`);
  const [, partition = 'aws', account = '', path = '', roleName = ''] = arn;
  const namespace = collector.namespace.name;
  const serviceAccount = collector.serviceAccount.name;
  const managedPolicy = `arn:${partition}:iam::aws:policy/${COLLECTOR_MANAGED_POLICY}`;

  let trust: CollectorRole['AssumeRolePolicyDocument'];
  const provider =
    options.oidcIssuer === undefined
      ? undefined
      : validateOidcIssuer('oidcIssuer', options.oidcIssuer, collector.region, collector.clusterName);
  if (provider !== undefined) {
    trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:${partition}:iam::${account}:oidc-provider/${provider}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${provider}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${provider}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    };
  }

  // CloudWatchAgentServerPolicy covers CreateLogGroup, CreateLogStream,
  // PutLogEvents and PutRetentionPolicy (log_retention), but not tagging:
  // CreateLogGroup with tags also needs logs:TagResource (or the older
  // logs:TagLogGroup) on the group.
  const logGroupArn = (name: string) => `arn:${partition}:logs:${collector.region}:${account}:log-group:${name}`;
  // What each pipeline the collector runs needs of IAM, in the configuration's order.
  const config = collector._configOptions;
  const access = PIPELINES.filter((pipeline) => pipeline.enabled(config)).map((pipeline) =>
    pipeline.access(config, { partition, account }),
  );
  // The log groups the collector writes Embedded Metric Format to, and creates.
  const logGroups = [...new Set(access.flatMap((a) => a.emfLogGroups))];
  // With tags, it may tag them.
  const taggedGroups = Object.keys(config.logGroupTags).length === 0 ? [] : logGroups;
  const tagPolicy: IamPolicyDocument | undefined =
    taggedGroups.length === 0
      ? undefined
      : {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'TagPerformanceLogGroup',
              Effect: 'Allow',
              Action: ['logs:TagResource'],
              Resource: taggedGroups.flatMap((name) => [logGroupArn(name), `${logGroupArn(name)}:*`]),
            },
          ],
        };
  const inlinePolicies = [
    ...(tagPolicy ? [{ PolicyName: 'container-insights-log-group-tags', PolicyDocument: tagPolicy }] : []),
    ...access.flatMap((a) =>
      a.policies.map((policy) => ({
        PolicyName: policy.name,
        PolicyDocument: { Version: '2012-10-17' as const, Statement: policy.statements },
      })),
    ),
  ];
  // CloudWatchAgentServerPolicy is for writing Embedded Metric Format logs: only when the collector does.
  const managedPolicies = logGroups.length === 0 ? [] : [managedPolicy];
  // eksctl takes one inline policy document: the statements of all.
  const inlinePolicy: IamPolicyDocument | undefined =
    inlinePolicies.length === 0
      ? undefined
      : { Version: '2012-10-17', Statement: inlinePolicies.flatMap((p) => p.PolicyDocument.Statement) };

  (options.workloadNamespaces ?? []).forEach((name, i) => {
    validateDnsLabel(`workloadNamespaces[${i}]`, name);
  });
  // Each namespace that runs pods once, in this order: the collector's, the operator's, the workloads'.
  const podNamespaces = [
    ...new Set([
      namespace,
      ...(options.operatorMode ? OPERATOR_NAMESPACES : []),
      ...(options.workloadNamespaces ?? []),
    ]),
  ];
  const alarms =
    collector._podHealthAlarms === undefined
      ? []
      : podHealthAlarms(collector.clusterName, collector._podHealthAlarms, config.scrapeIntervalMs);
  const dashboard = clusterDashboard({ configOptions: config, alarms });
  return {
    eksctl: {
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: collector.clusterName, region: collector.region },
      iam: {
        withOIDC: true,
        serviceAccounts: [
          {
            metadata: { name: serviceAccount, namespace },
            roleName,
            roleOnly: true,
            ...(managedPolicies.length === 0 ? {} : { attachPolicyARNs: managedPolicies }),
            ...(inlinePolicy === undefined ? {} : { attachPolicy: inlinePolicy }),
          },
        ],
      },
      // One profile per namespace that runs pods, named after it. The
      // aws-observability namespace holds only a ConfigMap and needs none.
      fargateProfiles: podNamespaces.map((name) => ({ name, selectors: [{ namespace: name }] })),
      ...(options.operatorMode ? { addons: [{ name: ADOT_ADDON }] } : {}),
    },
    collectorRole: {
      RoleName: roleName,
      Path: `/${path}`,
      ...(managedPolicies.length === 0 ? {} : { ManagedPolicyArns: managedPolicies }),
      ...(inlinePolicies.length === 0 ? {} : { Policies: inlinePolicies }),
      ...(trust === undefined ? {} : { AssumeRolePolicyDocument: trust }),
    },
    ...(options.logging === undefined
      ? {}
      : { loggingPolicy: options.logging._podExecutionRolePolicyDocument(account, partition) }),
    aws: {
      clusterName: collector.clusterName,
      region: collector.region,
      partition,
      account,
      serviceAccountSubject: `system:serviceaccount:${namespace}:${serviceAccount}`,
      ...(provider === undefined ? {} : { oidcProvider: provider }),
      logGroups: [
        ...logGroups.map((name) => ({
          name,
          retentionDays: config.logRetentionDays,
          tags: { ...config.logGroupTags },
        })),
        ...(options.logging === undefined ? [] : loggingGroups(options.logging)),
      ],
      fargateProfileNamespaces: podNamespaces,
      operatorMode: options.operatorMode ?? false,
      alarms,
      ...(dashboard === undefined ? {} : { dashboard }),
    },
  };
}

/** Fargate logging's log groups: Fluent Bit sets their retention, and no tags. */
function loggingGroups(logging: FargateLogging): PrerequisiteLogGroup[] {
  const retentionDays = logging.logRetentionDays ?? 0;
  return [
    logging.logGroupName,
    ...(logging.processLogGroupName === undefined ? [] : [logging.processLogGroupName]),
  ].map((name) => ({ name, retentionDays, tags: {} }));
}

/**
 * The prerequisites as file contents, by file name.
 *
 * @param template the CloudFormation template's text, when there is one
 */
export function prerequisiteFiles(prerequisites: ClusterPrerequisites, template?: string): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    [PREREQUISITE_FILES.eksctl]: Yaml.stringify(prerequisites.eksctl),
    ...(template === undefined ? {} : { [PREREQUISITE_FILES.template]: template }),
    ...(prerequisites.loggingPolicy === undefined
      ? {}
      : { [PREREQUISITE_FILES.loggingPolicy]: json(prerequisites.loggingPolicy) }),
  };
}
