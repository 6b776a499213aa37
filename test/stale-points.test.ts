import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { resolveApplicationMetrics } from '../src/config/application-metrics';
import { PodHealthProfile } from '../src/config/catalog/pod-health-metrics';
import { PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { buildCollectorConfig } from '../src/config/collector-config';
import type { ProcessorConfig } from '../src/config/config-model';
import { MetricsDestination } from '../src/config/metrics-destination';
import type { CollectorConfigOptions } from '../src/config/pipelines/pipeline';
import {
  dropStalePoints,
  mergesDataPoints,
  STALE_POINT_CONDITION,
  STALE_POINTS_FILTER_ID,
  staleFilter,
} from '../src/config/pipelines/stale-points';
import { cadvisorSeries, NODE_LABELS, type NodeState, nextNode, nodeArb, nodeEventArb } from './support/cadvisor-node';
import { DEFAULT_CONFIG_OPTIONS } from './support/collector';
import { type ClusterState, changeArb, kubeStateSeries, type PodState } from './support/kube-state';
import {
  APPLICATION_PIPELINE_MODEL,
  asCollectorReads,
  CONTAINER_INSIGHTS_PIPELINE,
  type EmittedValue,
  type MapOrder,
  type Metric,
  type ModelledPipeline,
  PipelineModel,
  POD_HEALTH_PIPELINE_MODEL,
  type Series,
  seededOrder,
  sent,
} from './support/pipeline-model';
import { PROPERTY_SEED } from './support/property';

/**
 * Series that go away between scrapes: the prometheus receiver sends a stale point for each (stale-points.ts says what
 * the components then do with it). Every pipeline that merges data points drops them first; these tests hold the
 * configuration to that and run series that come and go through the pipeline model, in random map orders.
 */

/** Cases each property runs: a fixed count, from the fixed seed. */
const RUNS = 150;
const CLUSTER = 'prod-eu';

const POD_HEALTH = {
  target: 'kube-state-metrics.fargate-container-insights.svc:8080',
  pod: { size: '0.25 vCPU 0.5 GB', monthlyUsd: 9.01 },
};
const APPLICATION = resolveApplicationMetrics('applicationMetrics', {
  cloudWatch: {
    declarations: [
      { metrics: ['queue_depth', 'inflight_requests'], dimensionSets: [['ClusterName', 'namespace', 'app']] },
    ],
  },
});

const config = (overrides: Partial<CollectorConfigOptions>) =>
  buildCollectorConfig({ ...DEFAULT_CONFIG_OPTIONS, ...overrides });

/** The configuration with one processor taken out of one pipeline: what the tests would see without that step. */
function without(overrides: Partial<CollectorConfigOptions>, pipeline: string, processor: string) {
  const built = config(overrides);
  const pipelines = built.service.pipelines as Record<string, { processors: readonly string[] }>;
  const target = pipelines[pipeline];
  if (target === undefined || !target.processors.includes(processor)) {
    throw new Error(`${pipeline} has no ${processor}`);
  }
  return {
    ...built,
    service: {
      ...built.service,
      pipelines: {
        ...pipelines,
        [pipeline]: { ...target, processors: target.processors.filter((p) => p !== processor) },
      },
    },
  } as typeof built;
}

/** The emitted values in one canonical order, to compare two runs. */
const canonical = (values: readonly EmittedValue[]) =>
  values.map((v) => JSON.stringify([v.metric, Object.entries(v.dimensions).sort(), v.value])).sort();

/** Runs scrapes through a model of one pipeline; what the last one sends. */
function lastSent(
  built: ReturnType<typeof config>,
  modelled: ModelledPipeline,
  scrapes: ReadonlyArray<readonly Series[]>,
  order: MapOrder,
  nodeLabels: Readonly<Record<string, string>> = {},
  version: AdotVersion = AdotVersion.DEFAULT,
): { emitted: EmittedValue[]; metrics: Metric[] } {
  const model = new PipelineModel(asCollectorReads(built, version), { ClusterName: CLUSTER }, modelled, order);
  let metrics: Metric[] = [];
  for (const series of scrapes) metrics = model.scrape(series, nodeLabels);
  return { emitted: model.emitted(metrics), metrics };
}

/** `before` restricted to the series `after` still has: the history in which nothing went away. */
function survivors(before: readonly Series[], after: readonly Series[]): Series[] {
  const id = (s: Series) => `${s.family}${JSON.stringify(Object.entries(s.labels).sort())}`;
  const kept = new Set(after.map(id));
  return before.filter((s) => kept.has(id(s)));
}

describe('the configuration: stale points out before anything merges them', () => {
  const shapes: Array<[string, Partial<CollectorConfigOptions>]> = [
    ['EMF', {}],
    ['OTLP', { metricsDestination: MetricsDestination.OTLP }],
    ['both', { metricsDestination: MetricsDestination.BOTH }],
    ['EMF with pod health, full', { podHealth: { ...POD_HEALTH, profile: PodHealthProfile.FULL } }],
    [
      'both with pod health, cluster',
      { metricsDestination: MetricsDestination.BOTH, podHealth: { ...POD_HEALTH, profile: PodHealthProfile.CLUSTER } },
    ],
    [
      'OTLP with pod health',
      { metricsDestination: MetricsDestination.OTLP, podHealth: { ...POD_HEALTH, profile: PodHealthProfile.FULL } },
    ],
    ['EMF with application metrics', { applicationMetrics: APPLICATION }],
  ];
  const cases = shapes.flatMap(([name, overrides]) =>
    [AdotVersion.V0_40_0, AdotVersion.V0_42_0, AdotVersion.DEFAULT].map(
      (version) => [`${name}, ADOT ${version.tag}`, { ...overrides, version }] as const,
    ),
  );

  test.each(cases)(
    '%s: every pipeline that merges data points drops stale ones first, and only those',
    (_, overrides) => {
      const built = config(overrides);
      const processors = built.processors as Record<string, ProcessorConfig>;
      const pipelines = Object.entries(built.service.pipelines as Record<string, { processors: readonly string[] }>);
      for (const [id, pipeline] of pipelines) {
        const merging = pipeline.processors.filter((p) => mergesDataPoints(p, processors[p] as ProcessorConfig));
        const at = pipeline.processors.indexOf(STALE_POINTS_FILTER_ID);
        if (merging.length === 0) {
          // Passed on as they are (OTLP, remote write), a staleness marker tells the store the series ended.
          expect(at, id).toBe(-1);
          continue;
        }
        expect(pipeline.processors.slice(0, at + 1), id).toStrictEqual(['memory_limiter', STALE_POINTS_FILTER_ID]);
        expect(Math.min(...merging.map((p) => pipeline.processors.indexOf(p)))).toBeGreaterThan(at);
      }
      const merges = pipelines.some(([, p]) => p.processors.includes(STALE_POINTS_FILTER_ID));
      expect(processors[STALE_POINTS_FILTER_ID]).toStrictEqual(merges ? staleFilter() : undefined);
    },
  );

  test('the filter: one OTTL data point condition on the NoRecordedValue flag, errors ignored', () => {
    expect(staleFilter()).toStrictEqual({ error_mode: 'ignore', metrics: { datapoint: [STALE_POINT_CONDITION] } });
    expect(STALE_POINT_CONDITION).toBe('flags == FLAG_NO_RECORDED_VALUE');
  });

  test.each([
    [
      'metricstransform/x',
      {
        transforms: [
          {
            include: 'a',
            match_type: 'strict',
            action: 'update',
            operations: [{ action: 'aggregate_labels', label_set: [], aggregation_type: 'sum' }],
          },
        ],
      },
      true,
    ],
    [
      'metricstransform/x',
      { transforms: [{ include: 'a', match_type: 'strict', action: 'combine', new_name: 'b' }] },
      true,
    ],
    [
      'metricstransform',
      { transforms: [{ include: 'a', match_type: 'strict', action: 'insert', new_name: 'b' }] },
      false,
    ],
    [
      'metricsgeneration/1',
      { rules: [{ name: 'c', unit: 'Percent', type: 'calculate', metric1: 'a', metric2: 'b', operation: 'percent' }] },
      true,
    ],
    [
      'experimental_metricsgeneration/1',
      { rules: [{ name: 'c', unit: 'Percent', type: 'calculate', metric1: 'a', metric2: 'b', operation: 'percent' }] },
      true,
    ],
    [
      'metricsgeneration/1',
      { rules: [{ name: 'c', unit: 'None', type: 'scale', metric1: 'a', operation: 'multiply', scale_by: 2 }] },
      false,
    ],
    ['cumulativetodelta', { include: { metrics: ['a'], match_type: 'strict' } }, false],
    ['batch', { timeout: '60s' }, false],
  ] as Array<[string, ProcessorConfig, boolean]>)('%s merges data points: %#', (id, processor, expected) => {
    expect(mergesDataPoints(id, processor)).toBe(expected);
  });

  test('a configuration whose pipelines merge nothing is returned as it is', () => {
    const graph = {
      processors: new Map<string, ProcessorConfig>([
        ['memory_limiter', { check_interval: '1s', limit_mib: 100, spike_limit_mib: 20 }],
        ['batch', { timeout: '60s' }],
      ]),
      pipelines: {
        metrics: { receivers: ['prometheus'], processors: ['memory_limiter', 'batch'], exporters: ['awsemf'] },
      },
    };
    expect(dropStalePoints(graph)).toBe(graph);
  });

  test("the EMF path's cAdvisor samples take the scrape's time; the OTLP path keeps cAdvisor's", () => {
    const built = config({ metricsDestination: MetricsDestination.BOTH });
    expect(built.receivers.prometheus?.config.scrape_configs[0]?.honor_timestamps).toBe(false);
    expect(built.receivers['prometheus/otlp']?.config.scrape_configs[0]).not.toHaveProperty('honor_timestamps');
  });
});

describe('pod health when pods, addresses, workloads and nodes go away', () => {
  const profiles = [PodHealthProfile.FULL, PodHealthProfile.CLUSTER];
  const built = (profile: PodHealthProfile) => config({ podHealth: { ...POD_HEALTH, profile } });

  /** shop/web has three ready pods, shop/api two: five in the cluster. */
  const running = (name: string, service: string, ip: string): PodState => ({
    namespace: 'shop',
    name,
    phase: 'Running',
    ready: true,
    ip,
    containers: [{ name: 'app', state: 'running', restarts: 0 }],
    service: { name: service, slices: 2 },
  });
  const before: ClusterState = {
    pods: [
      running('web-a', 'web', '10.0.0.1'),
      running('web-b', 'web', '10.0.0.2'),
      running('web-c', 'web', '10.0.0.3'),
      running('api-a', 'api', '10.0.0.4'),
      running('api-b', 'api', '10.0.0.5'),
    ],
    workloads: [],
    nodes: [{ name: 'fargate-ip-1', ready: 'true' }],
  };
  const after: ClusterState = {
    ...before,
    pods: before.pods.map((p) => (p.name === 'web-b' ? { ...p, ready: false } : p)),
  };
  const service = (svc: string) => ({ Service: svc, Namespace: 'shop', ClusterName: CLUSTER });
  const SEEDS = Array.from({ length: 40 }, (_, i) => PROPERTY_SEED + i);

  test("a pod leaves shop/web's ready set: 3 then 2 for the Service, 5 then 4 in the cluster, in every map order", () => {
    for (const seed of SEEDS) {
      const scrapes = [kubeStateSeries(before), kubeStateSeries(after)];
      const { emitted } = lastSent(built(PodHealthProfile.FULL), POD_HEALTH_PIPELINE_MODEL, scrapes, seededOrder(seed));
      expect(sent(emitted, 'service_number_of_running_pods', service('web')), `seed ${seed}`).toBe(2);
      expect(sent(emitted, 'service_number_of_running_pods', service('api')), `seed ${seed}`).toBe(2);
      expect(sent(emitted, 'service_number_of_running_pods', { ClusterName: CLUSTER }), `seed ${seed}`).toBe(4);
    }
  });

  test('without the stale-point filter, the same change loses values in some map orders (what the issue saw)', () => {
    const lost = SEEDS.filter((seed) => {
      const scrapes = [kubeStateSeries(before), kubeStateSeries(after)];
      const bare = without(
        { podHealth: { ...POD_HEALTH, profile: PodHealthProfile.FULL } },
        'metrics/pod_health',
        STALE_POINTS_FILTER_ID,
      );
      const { emitted } = lastSent(bare, POD_HEALTH_PIPELINE_MODEL, scrapes, seededOrder(seed));
      return (
        sent(emitted, 'service_number_of_running_pods', service('web')) !== 2 ||
        sent(emitted, 'service_number_of_running_pods', { ClusterName: CLUSTER }) !== 4
      );
    });
    expect(lost.length).toBeGreaterThan(0);
  });

  /** What a change sends, against the same change in a history where nothing went away. */
  const sameAsWithoutVanished = (built: ReturnType<typeof config>) =>
    fc.property(changeArb, fc.integer(), ({ before, after }, seed) => {
      const [first, second] = [kubeStateSeries(before), kubeStateSeries(after)];
      const run = (scrapes: Series[][]) =>
        canonical(lastSent(built, POD_HEALTH_PIPELINE_MODEL, scrapes, seededOrder(seed)).emitted);
      expect(run([first, second])).toStrictEqual(run([survivors(first, second), second]));
    });

  test.each(profiles)('%s profile: a series that went away neither zeroes nor hides a value', (profile) => {
    fc.assert(sameAsWithoutVanished(built(profile)), { seed: PROPERTY_SEED, numRuns: RUNS });
  });

  test('without the stale-point filter, that property fails (the model sees the loss)', () => {
    const bare = without(
      { podHealth: { ...POD_HEALTH, profile: PodHealthProfile.FULL } },
      'metrics/pod_health',
      STALE_POINTS_FILTER_ID,
    );
    expect(fc.check(sameAsWithoutVanished(bare), { seed: PROPERTY_SEED, numRuns: RUNS }).failed).toBe(true);
  });

  test.each(profiles)('%s profile: the counts are those of the cluster at the second scrape', (profile) => {
    fc.assert(
      fc.property(changeArb, fc.integer(), ({ before, after }, seed) => {
        const scrapes = [kubeStateSeries(before), kubeStateSeries(after)];
        const { emitted } = lastSent(built(profile), POD_HEALTH_PIPELINE_MODEL, scrapes, seededOrder(seed));
        const cluster = { ClusterName: CLUSTER };
        const orNone = (n: number, present: boolean) => (present ? n : undefined);

        // Ready addresses, each pod once however many ports it serves.
        const ready = after.pods.filter((p) => p.service !== undefined && p.phase === 'Running' && p.ready);
        const services = new Map<string, Set<string>>();
        for (const p of ready) {
          const key = `${p.namespace}/${p.service?.name}`;
          services.set(key, (services.get(key) ?? new Set()).add(p.ip));
        }
        const readyTotal = [...services.values()].reduce((n, ips) => n + ips.size, 0);
        expect(sent(emitted, 'service_number_of_running_pods', cluster)).toBe(orNone(readyTotal, readyTotal > 0));
        if (profile === PodHealthProfile.FULL) {
          for (const [key, ips] of services) {
            const [namespace, svc] = key.split('/') as [string, string];
            expect(
              sent(emitted, 'service_number_of_running_pods', { Service: svc, Namespace: namespace, ...cluster }),
            ).toBe(ips.size);
          }
        }

        const nodes = after.nodes.length;
        expect(sent(emitted, 'cluster_node_count', cluster)).toBe(orNone(nodes, nodes > 0));
        const failed = after.nodes.filter((n) => n.ready !== 'true').length;
        expect(sent(emitted, 'cluster_failed_node_count', cluster)).toBe(orNone(failed, nodes > 0));

        const runningPods = after.pods.filter((p) => p.phase === 'Running').length;
        expect(sent(emitted, 'cluster_number_of_running_pods', cluster)).toBe(
          orNone(runningPods, after.pods.length > 0),
        );
        for (const namespace of new Set(after.pods.map((p) => p.namespace))) {
          const n = after.pods.filter((p) => p.namespace === namespace && p.phase === 'Running').length;
          expect(sent(emitted, 'namespace_number_of_running_pods', { Namespace: namespace, ...cluster })).toBe(n);
        }

        const unavailable = after.workloads.filter((w) => w.kind !== 'statefulset');
        expect(sent(emitted, 'status_replicas_unavailable', cluster)).toBe(
          orNone(
            unavailable.reduce((n, w) => n + w.desired - w.available, 0),
            unavailable.length > 0,
          ),
        );

        // Restarts: the increase of each container's count between the two scrapes, for the containers in both.
        const counts = (state: ClusterState) =>
          new Map(
            state.pods.flatMap((p) =>
              p.containers.map((c) => [`${p.namespace}/${p.name}/${c.name}`, c.restarts] as const),
            ),
          );
        const [was, is] = [counts(before), counts(after)];
        const both = [...is.keys()].filter((k) => was.has(k));
        const increase = both.reduce((n, k) => n + ((is.get(k) ?? 0) - (was.get(k) ?? 0)), 0);
        expect(sent(emitted, 'pod_number_of_container_restarts', cluster)).toBe(orNone(increase, both.length > 0));
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    );
  });
});

describe('performance when containers come and go', () => {
  const built = (version = AdotVersion.DEFAULT) => config({ version, declarations: PROFILE_DECLARATIONS.console });
  const changeOfNode = fc
    .tuple(nodeArb, nodeEventArb)
    .map(([before, event]) => ({ before, after: nextNode(before, event, 1) }));
  const scrapesOf = ({ before, after }: { before: NodeState; after: NodeState | undefined }) => [
    cadvisorSeries(before, 0),
    after === undefined ? [] : cadvisorSeries(after, 60_000),
  ];
  /** The points of a metric the exporter would send. */
  const values = (metrics: readonly Metric[], name: string) =>
    metrics.filter((m) => m.name === name).flatMap((m) => m.points.filter((p) => !p.stale).map((p) => p.value));

  test.each([AdotVersion.V0_40_0, AdotVersion.DEFAULT])(
    "ADOT %s: a pod's containers, each read by cAdvisor at its own time, sum into one pod value",
    (version) => {
      fc.assert(
        fc.property(changeOfNode, fc.integer(), (change, seed) => {
          const { metrics } = lastSent(
            built(version),
            CONTAINER_INSIGHTS_PIPELINE,
            scrapesOf(change),
            seededOrder(seed),
            NODE_LABELS,
            version,
          );
          const { before, after } = change;
          const now = after?.pod?.containers ?? [];
          const was = new Map((before.pod?.containers ?? []).map((c) => [c.id, c]));
          const running = now.filter((c) => was.has(c.id));
          const expectOne = (name: string, expected: number | undefined) => {
            const got = values(metrics, name);
            if (expected === undefined) expect(got, name).toStrictEqual([]);
            else {
              expect(got, name).toHaveLength(1);
              expect(got[0], name).toBeCloseTo(expected, 6);
            }
          };
          expectOne('pod_memory_working_set', now.length > 0 ? now.reduce((n, c) => n + c.workingSet, 0) : undefined);
          expectOne(
            'pod_cpu_usage_total',
            running.length > 0
              ? (running.reduce((n, c) => n + c.cpuSeconds - (was.get(c.id)?.cpuSeconds ?? 0), 0) / 60) * 1000
              : undefined,
          );
          const rx = (node: NodeState | undefined) => node?.pod?.interfaces.reduce((n, i) => n + i.rxBytes, 0);
          const [rx0, rx1] = [rx(before), rx(after)];
          expectOne('pod_network_rx_bytes', rx0 !== undefined && rx1 !== undefined ? (rx1 - rx0) / 60 : undefined);
          // The node's own values do not depend on the pod.
          expectOne('node_memory_working_set', after === undefined ? undefined : 900 * 1024 * 1024);
        }),
        { seed: PROPERTY_SEED, numRuns: RUNS },
      );
    },
  );

  test("with cAdvisor's timestamps kept, a two-container pod would send a value per container, not their sum", () => {
    const node: NodeState = {
      pod: {
        containers: [
          { name: 'app', id: 'app', cpuSeconds: 10, workingSet: 200 },
          { name: 'sidecar', id: 'sidecar', cpuSeconds: 5, workingSet: 100 },
        ],
        interfaces: [{ name: 'eth0', rxBytes: 0 }],
      },
      lag: { app: 3, sidecar: 7 },
    };
    const honouring = config({});
    const job = honouring.receivers.prometheus?.config.scrape_configs[0];
    const { honor_timestamps: _, ...kept } = job ?? ({} as NonNullable<typeof job>);
    const withTimestamps = {
      ...honouring,
      receivers: {
        ...honouring.receivers,
        prometheus: { config: { ...honouring.receivers.prometheus?.config, scrape_configs: [kept] } },
      },
    } as typeof honouring;
    const scrapes = [cadvisorSeries(node, 0), cadvisorSeries(node, 60_000)];
    const split = lastSent(withTimestamps, CONTAINER_INSIGHTS_PIPELINE, scrapes, seededOrder(1), NODE_LABELS);
    expect(values(split.metrics, 'pod_memory_working_set').sort()).toStrictEqual([100, 200]);
    const summed = lastSent(honouring, CONTAINER_INSIGHTS_PIPELINE, scrapes, seededOrder(1), NODE_LABELS);
    expect(values(summed.metrics, 'pod_memory_working_set')).toStrictEqual([300]);
  });

  test('a series that went away neither zeroes nor hides a value', () => {
    fc.assert(
      fc.property(changeOfNode, fc.integer(), (change, seed) => {
        const [first, second] = scrapesOf(change);
        const run = (scrapes: Series[][]) =>
          canonical(lastSent(built(), CONTAINER_INSIGHTS_PIPELINE, scrapes, seededOrder(seed), NODE_LABELS).emitted);
        expect(run([first, second])).toStrictEqual(run([survivors(first, second), second]));
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    );
  });
});

describe('application metrics when series go away', () => {
  const built = config({ applicationMetrics: APPLICATION });
  const target = { namespace: 'shop', pod: 'web-a', app: 'web' };
  const seriesArb = fc.uniqueArray(
    fc.record({
      family: fc.constantFrom('queue_depth', 'inflight_requests', 'undeclared_total'),
      queue: fc.constantFrom('orders', 'emails', 'audit'),
      value: fc.integer({ min: 0, max: 50 }),
    }),
    { selector: (s) => `${s.family}/${s.queue}`, maxLength: 6 },
  );
  const toSeries = (list: ReadonlyArray<{ family: string; queue: string; value: number }>): Series[] =>
    list.map((s) => ({ family: s.family, labels: { ...target, queue: s.queue }, value: s.value }));

  test('every live declared series is sent as it is, and nothing for the ones that went away', () => {
    fc.assert(
      fc.property(seriesArb, seriesArb, fc.integer(), (first, second, seed) => {
        const { emitted } = lastSent(
          built,
          APPLICATION_PIPELINE_MODEL,
          [toSeries(first), toSeries(second)],
          seededOrder(seed),
        );
        const declared = second.filter((s) => s.family !== 'undeclared_total');
        expect(emitted.map((e) => [e.metric, e.value]).sort()).toStrictEqual(
          declared.map((s) => [s.family, s.value]).sort(),
        );
        for (const e of emitted)
          expect(e.dimensions).toStrictEqual({ ClusterName: CLUSTER, namespace: 'shop', app: 'web' });
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    );
  });
});
