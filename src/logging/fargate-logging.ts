import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { withoutEmptySpec, withoutMutableFlag } from '../core/empty-defaults';
import { invalidInput as invalid, ValidationError } from '../core/errors';
import { claimNamespace } from '../core/namespace-claims';
import {
  checkSettingRules,
  DEFAULT_ALLOW_UNLISTED_REGION,
  LISTED_REGION_RULE,
  propInputNames,
} from '../core/setting-rules';
import { keysOf, refuseUnknownFields } from '../core/unknown-fields';
import { validateBoolean, validateClusterName, validateProps, validateRegion } from '../core/validation';
import {
  configMapCharacters,
  FARGATE_LOGGING_MAX_CHARACTERS,
  type FluentBitFilter,
  type FluentBitOutput,
  type FluentBitParser,
  renderFilters,
  renderOutputs,
  renderParsers,
  validateFilters,
  validateOutputs,
  validateParsers,
} from './fluent-bit';

/** The namespace and ConfigMap Fargate's log router reads; the names are fixed by EKS. */
/** The log group Fargate's container logs go to unless told otherwise, as Container Insights names it. */
export function applicationLogGroupName(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/application`;
}

const FARGATE_LOGGING_NAMES = {
  /** The namespace Fargate reads its logging configuration from. */
  namespace: 'aws-observability',
  /** The ConfigMap it reads. */
  configMap: 'aws-logging',
} as const;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Parses the CRI log line Fargate's containerd writes
 * (`<time> <stream> <P|F> <message>`), as the EKS user guide's example does.
 */
const CRI_PARSER: FluentBitParser = {
  name: 'crio',
  format: 'regex',
  properties: {
    Regex: '^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$',
    Time_Key: 'time',
    Time_Format: '%Y-%m-%dT%H:%M:%S.%L%z',
  },
};

/** Parse the CRI line, then add the pod's Kubernetes metadata from the API server. */
const KUBERNETES_FILTERS: readonly FluentBitFilter[] = [
  { name: 'parser', match: '*', properties: { Key_Name: 'log', Parser: CRI_PARSER.name } },
  {
    name: 'kubernetes',
    match: 'kube.*',
    properties: {
      Merge_Log: 'On',
      Keep_Log: 'Off',
      Buffer_Size: '0',
      // How long metadata is cached before the API server is asked again.
      Kube_Meta_Cache_TTL: '300s',
    },
  },
];

/** Properties of a {@link FargateLogging}. */
export interface FargateLoggingProps {
  /** Name of the EKS cluster; part of the default log group name. */
  readonly clusterName: string;

  /** AWS region the logs go to. */
  readonly region: string;

  /**
   * CloudWatch Logs log group of the container logs. The default is the log
   * group Container Insights uses for application logs.
   *
   * @default `/aws/containerinsights/<clusterName>/application`
   */
  readonly logGroupName?: string;

  /**
   * Prefix of each log stream; Fluent Bit appends the record's tag
   * (`kube.var.log.containers.<pod>_<namespace>_<container>-<id>.log`).
   *
   * @default 'fargate-'
   */
  readonly logStreamPrefix?: string;

  /**
   * Days CloudWatch Logs keeps the log events: a retention CloudWatch Logs
   * accepts (another is refused, with the list).
   * Set when Fluent Bit creates the group.
   *
   * @default - the log group's own setting (never expire for a new group)
   */
  readonly logRetentionDays?: number;

  /**
   * Let Fluent Bit create the log group when it does not exist.
   *
   * @default true
   */
  readonly autoCreateGroup?: boolean;

  /**
   * Accept a `region` newer than this library's lists: one the AWS SDK's
   * partitions data it was built with does not have, or one where the EKS
   * user guide says EKS runs no pods on Fargate (China and AWS GovCloud
   * (US)); it must still be a region code.
   *
   * @default false
   */
  readonly allowUnlistedRegion?: boolean;

  /**
   * Parse the container runtime's log lines and add each pod's Kubernetes
   * metadata (namespace, pod, container, labels) to its records.
   *
   * @default true
   */
  readonly kubernetesMetadata?: boolean;

  /**
   * More `[FILTER]` sections, after the Kubernetes ones, e.g. a `grep` that
   * drops health checks.
   *
   * @default - none
   */
  readonly filters?: FluentBitFilter[];

  /**
   * More `[PARSER]` sections, for `parser` filters.
   *
   * @default - none
   */
  readonly parsers?: FluentBitParser[];

  /**
   * Also ship Fluent Bit's own process logs to the log group
   * `<clusterName>-fluent-bit-logs` (extra ingestion and storage cost; useful
   * to debug a ConfigMap Fluent Bit does not accept).
   *
   * @default false
   */
  readonly fluentBitProcessLogs?: boolean;
}

/** Every prop of {@link FargateLoggingProps} (the compiler holds the table to the interface). */
const LOGGING_PROP_NAMES = keysOf<FargateLoggingProps>({
  clusterName: true,
  region: true,
  logGroupName: true,
  logStreamPrefix: true,
  logRetentionDays: true,
  autoCreateGroup: true,
  allowUnlistedRegion: true,
  kubernetesMetadata: true,
  filters: true,
  parsers: true,
  fluentBitProcessLogs: true,
});

// CloudWatch Logs: 1-512 of letters, digits, `_`, `-`, `/`, `.` and `#`.
const LOG_GROUP_NAME = /^[\w\-/.#]{1,512}$/;
// Log stream names: no `:` or `*`; the tag is appended, so keep the prefix short.
const LOG_STREAM_PREFIX = /^[^:*\s]{1,128}$/;

/**
 * Container logs of every Fargate pod of the cluster, sent to CloudWatch Logs
 * by the log router Fargate runs beside each pod: the `aws-observability`
 * namespace (labelled `aws-observability: enabled`) and its `aws-logging`
 * ConfigMap, checked against Fargate's rules before anything is created.
 *
 * Fargate reads the ConfigMap when it starts a pod: pods started before a
 * change keep the old configuration until they are replaced. The log router
 * writes with the Fargate pod execution role, not with IRSA: see
 * {@link FargateLogging.podExecutionRolePolicy}.
 */
export class FargateLogging extends Construct {
  /** The log group the container logs go to. */
  public readonly logGroupName: string;
  /** The log group of Fluent Bit's process logs, when they are shipped. */
  public readonly processLogGroupName?: string;
  /** The `aws-observability` namespace. */
  public readonly namespace: kplus.Namespace;
  /** The `aws-logging` ConfigMap. */
  public readonly configMap: kplus.ConfigMap;

  private readonly region: string;
  /**
   * Days CloudWatch Logs keeps the log events, when set: the retention Fluent
   * Bit sets on the group it creates.
   */
  public readonly logRetentionDays?: number;

  private readonly retention: boolean;
  private readonly autoCreateGroup: boolean;

  public constructor(scope: Construct, id: string, props: FargateLoggingProps) {
    super(scope, id);

    validateProps('props', props);
    refuseUnknownFields(undefined, props, LOGGING_PROP_NAMES);
    const clusterName = validateClusterName('clusterName', props.clusterName);
    if (props.allowUnlistedRegion !== undefined) validateBoolean('allowUnlistedRegion', props.allowUnlistedRegion);
    this.region = validateRegion('region', props.region);
    checkSettingRules(
      [LISTED_REGION_RULE],
      { region: this.region, allowUnlistedRegion: props.allowUnlistedRegion ?? DEFAULT_ALLOW_UNLISTED_REGION },
      propInputNames(props),
    );
    this.logGroupName = props.logGroupName ?? applicationLogGroupName(clusterName);
    if (typeof this.logGroupName !== 'string' || !LOG_GROUP_NAME.test(this.logGroupName)) {
      invalid(
        'logGroupName',
        this.logGroupName,
        'a log group name: 1 to 512 letters, digits, "_", "-", "/", "." or "#"',
      );
    }
    const prefix = props.logStreamPrefix ?? 'fargate-';
    if (typeof prefix !== 'string' || !LOG_STREAM_PREFIX.test(prefix)) {
      invalid('logStreamPrefix', prefix, 'a log stream prefix: 1 to 128 characters, without ":", "*" or spaces');
    }
    const retention = props.logRetentionDays;
    if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
      invalid(
        'logRetentionDays',
        retention,
        `one of the periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
      );
    }
    this.retention = retention !== undefined;
    if (retention !== undefined) this.logRetentionDays = retention;
    this.autoCreateGroup = props.autoCreateGroup ?? true;
    if (props.fluentBitProcessLogs) this.processLogGroupName = `${clusterName}-fluent-bit-logs`;

    const kubernetes = props.kubernetesMetadata ?? true;
    const filters = [...(kubernetes ? KUBERNETES_FILTERS : []), ...(props.filters ?? [])];
    const parsers = [...(kubernetes ? [CRI_PARSER] : []), ...(props.parsers ?? [])];
    const outputs: FluentBitOutput[] = [
      {
        name: 'cloudwatch_logs',
        match: 'kube.*',
        properties: {
          region: this.region,
          log_group_name: this.logGroupName,
          log_stream_prefix: prefix,
          ...(retention === undefined ? {} : { log_retention_days: String(retention) }),
          auto_create_group: String(this.autoCreateGroup),
        },
      },
    ];
    // The built-in sections are tested; the user's are checked with their own indexes.
    validateFilters('filters', props.filters ?? []);
    validateParsers('parsers', props.parsers ?? []);
    const clash = (props.parsers ?? []).findIndex((p) => kubernetes && p.name === CRI_PARSER.name);
    if (clash >= 0) {
      invalid(
        `parsers[${clash}].name`,
        CRI_PARSER.name,
        'a name other than "crio", the parser kubernetesMetadata adds',
      );
    }
    validateOutputs('outputs', outputs);
    const undefinedParser = filters
      .filter((f) => f.name === 'parser')
      .map((f) => f.properties?.Parser)
      .find((name) => name !== undefined && !parsers.some((p) => p.name === name));
    if (undefinedParser !== undefined) {
      invalid(
        'filters',
        undefinedParser,
        `a parser defined in parsers (${parsers.map((p) => p.name).join(', ') || 'none'})`,
      );
    }

    const data: Record<string, string> = {
      flb_log_cw: String(props.fluentBitProcessLogs ?? false),
      ...(filters.length > 0 ? { 'filters.conf': renderFilters(filters) } : {}),
      'output.conf': renderOutputs(outputs),
      ...(parsers.length > 0 ? { 'parsers.conf': renderParsers(parsers) } : {}),
    };
    const characters = configMapCharacters(data);
    if (characters > FARGATE_LOGGING_MAX_CHARACTERS) {
      throw new ValidationError(
        `Invalid filters and parsers: the aws-logging ConfigMap would hold ${characters} characters; expected at most ${FARGATE_LOGGING_MAX_CHARACTERS}, Fargate's limit. Remove filters or parsers.`,
      );
    }
    claimNamespace(this, 'namespace', FARGATE_LOGGING_NAMES.namespace);

    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: { name: FARGATE_LOGGING_NAMES.namespace, labels: { 'aws-observability': 'enabled' } },
    });
    withoutEmptySpec(this.namespace);
    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { name: FARGATE_LOGGING_NAMES.configMap, namespace: FARGATE_LOGGING_NAMES.namespace },
      data,
    });
    withoutMutableFlag(this.configMap);
  }

  /**
   * The IAM policy the Fargate pod execution role needs to write these logs
   * (the log router uses that role, not IRSA): create the log group (with
   * `autoCreateGroup`), set its retention (with `logRetentionDays`), create and
   * describe streams, put events; scoped to the log groups this ConfigMap
   * writes to.
   *
   * @param accountId the 12-digit AWS account of the cluster
   * @param partition the AWS partition, e.g. `aws`, `aws-cn`, `aws-us-gov`; default `aws`
   * @returns the policy document as JSON text, for `aws iam put-role-policy --policy-document`
   */
  public podExecutionRolePolicy(accountId: string, partition?: string): string {
    return `${JSON.stringify(this._podExecutionRolePolicyDocument(accountId, partition), null, 2)}\n`;
  }

  /**
   * The same policy as an object.
   *
   * @internal
   */
  public _podExecutionRolePolicyDocument(accountId: string, partition = 'aws'): IamPolicyDocument {
    if (!/^\d{12}$/.test(accountId)) invalid('accountId', accountId, 'a 12-digit AWS account id');
    if (!/^aws(-[a-z]+)*$/.test(partition))
      invalid('partition', partition, 'an AWS partition such as "aws" or "aws-cn"');
    const groups = [this.logGroupName, ...(this.processLogGroupName ? [this.processLogGroupName] : [])];
    const arn = (group: string) => `arn:${partition}:logs:${this.region}:${accountId}:log-group:${group}`;
    const actions = [
      ...(this.autoCreateGroup ? ['logs:CreateLogGroup'] : []),
      ...(this.retention ? ['logs:PutRetentionPolicy'] : []),
      'logs:CreateLogStream',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
    ];
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FargateLogRouter',
          Effect: 'Allow',
          Action: actions,
          Resource: groups.flatMap((group) => [arn(group), `${arn(group)}:*`]),
        },
      ],
    };
  }
}

/** An IAM policy document. */
export interface IamPolicyDocument {
  /** The policy language version. */
  readonly Version: '2012-10-17';
  /** The statements. */
  readonly Statement: ReadonlyArray<{
    /** The statement's id. */
    readonly Sid?: string;
    /** Allow or deny. */
    readonly Effect: 'Allow' | 'Deny';
    /** The actions. */
    readonly Action: readonly string[];
    /** The resources, by ARN. */
    readonly Resource: readonly string[];
  }>;
}
