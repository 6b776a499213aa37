import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { arn, type BadInputCase, checkBadInput, collector, cpuAndMemory, ENV, env, webapp } from './support/bad-input';

/**
 * Every kind of bad input, through the public surface a user touches: the
 * constructs' props and the app's environment variables (test/support/bad-input.ts
 * runs each case). The metrics, the application metrics, the destination and the
 * exporter's tags are in bad-input-metrics.test.ts.
 */

const CASES: readonly BadInputCase[] = [
  // clusterName / CLUSTER_NAME
  ['empty clusterName', collector({ clusterName: '' }), 'Invalid clusterName "": expected an EKS cluster name'],
  [
    'clusterName over 100 characters',
    collector({ clusterName: 'c'.repeat(101) }),
    `Invalid clusterName "${'c'.repeat(101)}": expected an EKS cluster name: 1 to 100 characters`,
  ],
  ['clusterName with a space', collector({ clusterName: 'my cluster' }), 'Invalid clusterName "my cluster"'],
  ['clusterName with a dot', collector({ clusterName: 'prod.eu' }), 'Invalid clusterName "prod.eu"'],
  ['empty CLUSTER_NAME', env({ ...ENV, CLUSTER_NAME: '' }), 'Invalid CLUSTER_NAME "": expected an EKS cluster name'],
  // region / AWS_REGION
  ['region without its number', collector({ region: 'us-east' }), 'Invalid region "us-east": expected an AWS region'],
  ['region in capitals', collector({ region: 'US-EAST-1' }), 'Invalid region "US-EAST-1"'],
  ['an availability zone as region', collector({ region: 'us-east-1a' }), 'Invalid region "us-east-1a"'],
  ['region with underscores', collector({ region: 'eu_west_1' }), 'Invalid region "eu_west_1"'],
  ['empty AWS_REGION', env({ ...ENV, AWS_REGION: '' }), 'Invalid AWS_REGION "": expected an AWS region code'],
  // serviceAccountRoleArn / COLLECTOR_ROLE_ARN
  [
    'an 11-digit account id',
    collector({ serviceAccountRoleArn: arn('12345678901') }),
    'Invalid serviceAccountRoleArn "arn:aws:iam::12345678901:role/adot": expected an IAM role ARN',
  ],
  [
    'a 13-digit account id',
    collector({ serviceAccountRoleArn: arn('1234567890123') }),
    'Invalid serviceAccountRoleArn "arn:aws:iam::1234567890123:role/adot"',
  ],
  [
    'a wrong partition',
    collector({ serviceAccountRoleArn: 'arn:aws-mars:iam::123456789012:role/adot' }),
    'Invalid serviceAccountRoleArn "arn:aws-mars:iam::123456789012:role/adot"',
  ],
  [
    'a wrong service',
    collector({ serviceAccountRoleArn: 'arn:aws:sts::123456789012:role/adot' }),
    'Invalid serviceAccountRoleArn "arn:aws:sts::123456789012:role/adot"',
  ],
  [
    'a user instead of a role',
    collector({ serviceAccountRoleArn: arn('123456789012', 'user/adot') }),
    'Invalid serviceAccountRoleArn "arn:aws:iam::123456789012:user/adot"',
  ],
  [
    'a policy ARN in COLLECTOR_ROLE_ARN',
    env({ ...ENV, COLLECTOR_ROLE_ARN: arn('123456789012', 'policy/x') }),
    'Invalid COLLECTOR_ROLE_ARN "arn:aws:iam::123456789012:policy/x": expected an IAM role ARN',
  ],
  // namespace, for both constructs
  [
    'collector namespace in capitals',
    collector({ namespace: 'Observability' }),
    'Invalid namespace "Observability": expected a DNS-1123 label',
  ],
  [
    'collector namespace over 63 characters',
    collector({ namespace: 'n'.repeat(64) }),
    `Invalid namespace "${'n'.repeat(64)}": expected a DNS-1123 label`,
  ],
  ['webapp namespace with an underscore', webapp({ namespace: 'go_lang' }), 'Invalid namespace "go_lang"'],
  // EXPECTED_PODS, EXPECTED_NAMESPACES (the custom metrics estimate)
  [
    'EXPECTED_PODS 0',
    env({ ...ENV, EXPECTED_PODS: '0' }),
    'Invalid EXPECTED_PODS "0": expected a whole number from 1 to 100000.',
  ],
  [
    'EXPECTED_PODS past what the sizing allows: named as the variable, not as expectedPods',
    env({ ...ENV, EXPECTED_PODS: '2000000' }),
    'Invalid EXPECTED_PODS "2000000": expected a whole number from 1 to 100000.',
  ],
  [
    "EXPECTED_PODS more than the app's one replica can scrape",
    env({ ...ENV, EXPECTED_PODS: '100000' }),
    "Invalid EXPECTED_PODS 100000: expected at most what 1 replica(s) of Fargate's largest size can scrape",
  ],
  [
    'APPLICATION_METRICS_NAMESPACES naming one namespace twice',
    env({ ...ENV, SAMPLE_APP: 'true', APPLICATION_METRICS_NAMESPACES: 'golang,golang' }),
    'Invalid APPLICATION_METRICS_NAMESPACES "golang,golang": expected each namespace once ("golang" is listed twice).',
  ],
  [
    'OIDC_ISSUER in another region than AWS_REGION',
    env({ ...ENV, OIDC_ISSUER: 'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' }),
    'Invalid OIDC_ISSUER "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF": expected the cluster\'s OIDC issuer URL in eu-west-1',
  ],
  [
    'more EXPECTED_NAMESPACES than pods',
    env({ ...ENV, EXPECTED_PODS: '5', EXPECTED_NAMESPACES: '6' }),
    'Invalid EXPECTED_NAMESPACES "6": expected a whole number from 1 to 5 (EXPECTED_PODS): a namespace without pods sends no metrics.',
  ],
  ['EXPECTED_PODS 1e3', env({ ...ENV, EXPECTED_PODS: '1e3' }), 'Invalid EXPECTED_PODS "1e3"'],
  // expectedPods
  [
    'no expected pods',
    collector({ expectedPods: 0 }),
    'Invalid expectedPods 0: expected a whole number from 1 to 100000.',
  ],
  ['a fraction of a pod', collector({ expectedPods: 2.5 }), 'Invalid expectedPods 2.5'],
  // performanceLogRetentionDays / PERFORMANCE_LOG_RETENTION_DAYS
  [
    'a retention CloudWatch takes but the exporter refuses (1096)',
    collector({ performanceLogRetentionDays: 1096 }),
    'Invalid performanceLogRetentionDays 1096: expected 0 (never expire) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288, 3653 days.',
  ],
  ['a negative retention', collector({ performanceLogRetentionDays: -1 }), 'Invalid performanceLogRetentionDays -1'],
  [
    'PERFORMANCE_LOG_RETENTION_DAYS a month',
    env({ ...ENV, PERFORMANCE_LOG_RETENTION_DAYS: 'a month' }),
    'Invalid PERFORMANCE_LOG_RETENTION_DAYS "a month": expected 0 (never expire) or one of 1, 3,',
  ],
  // performanceLogGroupTags / PERFORMANCE_LOG_GROUP_TAGS
  [
    'a tag key AWS reserves',
    collector({ performanceLogGroupTags: { 'aws:team': 'platform' } }),
    'Invalid performanceLogGroupTags key "aws:team": expected 1 to 50 tags',
  ],
  [
    'a tag value with a comma',
    collector({ performanceLogGroupTags: { team: 'a,b' } }),
    'Invalid performanceLogGroupTags.team "a,b": expected 1 to 50 tags, keys of 1 to 128 and values of 1 to 256 bytes of letters, spaces, digits or "_ . : / = + - @" (Unicode 15.0), no key starting with "aws:", holding "::" or named after an Object.prototype member such as "constructor".',
  ],
  [
    'an empty tag value',
    collector({ performanceLogGroupTags: { team: '' } }),
    'Invalid performanceLogGroupTags.team ""',
  ],
  [
    'a tag key over 128 bytes',
    collector({ performanceLogGroupTags: { ['k'.repeat(129)]: 'v' } }),
    `Invalid performanceLogGroupTags key "${'k'.repeat(129)}"`,
  ],
  [
    '51 tags',
    collector({ performanceLogGroupTags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v'])) }),
    'Invalid performanceLogGroupTags "51 tags": expected 1 to 50 tags',
  ],
  [
    'PERFORMANCE_LOG_GROUP_TAGS not JSON',
    env({ ...ENV, PERFORMANCE_LOG_GROUP_TAGS: 'team=platform' }),
    'Invalid PERFORMANCE_LOG_GROUP_TAGS "team=platform": expected a JSON object of tags, e.g. {"team":"platform"}.',
  ],
  [
    'PERFORMANCE_LOG_GROUP_TAGS with a number',
    env({ ...ENV, PERFORMANCE_LOG_GROUP_TAGS: '{"cost-center":1234}' }),
    'Invalid PERFORMANCE_LOG_GROUP_TAGS.cost-center 1234',
  ],
  // OPERATOR_VERSION
  [
    'OPERATOR_VERSION before v1beta1',
    env({ ...ENV, COLLECTOR_MODE: 'operator', OPERATOR_VERSION: 'v0.98.0' }),
    'Invalid OPERATOR_VERSION "v0.98.0": expected an OpenTelemetry Operator release from v0.99.0',
  ],
  [
    'OPERATOR_VERSION without its v',
    env({ ...ENV, COLLECTOR_MODE: 'operator', OPERATOR_VERSION: '0.137.0' }),
    'Invalid OPERATOR_VERSION "0.137.0": expected an OpenTelemetry Operator release tag such as "v0.102.0"',
  ],
  // COLLECTOR_MODE, FARGATE_LOGGING, OIDC_ISSUER
  [
    'COLLECTOR_MODE helm',
    env({ ...ENV, COLLECTOR_MODE: 'helm' }),
    'Invalid COLLECTOR_MODE "helm": expected one of manifests, operator.',
  ],
  [
    'METRIC_PROFILE full',
    env({ ...ENV, METRIC_PROFILE: 'full' }),
    'Invalid METRIC_PROFILE "full": expected one of reference, console.',
  ],
  [
    'FARGATE_LOGGING yes',
    env({ ...ENV, FARGATE_LOGGING: 'yes' }),
    'Invalid FARGATE_LOGGING "yes": expected true or false.',
  ],
  [
    'OIDC_ISSUER without its id',
    env({ ...ENV, OIDC_ISSUER: 'https://oidc.eks.eu-west-1.amazonaws.com' }),
    'Invalid OIDC_ISSUER "https://oidc.eks.eu-west-1.amazonaws.com": expected an EKS OIDC issuer URL',
  ],
  // adotVersion / ADOT_VERSION
  [
    'ADOT_VERSION latest',
    env({ ...ENV, ADOT_VERSION: 'latest' }),
    /^Invalid ADOT_VERSION "latest": it is not a release tag .*floating tags such as "latest" are not accepted.* Supported versions: v0\.40\.0, /,
  ],
  [
    'an unchecked ADOT release',
    env({ ...ENV, ADOT_VERSION: 'v0.39.0' }),
    /^Invalid ADOT_VERSION "v0\.39\.0": it is not a release whose component configuration this library has checked/,
  ],
  [
    'adotVersion latest',
    (chart) => collector({ adotVersion: AdotVersion.of('latest') })(chart),
    /^Invalid adotVersion "latest"/,
  ],
  // the environment as a whole
  [
    'only some environment variables',
    env({ CLUSTER_NAME: 'prod-eu' }),
    'Missing environment variables AWS_REGION and COLLECTOR_ROLE_ARN: set CLUSTER_NAME, AWS_REGION and COLLECTOR_ROLE_ARN together',
  ],
  [
    'only ADOT_VERSION',
    env({ ADOT_VERSION: 'v0.49.0' }),
    'Missing environment variables CLUSTER_NAME, AWS_REGION and COLLECTOR_ROLE_ARN',
  ],
  // image
  ['collector image with a space', collector({ image: 'aws otel' }), 'Invalid image "aws otel": expected a container'],
  ['webapp image with an empty tag', webapp({ image: 'webapp:' }), 'Invalid image "webapp:"'],
  // durations
  [
    'zero scrapeInterval',
    collector({ scrapeInterval: Duration.seconds(0) }),
    'Invalid scrapeInterval "0ms": expected a duration of whole milliseconds from 1 ms to 24 hours',
  ],
  [
    'a fraction of a millisecond',
    collector({ scrapeTimeout: Duration.millis(0.5) }),
    /^Invalid scrapeTimeout "0.5ms": expected a duration of whole milliseconds from 1 ms to 24 hours/,
  ],
  [
    'scrapeTimeout equal to scrapeInterval',
    collector({ scrapeTimeout: Duration.minutes(1) }),
    'Invalid scrapeTimeout "60000ms": expected a duration shorter than scrapeInterval (60000ms).',
  ],
  [
    'scrapeTimeout above scrapeInterval',
    collector({ scrapeInterval: Duration.seconds(30), scrapeTimeout: Duration.seconds(40) }),
    'Invalid scrapeTimeout "40000ms": expected a duration shorter than scrapeInterval (30000ms).',
  ],
  // resources
  [
    'a negative CPU request',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(-1), Size.gibibytes(1)) }),
    'Invalid resources.cpu.request "-1": expected a CPU quantity of whole millicores from 1m to 16 vCPU',
  ],
  [
    'a memory request above the limit',
    webapp({ resources: { memory: { request: Size.mebibytes(512), limit: Size.mebibytes(256) } } }),
    'Invalid resources.memory.request "512Mi": expected at most the memory limit (256Mi).',
  ],
  [
    'a fraction of a mebibyte',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(1), Size.kibibytes(1536)) }),
    'Invalid resources.memory.request "1.5Mi": expected a whole number of mebibytes from 1 to 122880',
  ],
  [
    'no memory limit',
    webapp({ resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } } }),
    'Invalid resources.memory.limit (not set): expected a memory limit',
  ],
  [
    'a collector memory limit too small to run',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(1), Size.mebibytes(64)) }),
    'Invalid resources.memory.limit "64Mi": expected at least 128Mi for the collector.',
  ],
  [
    'more than Fargate offers',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(16), Size.gibibytes(120)) }),
    'Invalid resources "16000m CPU, 122880Mi memory": expected requests that fit Fargate\'s largest pod, 16 vCPU and 120 GB',
  ],
  // replicas
  ['zero collector replicas', collector({ replicas: 0 }), 'Invalid replicas 0: expected a whole number from 1 to 100.'],
  ['negative replicas', webapp({ replicas: -1 }), 'Invalid replicas -1: expected a whole number from 0 to 1000.'],
  ['fractional replicas', webapp({ replicas: 1.5 }), 'Invalid replicas 1.5: expected a whole number from 0 to 1000.'],
  // numbers and sizes: finite, in range, shown as written
  [
    'a scrape interval of 1.5 s is fine, but not 1.5 ms',
    collector({ scrapeInterval: Duration.millis(1.5), scrapeTimeout: Duration.millis(1) }),
    'Invalid scrapeInterval "1.5ms": expected a duration of whole milliseconds from 1 ms to 24 hours',
  ],
  [
    'a huge scrape interval',
    collector({ scrapeInterval: Duration.seconds(1e13) }),
    'Invalid scrapeInterval "10000000000000000ms": expected a duration of whole milliseconds from 1 ms to 24 hours',
  ],
  [
    'a scrape interval of NaN',
    collector({ scrapeInterval: Duration.millis(Number.NaN) }),
    'Invalid scrapeInterval "NaNms"',
  ],
  [
    'a memory limit of 0.1 GiB',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(1), Size.gibibytes(0.1)) }),
    'Invalid resources.memory.request "102.4Mi": expected a whole number of mebibytes from 1 to 122880',
  ],
  [
    'a memory limit of NaN',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(1), Size.mebibytes(Number.NaN)) }),
    'Invalid resources.memory.request "NaNMi"',
  ],
  [
    'an infinite memory limit',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(1), Size.mebibytes(Number.POSITIVE_INFINITY)) }),
    'Invalid resources.memory.request "InfinityMi"',
  ],
  [
    'an infinite CPU',
    collector({ resources: cpuAndMemory(kplus.Cpu.units(Number.POSITIVE_INFINITY), Size.mebibytes(512)) }),
    'Invalid resources.cpu.request "Infinity"',
  ],
  ['NaN replicas', collector({ replicas: Number.NaN }), 'Invalid replicas NaN: expected a whole number from 1 to 100.'],
  [
    'infinite expected pods',
    collector({ expectedPods: Number.POSITIVE_INFINITY }),
    'Invalid expectedPods Infinity: expected a whole number from 1 to 100000.',
  ],
  [
    'a retention of 1.5 days',
    collector({ performanceLogRetentionDays: 1.5 }),
    'Invalid performanceLogRetentionDays 1.5',
  ],
  ['-0 replicas', collector({ replicas: -0 }), 'Invalid replicas -0: expected a whole number from 1 to 100.'],
  [
    'NaN sample replicas',
    webapp({ replicas: Number.NaN }),
    'Invalid replicas NaN: expected a whole number from 0 to 1000.',
  ],
  // variables that only mean something with another
  [
    'OPERATOR_VERSION without operator mode',
    env({ ...ENV, OPERATOR_VERSION: 'v0.102.0' }),
    'Invalid OPERATOR_VERSION with COLLECTOR_MODE=manifests: it names the OpenTelemetry Operator release the custom resource is written for, which only operator mode writes. Set COLLECTOR_MODE=operator, or unset OPERATOR_VERSION.',
  ],
  [
    'FARGATE_LOG_RETENTION_DAYS without Fargate logging',
    env({ ...ENV, FARGATE_LOG_RETENTION_DAYS: '30' }),
    'Invalid FARGATE_LOG_RETENTION_DAYS with FARGATE_LOGGING=false: it sets the retention of the container logs, which only Fargate logging sends. Set FARGATE_LOGGING=true, or unset FARGATE_LOG_RETENTION_DAYS.',
  ],
  [
    'FARGATE_LOG_RETENTION_DAYS not a CloudWatch Logs period',
    env({ ...ENV, FARGATE_LOGGING: 'true', FARGATE_LOG_RETENTION_DAYS: '2' }),
    'Invalid FARGATE_LOG_RETENTION_DAYS "2": expected one of the periods CloudWatch Logs accepts: 1, 3, 5, 7',
  ],
  // a role of another partition than the region's
  [
    'a role of the aws partition in a European Sovereign Cloud region',
    collector({ region: 'eusc-de-east-1' }),
    'Invalid serviceAccountRoleArn "arn:aws:iam::123456789012:role/adot-collector": expected an IAM role ARN in region "eusc-de-east-1"\'s partition, "arn:aws-eusc:iam::<account id>:role/<name>".',
  ],
  // a region where EKS runs no pods on Fargate
  [
    'a GovCloud region',
    collector({ region: 'us-gov-east-1', serviceAccountRoleArn: 'arn:aws-us-gov:iam::123456789012:role/adot' }),
    'Invalid region "us-gov-east-1": Amazon EKS runs no pods on AWS Fargate in us-gov-east-1 (the EKS user guide: every EKS region but cn-north-1, cn-northwest-1, us-gov-east-1, us-gov-west-1), so there would be no Fargate node to collect from and no Fargate profile to create. Expected the region of an EKS cluster with Fargate; if EKS on Fargate has come to us-gov-east-1 since, set allowUnlistedRegion: true.',
  ],
  [
    'COLLECTOR_ROLE_ARN of aws-cn with a commercial AWS_REGION',
    env({ ...ENV, COLLECTOR_ROLE_ARN: 'arn:aws-cn:iam::123456789012:role/adot' }),
    'Invalid COLLECTOR_ROLE_ARN "arn:aws-cn:iam::123456789012:role/adot": expected an IAM role ARN in AWS_REGION "eu-west-1"\'s partition, "arn:aws:iam::<account id>:role/<name>".',
  ],
  // cluster-scoped objects: one collector per app
  [
    'a second collector in another namespace',
    collector({ namespace: 'monitoring' }),
    'Invalid second collector (namespace "monitoring"): test/Collector would create ClusterRole "adotcol-admin-role", which other/Collector already creates',
    (chart) => collector({})(new Chart(chart.node.root, 'other')),
  ],
  // two constructs claiming one namespace (set up first, then the clash)
  [
    'the webapp in the collector namespace',
    webapp({ namespace: 'observability' }),
    'Invalid namespace "observability": it is already created by test/Collector; expected a namespace that no other construct of this app creates.',
    collector({ namespace: 'observability' }),
  ],
  [
    'two collectors in one namespace, in different charts of one app',
    collector({}),
    'Invalid namespace "fargate-container-insights": it is already created by other/Collector;',
    (chart) => collector({})(new Chart(chart.node.root, 'other')),
  ],
];

describe('bad input', () => {
  test('the table covers at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  checkBadInput(CASES);

  test('the same namespace in two apps is no clash', () => {
    for (let i = 0; i < 2; i++) collector({})(Testing.chart());
  });
});
