// The package's public API: the AWS side of cdk8s-fargate-container-insights
// as AWS CDK constructs. Every name here is in the jsii assembly.

export {
  FargateContainerInsightsAws,
  type FargateContainerInsightsAwsProps,
} from './fargate-container-insights-aws';
export {
  FargateContainerInsightsStack,
  type FargateContainerInsightsStackProps,
} from './fargate-container-insights-stack';
