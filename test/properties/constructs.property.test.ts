import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { FargateContainerInsightsCollectorProps } from '../../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../../src/collector/fargate-container-insights-operator-collector';
import { OperatorVersion } from '../../src/collector/operator-version';
import { AdotVersion } from '../../src/config/adot-version';
import { Dimension } from '../../src/config/catalog/metric-types';
import { POD_HEALTH_PROFILES } from '../../src/config/catalog/pod-health-metrics';
import { METRIC_PROFILES, MetricProfile } from '../../src/config/catalog/profiles';
import { KubeStateMetricsVersion } from '../../src/config/kube-state-metrics-version';
import { METRIC_CATALOG } from '../../src/config/metric-catalog';
import { MetricSelection } from '../../src/config/metric-selection';
import { showValue } from '../../src/core/errors';
import { EMF_LOG_RETENTION_DAYS } from '../../src/core/validation';
import { FargateLogging, type FargateLoggingProps } from '../../src/logging/fargate-logging';
import { SampleGoWebapp, type SampleGoWebappProps } from '../../src/sample/sample-go-webapp';
import type { KubernetesObject } from '../../tools/manifests';
import {
  budget,
  check,
  expectSaneCollectorConfig,
  expectValidAndUnique,
  junk,
  mostly,
  type Outcome,
  outcomeOf,
  Tally,
} from '../support/property';

/**
 * Every prop set, valid or not, ends one of two ways: a ValidationError
 * naming a prop, with nothing added to the chart; or manifests that pass
 * their schemas, hold no object twice, carry a collector configuration with
 * no non-finite or unrenderable value, and are byte-identical on a second
 * synthesis.
 */

const WORKSPACE = 'ws-12345678-abcd-ef01-2345-6789abcdef01';
const REMOTE_WRITE = (region: string) =>
  `https://aps-workspaces.${region}.amazonaws.com/workspaces/${WORKSPACE}/api/v1/remote_write`;

const duration: fc.Arbitrary<Duration> = fc.oneof(
  fc.integer({ min: 0, max: 200_000 }).map(Duration.millis),
  fc.double({ min: 0, max: 200, noNaN: true }).map(Duration.seconds),
  fc.integer({ min: 1, max: 120 }).map(Duration.seconds),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e13, 1e20, 0.5).map(Duration.seconds),
  fc.integer({ min: 1, max: 30 }).map(Duration.minutes),
);

const cpu: fc.Arbitrary<kplus.Cpu> = fc.oneof(
  fc.integer({ min: 1, max: 4000 }).map(kplus.Cpu.millis),
  fc.constantFrom(0.25, 0.5, 1, 2, 17, Number.NaN, Number.POSITIVE_INFINITY, -1, 0.0001).map(kplus.Cpu.units),
);
const memory: fc.Arbitrary<Size> = fc.oneof(
  fc.integer({ min: 64, max: 8192 }).map(Size.mebibytes),
  fc.double({ min: 0, max: 4 }).map(Size.gibibytes),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0.1, 200_000).map(Size.mebibytes),
  fc.integer({ min: 1, max: 10_000_000 }).map(Size.kibibytes),
);
const resources = fc.record(
  {
    cpu: fc.record({ request: cpu, limit: cpu }, { requiredKeys: [] }),
    memory: fc.record({ request: memory, limit: memory }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
/** Tag keys and values, with the characters the exporter refuses in the mix. */
const tagText = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,12}$/),
  fc.constantFrom('team::x', 'constructor', '__proto__', 'toString', 'aws:x', '\u{2EBF0}', 'é', 'a,b', ' ', '日本'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);

const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1', 'me-south-1');
const partitionOf = (r: string) => (r.startsWith('cn-') ? 'aws-cn' : r.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

/** Absent most of the time, so that a case sets a few props, as users do. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary });

const sizedResources = fc
  .tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 128, max: 8192 }))
  .map(([millis, mib]) => ({
    cpu: { request: kplus.Cpu.millis(millis), limit: kplus.Cpu.millis(millis) },
    memory: { request: Size.mebibytes(mib), limit: Size.mebibytes(mib) },
  }));

/** One way of choosing the CloudWatch metrics, or none. */
const metricChoice = fc.oneof(
  fc.constant({}),
  fc.record({ metricSelection: fc.constantFrom(...METRIC_PROFILES).map((p) => MetricSelection.profile(p)) }),
  fc.record({
    metricSelection: fc
      .tuple(
        fc.subarray(
          METRIC_CATALOG.filter((m) => m.scope === 'pod').map((m) => m.name),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom(
          [[Dimension.CLUSTER_NAME]],
          [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE]],
          [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME]],
        ),
      )
      .map(([metrics, sets]) =>
        MetricSelection.metrics(
          metrics,
          sets.map((set) => [...set]),
        ),
      ),
  }),
);

/** Props a user could mean: each optional one absent, or a value in its accepted range. */
const validishProps = region.chain((r) =>
  fc
    .tuple(
      fc.record({
        clusterName: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/),
        region: fc.constant(r),
        serviceAccountRoleArn: fc.constantFrom(
          `arn:${partitionOf(r)}:iam::123456789012:role/adot`,
          `arn:${partitionOf(r)}:iam::123456789012:role/path/adot`,
        ),
        namespace: sometimes(dnsLabel),
        adotVersion: sometimes(fc.constantFrom(...AdotVersion.SUPPORTED).map((tag) => AdotVersion.of(tag))),
        image: sometimes(fc.constant('registry.example.com/adot:v1')),
        scrapeInterval: sometimes(fc.integer({ min: 41_000, max: 300_000 }).map(Duration.millis)),
        scrapeTimeout: sometimes(fc.integer({ min: 1, max: 40_000 }).map(Duration.millis)),
        expectedPods: sometimes(fc.integer({ min: 1, max: 20_000 })),
        resources: sometimes(sizedResources),
        replicas: sometimes(fc.integer({ min: 1, max: 5 })),
        fargateNodesOnly: sometimes(fc.boolean()),
        performanceLogRetentionDays: sometimes(fc.constantFrom(...EMF_LOG_RETENTION_DAYS)),
        performanceLogGroupTags: sometimes(
          fc.dictionary(
            fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.=+@-]{0,10}$/),
            fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,12}$/),
            {
              minKeys: 1,
              maxKeys: 4,
            },
          ),
        ),
        applicationMetrics: sometimes(
          fc.record(
            {
              namespaces: sometimes(fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 3 })),
              cloudWatch: fc.constant({
                declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['namespace']] }],
              }),
              managedPrometheus: sometimes(fc.constant({ remoteWriteUrl: REMOTE_WRITE(r) })),
            },
            { requiredKeys: ['cloudWatch'] },
          ),
        ),
        metricsDestination: sometimes(fc.constantFrom('emf', 'otlp', 'both')),
        allowUnlistedRegion: sometimes(fc.boolean()),
        podHealth: sometimes(
          fc.record(
            {
              profile: fc.constantFrom(...POD_HEALTH_PROFILES),
              kubeStateMetricsVersion: fc
                .constantFrom(...KubeStateMetricsVersion.SUPPORTED)
                .map((tag) => KubeStateMetricsVersion.of(tag)),
              image: fc.constant('registry.example.com/kube-state-metrics:v2'),
              resources: sizedResources,
              alarms: fc.record(
                {
                  enabled: fc.boolean(),
                  restarts: fc.integer({ min: 1, max: 100 }),
                  restartMinutes: fc.integer({ min: 1, max: 60 }),
                  pendingMinutes: fc.integer({ min: 1, max: 60 }),
                },
                { requiredKeys: [] },
              ),
            },
            { requiredKeys: [] },
          ),
        ),
      }),
      metricChoice,
    )
    .map(([props, choice]) => ({ ...props, ...choice })),
);

/** For each prop, values at and past the edges of what it accepts. */
const EDGES: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  clusterName: fc.string({ maxLength: 120 }),
  region: fc.constantFrom('eu-centrall-1', 'US-EAST-1', 'us-east'),
  serviceAccountRoleArn: fc.constantFrom('arn:aws:iam::123:role/x', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`),
  namespace: fc.constantFrom('golang', 'Bad', '-x', 'a'.repeat(64)),
  scrapeInterval: duration,
  scrapeTimeout: duration,
  expectedPods: fc.constantFrom(0, 1_000_001, 2.5, Number.NaN),
  resources: resources,
  replicas: fc.constantFrom(0, 101, 1.5, Number.POSITIVE_INFINITY),
  performanceLogRetentionDays: fc.constantFrom(2, 1096, -1, Number.NaN),
  performanceLogGroupTags: fc.dictionary(tagText, tagText, { maxKeys: 4 }),
  // Anything but a MetricSelection: what the factories refuse is checked with them.
  metricSelection: fc.constantFrom('reference', { metricDeclarations: [] }, [], MetricProfile.CONSOLE),
  metricsDestination: fc.constantFrom('EMF', 'prometheus'),
  applicationMetrics: fc.constantFrom(
    {},
    { namespaces: [], cloudWatch: {} },
    { managedPrometheus: { remoteWriteUrl: 'https://x' } },
  ),
  podHealth: fc.oneof(
    fc.constantFrom(
      { profile: 'everything' },
      { kubeStateMetricsVersion: 'v2.20.0' },
      { image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:latest ' },
      { alarms: { restarts: 0 } },
      { alarms: { pendingMinutes: 1441 } },
      { alarms: { restartsPerMinute: 3 } },
      { alarms: [] },
      { profiles: 'full' },
    ),
    fc.record({ resources }),
  ),
};
const MUTABLE = [...Object.keys(EDGES), 'adotVersion', 'image', 'fargateNodesOnly', 'allowUnlistedRegion'];

/** Valid-ish props, and now and then one prop set to a value at an edge or to junk. */
const collectorProps = fc
  .tuple(
    validishProps,
    fc.option(
      fc.constantFrom(...MUTABLE).chain((key) => fc.tuple(fc.constant(key), fc.oneof(EDGES[key] ?? junk, junk))),
      { freq: 2 },
    ),
  )
  .map(([props, mutation]) =>
    Object.fromEntries(
      Object.entries(mutation === null ? props : { ...props, [mutation[0]]: mutation[1] }).filter(
        ([, value]) => value !== undefined,
      ),
    ),
  );

const operatorVersion = mostly(
  fc.constantFrom('v0.99.0', 'v0.102.0', 'v0.137.0', 'v0.158.0').map((t) => OperatorVersion.of(t)),
);

/** Builds the collector in a new app and synthesizes it. */
function synthCollector(props: unknown, operator: unknown): readonly KubernetesObject[] {
  const chart = new Chart(Testing.app(), 'test');
  if (operator === undefined) {
    new FargateContainerInsightsCollector(chart, 'Collector', props as FargateContainerInsightsCollectorProps);
  } else {
    new FargateContainerInsightsOperatorCollector(chart, 'Collector', {
      ...(props as FargateContainerInsightsCollectorProps),
      ...(operator === 'default' ? {} : { operatorVersion: operator as OperatorVersion }),
    });
  }
  return Testing.synth(chart) as KubernetesObject[];
}

/** The collector configuration of the synthesized objects, as the collector reads it. */
function collectorConfig(objects: readonly KubernetesObject[]): unknown {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'adot-collector-config');
  if (configMap) return parse((configMap.data as Record<string, string>)['adot-collector-config'] ?? '');
  const resource = objects.find((o) => o.kind === 'OpenTelemetryCollector');
  return (resource?.spec as { config?: unknown } | undefined)?.config;
}

/** The props as a string for a failure report. */
const described = (outcome: Outcome) => ('rejected' in outcome ? outcome.rejected.message : 'accepted');

describe('collector props', () => {
  test(
    'every generated prop set is rejected by name or synthesizes valid, unique, deterministic objects',
    () => {
      const tally = new Tally();
      check(
        fc.property(
          collectorProps,
          fc.oneof(fc.constant(undefined), fc.constant('default'), operatorVersion),
          (props, operator) => {
            const outcome = outcomeOf(() => synthCollector(props, operator));
            tally.add('rejected' in outcome ? 'rejected' : 'accepted');
            if ('rejected' in outcome) {
              expect(outcome.rejected.message, described(outcome)).toMatch(/^(Invalid|Unknown|Missing) \S/);
              return;
            }
            expectValidAndUnique(outcome.objects);
            expectSaneCollectorConfig(collectorConfig(outcome.objects));
            expect(synthCollector(props, operator)).toStrictEqual(outcome.objects);
          },
        ),
        'collectorProps',
      );
      tally.report('collector props', ['accepted', 'rejected']);
    },
    budget('collectorProps').timeoutMs,
  );
});

describe('the other constructs', () => {
  const webappProps = fc.record(
    {
      namespace: mostly(dnsLabel),
      replicas: mostly(fc.integer({ min: 0, max: 10 })),
      image: mostly(fc.constant('public.ecr.aws/awsvijisarathy/prometheus-webapp:latest')),
      resources: fc.oneof(sizedResources, resources),
    },
    { requiredKeys: [] },
  );
  const loggingProps = fc.record(
    {
      clusterName: mostly(fc.constantFrom('demo', 'prod_eu')),
      region: mostly(region),
      logGroupName: mostly(fc.constantFrom('/aws/eks/demo/containers', '/aws/containerinsights/demo/application')),
      logStreamPrefix: mostly(fc.constantFrom('fargate-', 'app-')),
      logRetentionDays: mostly(fc.constantFrom(1, 7, 30, 1096, 2)),
      autoCreateGroup: mostly(fc.boolean()),
      kubernetesMetadata: mostly(fc.boolean()),
      fluentBitProcessLogs: mostly(fc.boolean()),
    },
    { requiredKeys: ['clusterName', 'region'] },
  );

  test(
    'the sample application and Fargate logging: rejected by name, or valid, unique and deterministic',
    () => {
      const tally = new Tally();
      check(
        fc.property(mostly(webappProps, 20), mostly(loggingProps, 20), (webapp, logging) => {
          const build = () => {
            const chart = new Chart(Testing.app(), 'test');
            new SampleGoWebapp(chart, 'Webapp', webapp as SampleGoWebappProps);
            new FargateLogging(chart, 'Logging', logging as FargateLoggingProps);
            return Testing.synth(chart) as KubernetesObject[];
          };
          const outcome = outcomeOf(build);
          tally.add('rejected' in outcome ? 'rejected' : 'accepted');
          if ('rejected' in outcome) return;
          expectValidAndUnique(outcome.objects);
          expect(build()).toStrictEqual(outcome.objects);
        }),
        'otherConstructs',
      );
      tally.report('sample application and Fargate logging', ['accepted', 'rejected']);
    },
    budget('otherConstructs').timeoutMs,
  );
});

describe('messages', () => {
  test(
    'showValue never throws, and writes numbers as JavaScript does, -0 included',
    () => {
      check(
        fc.property(
          fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
          (value) => {
            const shown = showValue(value);
            expect(typeof shown).toBe('string');
            expect(shown.length).toBeLessThanOrEqual(200);
            if (typeof value === 'number') expect(shown).toBe(Object.is(value, -0) ? '-0' : String(value));
          },
        ),
        'messages',
      );
    },
    budget('messages').timeoutMs,
  );
});
