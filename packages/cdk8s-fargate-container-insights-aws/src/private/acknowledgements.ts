import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Why each cdk-nag finding the construct does not fix is right, on the resources it concerns. */

/**
 * Why each AWS managed policy is right here, for cdk-nag's AwsSolutions-IAM4
 * (which asks for customer managed policies instead): these are the policies
 * the AWS documentation prescribes, and AWS keeps them current.
 */
const MANAGED_POLICY_REASONS: Readonly<Record<string, string>> = {
  CloudWatchAgentServerPolicy:
    "The policy AWS's Container Insights on Fargate setup attaches to the ADOT collector's role for the awsemf exporter: CreateLogGroup, CreateLogStream, PutLogEvents and PutRetentionPolicy on the performance log groups; AWS keeps it in step with the exporter.",
  AmazonEKSFargatePodExecutionRolePolicy:
    'The policy the EKS User Guide prescribes for every Fargate pod execution role (registering the pod as a node, pulling images from ECR); its trust policy is limited to this cluster’s Fargate profiles.',
};

/** Acknowledges cdk-nag's AwsSolutions-IAM4 for each AWS managed policy, with its reason. */
export function acknowledgeManagedPolicies(scope: Construct, arns: readonly string[]): void {
  for (const arn of arns) {
    const name = arn.split('/').pop() ?? '';
    const reason = MANAGED_POLICY_REASONS[name];
    if (reason === undefined) continue;
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM4[Policy::${arn}]`, reason });
  }
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 for each wildcard resource of
 * these policy documents, with why the wildcard is the narrowest there is;
 * any other wildcard stays a finding.
 */
export function acknowledgeWildcards(scope: Construct, documents: readonly string[]): void {
  const resources = documents.flatMap((text) =>
    (JSON.parse(text) as { Statement: { Resource?: string | string[] }[] }).Statement.flatMap((statement) =>
      typeof statement.Resource === 'string' ? [statement.Resource] : (statement.Resource ?? []),
    ),
  );
  for (const resource of [...new Set(resources)]) {
    let reason: string | undefined;
    if (resource === '*') {
      reason =
        'cloudwatch:PutMetricData supports no resource-level permissions (the Service Authorization Reference lists none), so "*" is the only resource the OTLP exporter can be granted.';
    } else if (/:log-group:[^*]+:\*$/.test(resource)) {
      reason = `The log streams of the one log group ${resource.replace(/^.*:log-group:|:\*$/g, '')}: their names are chosen at run time (one per pod or per exporter), so the streams of that group are the narrowest resource.`;
    }
    if (reason !== undefined)
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  }
}
