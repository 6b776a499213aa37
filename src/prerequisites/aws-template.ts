/**
 * The CloudFormation template of a cluster's AWS side, from the optional
 * companion package `cdk8s-fargate-container-insights-aws` (an AWS CDK
 * stack): this package writes it among the prerequisites when that package
 * is installed, and says why not when it is not. Loaded only when asked, so
 * that cdk8s-only users never need aws-cdk-lib.
 */

/** The companion package's name. */
export const AWS_PACKAGE = 'cdk8s-fargate-container-insights-aws';

/**
 * What the template is made from: a `CollectorPrerequisites` (named by its
 * shape here, so that this module and that class do not import each other).
 */
export interface TemplateInput {
  /** The cluster's OIDC provider, without which there is no template. */
  readonly oidcProvider?: string;
}

/** What this package uses of the companion package. */
interface AwsPackage {
  readonly FargateContainerInsightsStack: {
    template(prerequisites: TemplateInput): string;
  };
}

/** The template, or why there is none. */
export type AwsTemplate = { readonly text: string } | { readonly missing: string };

let loaded: AwsPackage | null | undefined;

/** The companion package, or null when it is not installed. */
function awsPackage(): AwsPackage | null {
  if (loaded !== undefined) return loaded;
  try {
    loaded = require(AWS_PACKAGE) as AwsPackage;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Only the package itself being absent means "not installed"; anything else is a real failure.
    if (code !== 'MODULE_NOT_FOUND' || !String((error as Error).message).includes(`'${AWS_PACKAGE}'`)) throw error;
    loaded = null;
  }
  return loaded;
}

/** Whether the companion package can be loaded here, so that templates can be written. */
export function companionInstalled(): boolean {
  return awsPackage() !== null;
}

/** The cluster's CloudFormation template, when it can be written. */
export function awsTemplate(prerequisites: TemplateInput): AwsTemplate {
  if (prerequisites.oidcProvider === undefined) {
    return {
      missing:
        "no OIDC issuer (OIDC_ISSUER, oidcIssuer): the collector role's trust policy names the provider in its condition keys, which a template parameter cannot fill",
    };
  }
  const aws = awsPackage();
  if (aws === null) return { missing: `${AWS_PACKAGE} is not installed` };
  return { text: aws.FargateContainerInsightsStack.template(prerequisites) };
}
