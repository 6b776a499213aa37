import type { FargateContainerInsightsCollectorProps } from '../../src/collector/collector-props';

/**
 * The one cluster the tests build a collector for, unless a test is about
 * its name, region or role: shared, so that a change to what a collector
 * needs is one change here.
 */

/** The collector's IRSA role. */
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/adot-collector';

/** The props every collector needs, and nothing else. */
export const COLLECTOR_PROPS: FargateContainerInsightsCollectorProps = {
  clusterName: 'prod-eu',
  region: 'eu-west-1',
  serviceAccountRoleArn: ROLE_ARN,
};
