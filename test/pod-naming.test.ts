import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { DEFAULT_POD_HEALTH_ALARMS } from '../src/collector/pod-health';
import { AdotVersion } from '../src/config/adot-version';
import { CONTAINER_INSIGHTS_EKS_METRICS, NOT_PRODUCED_METRICS } from '../src/config/catalog/console-reference';
import { Dimension } from '../src/config/catalog/metric-types';
import { PodHealthProfile } from '../src/config/catalog/pod-health-metrics';
import { MetricProfile } from '../src/config/catalog/profiles';
import type { MetricDeclaration } from '../src/config/components/awsemf-exporter';
import { MetricSelection } from '../src/config/metric-selection';
import type { ClusterLoad } from '../src/config/pipelines/pipeline';
import { PodNaming } from '../src/config/pod-naming';
import { ValidationError } from '../src/core/errors';
import { estimateCluster } from '../src/cost/cluster-bill';
import { podHealthAlarms } from '../src/prerequisites/alarms';
import { cadvisorSeries, type NodeState, nextNode } from './support/cadvisor-node';
import { buildConfig } from './support/collector';
import { parseExposition } from './support/exposition';
import { type FargatePod, podTargetLabels, scrapedTarget } from './support/fargate-pods';
import {
  asCollectorReads,
  type EmittedValue,
  PipelineModel,
  POD_HEALTH_PIPELINE_MODEL,
  type Series,
} from './support/pipeline-model';
import { PROPERTY_SEED } from './support/property';

/**
 * PodName is the workload, FullPodName the pod: Fargate pods owned by each
 * kind of controller, discovered as Prometheus discovers them, scraped and
 * run through the performance pipeline's model; the bill and the
 * declarations that follow.
 */

const MiB = 1024 * 1024;
const LOAD: ClusterLoad = { pods: 100, namespaces: 10, workloads: 30, services: 30 };

/** A pod of the given name on a Fargate node of its own. */
const onFargate = (pod: Omit<FargatePod, 'node'>): FargatePod => ({ ...pod, node: `fargate-${pod.name}` });

const PODS: Record<string, { readonly pod: FargatePod; readonly workload: string }> = {
  'Deployment, first replica': {
    pod: onFargate({
      name: 'web-7d9f8b6c5-x2x4z',
      namespace: 'shop',
      controller: { kind: 'ReplicaSet', name: 'web-7d9f8b6c5' },
      templateHash: '7d9f8b6c5',
      ports: [[8080, 8443], [9901]],
    }),
    workload: 'web',
  },
  'Deployment, second replica': {
    pod: onFargate({
      name: 'web-7d9f8b6c5-b5q7z',
      namespace: 'shop',
      controller: { kind: 'ReplicaSet', name: 'web-7d9f8b6c5' },
      templateHash: '7d9f8b6c5',
    }),
    workload: 'web',
  },
  StatefulSet: {
    pod: onFargate({ name: 'db-0', namespace: 'data', controller: { kind: 'StatefulSet', name: 'db' } }),
    workload: 'db',
  },
  DaemonSet: {
    pod: onFargate({ name: 'probe-h7k2p', namespace: 'ops', controller: { kind: 'DaemonSet', name: 'probe' } }),
    workload: 'probe',
  },
  Job: {
    pod: onFargate({ name: 'migrate-q2w4r', namespace: 'ops', controller: { kind: 'Job', name: 'migrate' } }),
    workload: 'migrate',
  },
  'CronJob (its Job)': {
    pod: onFargate({
      name: 'report-29612345-z9x8c',
      namespace: 'ops',
      controller: { kind: 'Job', name: 'report-29612345' },
    }),
    workload: 'report',
  },
  'a ReplicaSet of its own': {
    pod: onFargate({ name: 'cache-k2x9m', namespace: 'ops', controller: { kind: 'ReplicaSet', name: 'cache' } }),
    workload: 'cache',
  },
  'no owner': { pod: onFargate({ name: 'debug-shell', namespace: 'ops', ports: [[]] }), workload: 'debug-shell' },
  'no owner, named like a StatefulSet pod': {
    pod: onFargate({ name: 'tools-1', namespace: 'ops' }),
    workload: 'tools-1',
  },
};

/**
 * What pod health names each pod's workload, from its name alone: the same,
 * but for an ownerless pod named like a controller's (docs/pod-health.md).
 */
const POD_HEALTH_WORKLOAD: Readonly<Record<string, string>> = { 'tools-1': 'tools' };

/** A node's pod with one container, at its first scrape and a minute later. */
function podScrapes(pod: FargatePod, cpuPerMinute = 12): [Series[], Series[]] {
  const first: NodeState = {
    pod: {
      containers: [{ name: 'app', id: 'app', cpuSeconds: 100, workingSet: 200 * MiB }],
      interfaces: [{ name: 'eth0', rxBytes: 1000 }],
    },
    lag: {},
  };
  const second = nextNode(first, { kind: 'run', cpu: [cpuPerMinute], rx: 6000 }, 1) as NodeState;
  // cadvisor-node's pod is shop/web: this one's name and namespace instead.
  const named = (series: Series[]): Series[] =>
    series.map((s) =>
      'pod' in s.labels ? { ...s, labels: { ...s.labels, pod: pod.name, namespace: pod.namespace } } : s,
    );
  return [named(cadvisorSeries(first, 0)), named(cadvisorSeries(second, 60_000))];
}

/** What CloudWatch receives for one pod's node, after two scrapes. */
function emittedFor(pod: FargatePod, options: Parameters<typeof buildConfig>[0] = {}, cpu = 12): EmittedValue[] {
  const config = buildConfig(options);
  const model = new PipelineModel(asCollectorReads(config, AdotVersion.DEFAULT), { ClusterName: 'prod-eu' });
  const target = podTargetLabels(config, pod);
  const [first, second] = podScrapes(pod, cpu);
  model.scrape(first, target);
  return model.emitted(model.scrape(second, target));
}

describe('each kind of owner, through discovery and the performance pipeline', () => {
  test.each(Object.entries(PODS))('%s: PodName is its workload, FullPodName itself', (_, { pod, workload }) => {
    const emitted = emittedFor(pod);
    const perPod = emitted.filter((e) => 'PodName' in e.dimensions);
    expect(perPod.length).toBeGreaterThan(0);
    for (const e of perPod) expect(e.dimensions.PodName, e.metric).toBe(workload);
    // FullPodName is in the log event only: no default set has it.
    expect(emitted.some((e) => 'FullPodName' in e.dimensions)).toBe(false);
    const withPods = emittedFor(pod, {
      podNaming: PodNaming.WORKLOAD_AND_POD,
      declarations: withFullPodName(),
    });
    const full = withPods.filter((e) => 'FullPodName' in e.dimensions);
    expect(full.length).toBe(perPod.length);
    for (const e of full) expect(e.dimensions).toMatchObject({ PodName: workload, FullPodName: pod.name });
  });

  test.each(Object.entries(PODS))('%s: with PodNaming.POD, PodName is the pod, as the AWS manifest', (_, { pod }) => {
    const emitted = emittedFor(pod, { podNaming: PodNaming.POD });
    const perPod = emitted.filter((e) => 'PodName' in e.dimensions);
    expect(perPod.length).toBeGreaterThan(0);
    for (const e of perPod) expect(e.dimensions.PodName).toBe(pod.name);
  });

  test('the two replicas of the Deployment are two values of one metric: CloudWatch takes their average, maximum and sum', () => {
    const web = (name: string) => (PODS[name] as { pod: FargatePod }).pod;
    const a = emittedFor(web('Deployment, first replica'), {}, 6);
    const b = emittedFor(web('Deployment, second replica'), {}, 18);
    const key = (e: EmittedValue) => `${e.metric}${JSON.stringify(Object.entries(e.dimensions).sort())}`;
    expect(new Set(a.map(key))).toStrictEqual(new Set(b.map(key)));
    const usage = (values: EmittedValue[]) =>
      values.find((e) => e.metric === 'pod_cpu_usage_total' && 'PodName' in e.dimensions)?.value ?? Number.NaN;
    // 6 and 18 CPU seconds a minute: 100 and 300 millicores.
    expect(usage(a)).toBeCloseTo(100, 6);
    expect(usage(b)).toBeCloseTo(300, 6);
  });

  test('node metrics carry no workload: the node runs the pod, it is not one', () => {
    const config = buildConfig({
      declarations: [{ metrics: ['node_cpu_usage_total'], dimensionSets: [[Dimension.CLUSTER_NAME]] }],
    });
    const model = new PipelineModel(asCollectorReads(config, AdotVersion.DEFAULT), { ClusterName: 'c' });
    const pod = (PODS.StatefulSet as { pod: FargatePod }).pod;
    const [first, second] = podScrapes(pod);
    model.scrape(first, podTargetLabels(config, pod));
    const node = model.scrape(second, podTargetLabels(config, pod)).find((m) => m.name === 'node_cpu_usage_total');
    expect(node?.points.length).toBeGreaterThan(0);
    for (const point of node?.points ?? []) expect(point.attrs).not.toHaveProperty('PodName');
  });

  test('discovery: one target per pod whatever its ports; none for a pod not running, without a node or off Fargate', () => {
    const config = buildConfig();
    const pod = (PODS['Deployment, first replica'] as { pod: FargatePod }).pod;
    expect(scrapedTarget(config, pod)?.__metrics_path__).toBe(`/api/v1/nodes/${pod.node}/proxy/metrics/cadvisor`);
    expect(scrapedTarget(config, { ...pod, phase: 'Succeeded' })).toBeUndefined();
    expect(scrapedTarget(config, { ...pod, phase: 'Pending' })).toBeDefined();
    expect(scrapedTarget(config, { ...pod, node: undefined })).toBeUndefined();
    expect(scrapedTarget(config, { ...pod, computeType: 'ec2' })).toBeUndefined();
    expect(scrapedTarget(config, { ...pod, ip: '' })).toBeUndefined();
  });

  test('shards split the pods by their node, as node discovery did', () => {
    const config = buildConfig({ shards: 3 });
    for (const { pod } of Object.values(PODS)) {
      const owners = ['0', '1', '2'].filter((shard) => scrapedTarget(config, pod, { SHARD: shard }) !== undefined);
      expect(owners, pod.name).toHaveLength(1);
    }
  });
});

/** The reference declarations with a FullPodName set beside each PodName set, as PodNaming.WORKLOAD_AND_POD sends them. */
function withFullPodName() {
  return new FargateContainerInsightsCollector(Testing.chart(), 'C', {
    clusterName: 'c',
    region: 'us-east-1',
    serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/x',
    podNaming: PodNaming.WORKLOAD_AND_POD,
  })._configOptions.declarations;
}

/** Every (metric, dimension set) a configuration's awsemf exporters declare. */
function declaredPairs(declarations: readonly MetricDeclaration[]): Set<string> {
  return new Set(
    declarations.flatMap((d) =>
      d.metric_name_selectors.flatMap((selector) =>
        d.dimensions.map((set) => `${selector.replace(/^\^|\$$/g, '')} [${[...set].sort().join(',')}]`),
      ),
    ),
  );
}

function collector(props: { metricSelection?: MetricSelection; podNaming?: PodNaming } = {}) {
  return new FargateContainerInsightsCollector(Testing.chart(), 'C', {
    clusterName: 'c',
    region: 'us-east-1',
    serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/x',
    podHealth: { profile: PodHealthProfile.FULL },
    ...props,
  });
}

function allDeclarations(c: FargateContainerInsightsCollector): MetricDeclaration[] {
  const exporters = c._config.exporters as Record<string, { metric_declarations?: MetricDeclaration[] }>;
  return Object.values(exporters).flatMap((e) => e.metric_declarations ?? []);
}

describe('each kind of owner, through kube-state-metrics and the pod health pipeline', () => {
  /** kube-state-metrics' restart counter of each pod's one container, and its phase. */
  const exposition = (restarts: number) =>
    Object.values(PODS)
      .map(({ pod }, i) =>
        [
          `kube_pod_container_status_restarts_total{namespace="${pod.namespace}",pod="${pod.name}",uid="u${i}",container="app"} ${restarts * (i + 1)}`,
          `kube_pod_status_phase{namespace="${pod.namespace}",pod="${pod.name}",uid="u${i}",phase="Running"} 1`,
        ].join('\n'),
      )
      .join('\n');

  const restartsSent = (podNaming: PodNaming): EmittedValue[] => {
    const config = buildConfig({
      podNaming,
      podHealth: {
        profile: PodHealthProfile.FULL,
        target: 'kube-state-metrics.fargate-container-insights.svc:8080',
        pod: { size: '0.25 vCPU 0.5 GB', monthlyUsd: 9.01 },
      },
    });
    const model = new PipelineModel(
      asCollectorReads(config, AdotVersion.DEFAULT),
      { ClusterName: 'prod-eu' },
      POD_HEALTH_PIPELINE_MODEL,
    );
    model.scrape(parseExposition(exposition(1)), {});
    return model
      .emitted(model.scrape(parseExposition(exposition(2)), {}))
      .filter((e) => e.metric === 'pod_number_of_container_restarts' && 'PodName' in e.dimensions);
  };

  test('by workload: PodName the workload read from the pod name, and with pods, FullPodName the pod', () => {
    const byWorkload = restartsSent(PodNaming.WORKLOAD);
    const withPods = restartsSent(PodNaming.WORKLOAD_AND_POD);
    Object.values(PODS).forEach(({ pod, workload: owner }, i) => {
      const workload = POD_HEALTH_WORKLOAD[pod.name] ?? owner;
      // The pod's increase, i + 1, sent under its workload; a workload's pods share the dimension values.
      const under = byWorkload.filter(
        (e) => e.dimensions.PodName === workload && e.dimensions.Namespace === pod.namespace,
      );
      expect(
        under.map((e) => e.value),
        pod.name,
      ).toContain(i + 1);
      expect(
        withPods.filter((e) => e.dimensions.FullPodName === pod.name).map((e) => [e.dimensions.PodName, e.value]),
      ).toStrictEqual([[workload, i + 1]]);
    });
    // The Deployment's two replicas: two values of one metric.
    expect(byWorkload.filter((e) => e.dimensions.PodName === 'web')).toHaveLength(2);
  });

  test('by pod, as the AWS manifest: PodName the pod', () => {
    const byPod = restartsSent(PodNaming.POD);
    expect(byPod.map((e) => e.dimensions.PodName).sort()).toStrictEqual(
      Object.values(PODS)
        .map(({ pod }) => pod.name)
        .sort(),
    );
  });
});

describe('the bill follows workloads', () => {
  const customMetrics = (c: FargateContainerInsightsCollector, load = LOAD) =>
    estimateCluster(c._configOptions, c.sizing, load)
      .lines.filter((line) => line.usage?.unit === 'custom metrics')
      .reduce((sum, line) => sum + (line.usage?.amount ?? 0), 0);

  test('100 pods, 10 namespaces, 30 workloads and 30 Services: the default with pod health full declares at most 600', () => {
    expect(customMetrics(collector())).toBe(328 + 238);
    expect(customMetrics(collector())).toBeLessThanOrEqual(600);
    // The AWS manifest's naming, as it was: per pod.
    expect(customMetrics(collector({ podNaming: PodNaming.POD }))).toBe(888 + 308);
  });

  test('doubling the replicas of every workload leaves the count unchanged; a workload more adds its metrics', () => {
    const byWorkload = collector();
    const perWorkload = 8 + 4;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 400 }),
        (namespaces, extra, replicas, services) => {
          const workloads = namespaces + extra;
          const load = { namespaces, workloads, pods: workloads * replicas, services: Math.min(services, workloads) };
          const count = customMetrics(byWorkload, load);
          expect(customMetrics(byWorkload, { ...load, pods: load.pods * 2 })).toBe(count);
          expect(customMetrics(byWorkload, { ...load, workloads: workloads + 1, pods: load.pods + replicas })).toBe(
            count + perWorkload,
          );
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  test('doubling the replicas sends no new metric through the pipeline: the new pods send the same dimension values', () => {
    const pairs = (pods: readonly FargatePod[]) =>
      new Set(
        pods.flatMap((pod) =>
          emittedFor(pod).map((e) => `${e.metric}${JSON.stringify(Object.entries(e.dimensions).sort())}`),
        ),
      );
    const deployment = (replicas: number) =>
      Array.from({ length: replicas }, (_, i) =>
        onFargate({
          name: `web-7d9f8b6c5-${'bcdfg'[i % 5]}${'hjklm'[Math.floor(i / 5) % 5]}x2z`,
          namespace: 'shop',
          controller: { kind: 'ReplicaSet', name: 'web-7d9f8b6c5' },
          templateHash: '7d9f8b6c5',
        }),
      );
    const one = pairs(deployment(2));
    expect(pairs(deployment(4))).toStrictEqual(one);
    const another = onFargate({ name: 'api-0', namespace: 'shop', controller: { kind: 'StatefulSet', name: 'api' } });
    const more = pairs([...deployment(2), another]);
    // The new workload's own metrics, as many as the Deployment has: the rest (cluster, namespace) are the same values.
    const webs = [...one].filter((pair) => pair.includes('"PodName","web"')).length;
    expect(webs).toBeGreaterThan(0);
    expect(more.size - one.size).toBe(webs);
  });
});

describe('what the console and the alarms read is declared', () => {
  /** A metric pod health computes. */
  const fromPodHealth = (metric: string) =>
    /^(cluster_|namespace_|service_)/.test(metric) || metric === 'pod_number_of_container_restarts';
  /**
   * Every (metric, set) of the console reference the pipelines can give: the
   * metrics cAdvisor gives on Fargate, and those pod health computes; no
   * InstanceId (Fargate nodes are no instances) and Service only where
   * pod health counts a Service's pods.
   */
  const producible = Object.entries(CONTAINER_INSIGHTS_EKS_METRICS).flatMap(([metric, sets]) =>
    metric in NOT_PRODUCED_METRICS && !fromPodHealth(metric)
      ? []
      : sets
          .filter((set) => !set.includes('InstanceId'))
          .filter((set) => !set.includes('Service') || metric === 'service_number_of_running_pods')
          .map((set) => `${metric} [${[...set].sort().join(',')}]`),
  );

  test('the console reference has pairs of both kinds', () => {
    expect(producible.filter((pair) => fromPodHealth(pair.split(' ')[0] as string)).length).toBeGreaterThan(5);
    expect(producible.filter((pair) => !fromPodHealth(pair.split(' ')[0] as string)).length).toBeGreaterThan(5);
  });

  test('the console profile with pod health: every pair of the console reference the pipelines can give', () => {
    const console = collector({ metricSelection: MetricSelection.profile(MetricProfile.CONSOLE) });
    const declared = declaredPairs(allDeclarations(console));
    expect(producible.filter((pair) => !declared.has(pair))).toStrictEqual([]);
  });

  test('the default with pod health: every pair an alarm reads, and every pod health pair of the console reference', () => {
    const declared = declaredPairs(allDeclarations(collector()));
    for (const alarm of podHealthAlarms('c', DEFAULT_POD_HEALTH_ALARMS, 60_000)) {
      const pair = `${alarm.metricName} [${Object.keys(alarm.dimensions).sort().join(',')}]`;
      expect(declared, alarm.alarmName).toContain(pair);
    }
    const podHealth = producible.filter((pair) => fromPodHealth(pair.split(' ')[0] as string));
    expect(podHealth.filter((pair) => !declared.has(pair))).toStrictEqual([]);
  });
});

describe('PodNaming', () => {
  test('of: each name, and a clear error naming the prop, the value and the choices', () => {
    for (const name of PodNaming.NAMES) expect(PodNaming.of(name).name).toBe(name);
    expect(() => PodNaming.of('Workload')).toThrow(ValidationError);
    expect(() => PodNaming.of('Workload')).toThrow(
      /^Invalid podNaming "Workload": expected one of workload, workloadAndPod, pod/,
    );
  });

  test('a FullPodName set with PodNaming.POD is refused by name, before anything is built', () => {
    const props = {
      clusterName: 'c',
      region: 'us-east-1',
      serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/x',
      metricSelection: MetricSelection.metrics(
        ['pod_cpu_usage_total'],
        [[Dimension.POD_NAME, Dimension.FULL_POD_NAME]],
      ),
      podNaming: PodNaming.POD,
    };
    expect(() => new FargateContainerInsightsCollector(Testing.chart(), 'C', props)).toThrow(
      /Invalid metricSelection dimension set \["PodName","FullPodName"\] with podNaming "pod"/,
    );
  });

  test('workloadAndPod adds a FullPodName set beside each PodName set, once', () => {
    const sets = withFullPodName().flatMap((d) => d.dimensionSets.map((set) => set.join(',')));
    expect(sets).toStrictEqual([
      'ClusterName,LaunchType',
      'ClusterName,Namespace,LaunchType',
      'ClusterName,Namespace,PodName,LaunchType',
      'ClusterName,Namespace,PodName,FullPodName,LaunchType',
    ]);
  });
});
