import { Chart } from 'cdk8s';
import { describe } from 'vitest';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { MetricSelection } from '../src/config/metric-selection';
import { FargateLogging } from '../src/logging/fargate-logging';
import { CollectorPrerequisites } from '../src/prerequisites/collector-prerequisites';
import { type BadInputCase, checkBadInput, collector, ENV, env, selection, webapp } from './support/bad-input';
import { COLLECTOR_PROPS } from './support/fixtures';

/**
 * What JavaScript callers (and TypeScript ones with a cast or a spread) can
 * pass that the types would refuse: props no construct takes, and values of
 * the wrong type. Each gets the named error every bad input gets
 * (test/support/bad-input.ts runs each case), never a TypeError.
 */

const CASES: readonly BadInputCase[] = [
  // props no construct takes: one message form at every depth, with the prop it is near
  [
    'a misspelt top-level prop (replica), ignored before',
    collector({ replica: 3 } as never),
    'Unknown field replica: did you mean "replicas"? expected one of clusterName, region, serviceAccountRoleArn, namespace,',
  ],
  [
    'operatorVersion is a prop of the operator collector only',
    collector({ operatorVersion: 'v0.156.0' } as never),
    /^Unknown field operatorVersion: expected one of clusterName, .*, allowUnlistedRegion\.$/,
  ],
  [
    'a misspelt operator prop',
    (chart) =>
      new FargateContainerInsightsOperatorCollector(chart, 'Collector', {
        ...COLLECTOR_PROPS,
        operatorVersions: 'v0.156.0',
      } as never),
    /^Unknown field operatorVersions: did you mean "operatorVersion"\? expected one of .*, operatorVersion\.$/,
  ],
  [
    'a misspelt sample prop',
    webapp({ namspace: 'shop' } as never),
    'Unknown field namspace: did you mean "namespace"? expected one of namespace, replicas, image, resources.',
  ],
  [
    'a misspelt Fargate logging prop',
    (chart) =>
      new FargateLogging(chart, 'Logging', {
        clusterName: 'prod-eu',
        region: 'eu-west-1',
        logRetentionDay: 7,
      } as never),
    /^Unknown field logRetentionDay: did you mean "logRetentionDays"\? expected one of clusterName, region, /,
  ],
  [
    'a misspelt prerequisites option',
    (chart) =>
      CollectorPrerequisites.of({
        collector: new FargateContainerInsightsCollector(new Chart(chart.node.root, 'c'), 'Collector', COLLECTOR_PROPS),
        oidcIssuers: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
      } as never),
    'Unknown field oidcIssuers: did you mean "oidcIssuer"? expected one of collector, workloadNamespaces, logging, oidcIssuer.',
  ],
  // plain JavaScript: wrong types get the same named error, not a TypeError
  ['a numeric namespace', collector({ namespace: 123 as never }), 'Invalid namespace 123: expected a DNS-1123 label'],
  [
    'an adotVersion that is no AdotVersion',
    collector({ adotVersion: { tag: 'v0.49.0' } as never }),
    'Invalid adotVersion {"tag":"v0.49.0"}: expected an AdotVersion',
  ],
  [
    'metrics as a string',
    selection(() => MetricSelection.metrics('x' as never)),
    'Invalid metrics "x": expected a list of metric names',
  ],
  [
    'a boolean as a string',
    collector({ fargateNodesOnly: 'false' as never }),
    'Invalid fargateNodesOnly "false": expected true or false.',
  ],
  [
    'no props at all',
    (chart) => new FargateContainerInsightsCollector(chart, 'C', null as never),
    'Invalid props null: expected an object of props.',
  ],
  ['a region that is a number', collector({ region: 1 as never }), 'Invalid region 1: expected an AWS region code'],
  [
    'AWS_REGION with a typo',
    env({ ...ENV, AWS_REGION: 'eu-centrall-1' }),
    'Invalid AWS_REGION "eu-centrall-1": expected a region AWS has in partition aws, such as af-south-1, ap-east-1, ap-east-2; did you mean "eu-central-1"? For a region newer than this library\'s list, set ALLOW_UNLISTED_REGION=true.',
  ],
  [
    'a region AWS does not have',
    collector({ region: 'eu-centrall-1' }),
    /^Invalid region "eu-centrall-1": expected a region AWS has in partition aws, .* set allowUnlistedRegion: true\.$/,
  ],
  [
    "Fargate logging's region AWS does not have",
    (chart) => new FargateLogging(chart, 'Logging', { clusterName: 'prod-eu', region: 'us-east-7' }),
    /^Invalid region "us-east-7": expected a region AWS has .*; did you mean "us-east-1"\? For a region newer than this library's list, set allowUnlistedRegion: true\.$/,
  ],
  [
    'COLLECTOR_REPLICAS of 0',
    env({ ...ENV, COLLECTOR_REPLICAS: '0' }),
    'Invalid COLLECTOR_REPLICAS "0": expected a whole number from 1 to 100.',
  ],
  ['SAMPLE_APP not a boolean', env({ ...ENV, SAMPLE_APP: 'on' }), 'Invalid SAMPLE_APP "on": expected'],
];

describe('bad input from JavaScript', () => {
  checkBadInput(CASES);
});
