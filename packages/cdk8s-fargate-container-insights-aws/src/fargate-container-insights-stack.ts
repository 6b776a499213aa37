import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  Aws,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnParameter,
  CfnRule,
  Fn,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { type CollectorPrerequisites, ValidationError } from 'cdk8s-fargate-container-insights';
import type { Construct } from 'constructs';
import { FargateContainerInsightsAws } from './fargate-container-insights-aws';
import { type Synthesis, TemplateShapes } from './private/template-shapes';

/** Every template of this process: one synthesis per shape of prerequisites. */
let shapes: TemplateShapes | undefined;

/** Props of {@link FargateContainerInsightsStack}. */
export interface FargateContainerInsightsStackProps extends StackProps {
  /**
   * What the cluster needs, derived from its collector, with its
   * `oidcIssuer`: `CollectorPrerequisites.of({ collector, workloadNamespaces,
   * logging, oidcIssuer })`.
   */
  readonly prerequisites: CollectorPrerequisites;
}

/** The stack's name in the written template's file name, `<name>.template.json`. */
const STACK_NAME = 'fargate-container-insights';

/**
 * A stack of {@link FargateContainerInsightsAws} for a cluster defined
 * elsewhere (eksctl, the console, Terraform), that deploys as a plain
 * CloudFormation template: no CDK bootstrap, no assets. What the app cannot
 * know is a parameter: `PodExecutionRoleArn`, the Fargate profiles' pod
 * execution role; `SubnetIds`, their private subnets (empty: the
 * cluster's). Its rules refuse a region or account other than the
 * collector's before anything is created.
 *
 * The OIDC provider is no parameter: the trust policy names it in its
 * condition keys, where CloudFormation resolves no parameter; give the
 * prerequisites the cluster's `oidcIssuer`.
 */
export class FargateContainerInsightsStack extends Stack {
  /**
   * The CloudFormation template of a cluster's AWS side, as the JSON text
   * `npm run synth` writes to `prerequisites/fargate-container-insights.template.json`.
   *
   * Synthesized once per shape of prerequisites and filled in with each
   * cluster's name, region, account and OIDC provider, so that a fleet's
   * templates cost about what its manifests do; the first cluster of each
   * shape is synthesized directly and checks the shape's filled-in template
   * when a second cluster comes, and a shape that does not give the same
   * bytes is synthesized for every cluster.
   *
   * Synthesized without aws-cdk-lib's built-in CloudFormation validation,
   * which loads the resource schemas (about 1.9 s and 270 MiB for the first
   * template of a process) and changes no byte of the template: this
   * package's tests validate the template of every shape their generators
   * make against the CloudFormation spec, and check that it is
   * byte-identical to a synthesis with the validation on.
   *
   * @throws ValidationError when the prerequisites have no OIDC issuer
   */
  public static template(prerequisites: CollectorPrerequisites): string {
    shapes ??= new TemplateShapes((p) => FargateContainerInsightsStack._synthesis(p, false));
    return shapes.template(prerequisites);
  }

  /**
   * The template, synthesized with aws-cdk-lib's built-in CloudFormation
   * validation on or off.
   *
   * @internal
   */
  public static _synthesize(prerequisites: CollectorPrerequisites, validate: boolean): string {
    return FargateContainerInsightsStack._synthesis(prerequisites, validate).text;
  }

  /**
   * The template and the synthesized stack.
   *
   * @internal
   */
  public static _synthesis(prerequisites: CollectorPrerequisites, validate: boolean): Synthesis {
    const outdir = mkdtempSync(join(tmpdir(), 'fargate-container-insights-'));
    try {
      const app = new App({
        outdir,
        analyticsReporting: false,
        builtinCloudFormationValidation: validate,
        // Construct stack traces go to the cloud assembly's metadata, never into the template.
        stackTraces: false,
        // The same template on every machine: no construct paths, no CDK version.
        context: { 'aws:cdk:enable-path-metadata': false, 'aws:cdk:version-reporting': false },
      });
      const stack = new FargateContainerInsightsStack(app, STACK_NAME, {
        prerequisites,
        synthesizer: new BootstraplessSynthesizer(),
      });
      const template = app.synth().getStackArtifact(stack.artifactId).template as unknown;
      return { text: `${JSON.stringify(template, null, 2)}\n`, stack };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  /** The AWS side. */
  public readonly aws: FargateContainerInsightsAws;
  /** The `PodExecutionRoleArn` parameter. */
  public readonly podExecutionRoleArn: CfnParameter;
  /** The `SubnetIds` parameter. */
  public readonly subnetIds: CfnParameter;
  /** With pod health: the `AlarmTopicArn` parameter. */
  public readonly alarmTopicArn?: CfnParameter;

  public constructor(scope: Construct, id: string, props: FargateContainerInsightsStackProps) {
    const { prerequisites, ...stackProps } = props;
    super(scope, id, {
      description: `Container Insights on EKS Fargate, AWS side of cluster ${prerequisites.clusterName}: the ADOT collector's IRSA role, its log groups, Fargate profiles${prerequisites.operatorMode ? ', the ADOT add-on' : ''}${prerequisites.alarms.length > 0 ? ', the pod health alarms' : ''}`,
      ...stackProps,
    });
    if (prerequisites.oidcProvider === undefined) {
      throw new ValidationError(
        `Missing oidcIssuer for cluster ${prerequisites.clusterName}: the template's trust policy names the OIDC provider in its condition keys, which no CloudFormation parameter can fill; give CollectorPrerequisites.of the cluster's oidcIssuer (OIDC_ISSUER; aws eks describe-cluster --name ${prerequisites.clusterName} --query cluster.identity.oidc.issuer).`,
      );
    }

    this.podExecutionRoleArn = new CfnParameter(this, 'PodExecutionRoleArn', {
      type: 'String',
      description: `The cluster's Fargate pod execution role (aws eks describe-fargate-profile --cluster-name ${prerequisites.clusterName} --fargate-profile-name <any> --query fargateProfile.podExecutionRoleArn)`,
      allowedPattern: `^arn:${prerequisites.partition}:iam::\\d{12}:role/.+$`,
      constraintDescription: `an IAM role ARN in partition ${prerequisites.partition}`,
    });
    this.subnetIds = new CfnParameter(this, 'SubnetIds', {
      type: 'CommaDelimitedList',
      default: '',
      description: "The Fargate profiles' private subnets, comma-separated; empty: the cluster's private subnets",
    });
    const subnetsGiven = new CfnCondition(this, 'SubnetsGiven', {
      expression: Fn.conditionNot(Fn.conditionEquals(Fn.join(',', this.subnetIds.valueAsList), '')),
    });

    new CfnRule(this, 'CollectorEnvironment', {
      assertions: [
        {
          assert: Fn.conditionEquals(this.region, prerequisites.region),
          assertDescription: `Deploy to ${prerequisites.region}: the collector's cluster ${prerequisites.clusterName} is there.`,
        },
        {
          assert: Fn.conditionEquals(this.account, prerequisites.account),
          assertDescription: `Deploy to account ${prerequisites.account}: the collector's role is named there.`,
        },
      ],
    });

    this.aws = new FargateContainerInsightsAws(this, 'Aws', {
      prerequisites,
      podExecutionRole: iam.Role.fromRoleArn(this, 'PodExecutionRole', this.podExecutionRoleArn.valueAsString),
      subnetIds: Token.asList(Fn.conditionIf(subnetsGiven.logicalId, this.subnetIds.valueAsList, Aws.NO_VALUE)),
    });
    if (this.aws.alarms.length > 0) {
      const topic = new CfnParameter(this, 'AlarmTopicArn', {
        type: 'String',
        default: '',
        description: 'The SNS topic the pod health alarms notify; empty: none',
        allowedPattern: `^(arn:${prerequisites.partition}:sns:${prerequisites.region}:\\d{12}:[A-Za-z0-9_.-]+)?$`,
        constraintDescription: `an SNS topic ARN in ${prerequisites.region}, or empty`,
      });
      this.alarmTopicArn = topic;
      const topicGiven = new CfnCondition(this, 'AlarmTopicGiven', {
        expression: Fn.conditionNot(Fn.conditionEquals(topic.valueAsString, '')),
      });
      const actions = Token.asList(Fn.conditionIf(topicGiven.logicalId, [topic.valueAsString], Aws.NO_VALUE));
      for (const alarm of this.aws.alarms) {
        const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
        cfn.alarmActions = actions;
        cfn.okActions = actions;
        Validations.of(cfn).acknowledge({
          id: 'CloudFormation-Validate::W1030',
          reason:
            'The actions are the AlarmTopicArn parameter only when it is not empty (condition AlarmTopicGiven), else no value: the validator reads the empty default into them',
        });
      }
    }
    for (const profile of this.aws.fargateProfiles) {
      Validations.of(profile).acknowledge({
        id: 'CloudFormation-Validate::E1154',
        reason:
          'Subnets is the SubnetIds parameter only when it is not empty (condition SubnetsGiven), else no value: the validator reads the empty default into it',
      });
    }
  }
}
