import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import {
  CONSOLE_DECLARATIONS,
  PROFILE_DECLARATIONS,
  type REFERENCE_DECLARATIONS,
} from '../src/config/catalog/profiles';
import { buildConfig } from './support/collector';
import { type FargatePod, podTargetLabels } from './support/fargate-pods';
import { asCollectorReads, PipelineModel, type Series } from './support/pipeline-model';

/**
 * The pipeline's arithmetic on one Fargate node, run through a model of the
 * collector's components (test/support/pipeline-model.ts): one pod, `web`,
 * with two application containers, its sandbox (pause) container and the pod
 * cgroup that holds all three, on a node with 2 cores and 4 GiB.
 */
const MiB = 1024 * 1024;
const NODE = { kubernetes_io_hostname: 'fargate-ip-10-0-1-1.ec2.internal', eks_amazonaws_com_compute_type: 'fargate' };
const POD = { namespace: 'shop', pod: 'web' };
/** The pod as discovery finds it: ownerless, so its workload is its own name. */
const WEB: FargatePod = { name: POD.pod, namespace: POD.namespace, node: NODE.kubernetes_io_hostname };

interface PodShape {
  /** CFS quota of each container and of the pod cgroup, or none (no CPU limit). */
  readonly quota?: { readonly app: number; readonly sidecar: number };
  /** CPU shares of each container (2: no request). */
  readonly shares: { readonly app: number; readonly sidecar: number };
}

/** The node's series at the first scrape (`t = 0`) and one minute later (`t = 1`). */
function scrape(t: 0 | 1, shape: PodShape): Series[] {
  const cgroups = [
    // [labels, CPU seconds at t=0, CPU seconds added in the minute, working set]
    [{ id: '/' }, 100, 18, 900 * MiB],
    [{ ...POD, id: '/kubepods/burstable/podweb' }, 50, 12.6, 301 * MiB],
    [{ ...POD, id: '/kubepods/burstable/podweb/sandbox', image: 'pause:3.9' }, 1, 0.6, 1 * MiB],
    [{ ...POD, id: '/kubepods/burstable/podweb/app', container: 'app', image: 'app:1' }, 40, 9, 200 * MiB],
    [{ ...POD, id: '/kubepods/burstable/podweb/sidecar', container: 'sidecar', image: 'envoy:1' }, 9, 3, 100 * MiB],
  ] as const;
  const series: Series[] = cgroups.flatMap(([labels, cpu, added, workingSet]) => [
    { family: 'container_cpu_usage_seconds_total', labels, value: cpu + t * added },
    { family: 'container_memory_working_set_bytes', labels, value: workingSet },
  ]);
  const [, podCgroup, , app, sidecar] = cgroups.map(([labels]) => labels);
  const spec = (family: string, values: { app: number; sidecar: number }) => [
    { family, labels: app, value: values.app },
    { family, labels: sidecar, value: values.sidecar },
    // The kubelet gives the pod cgroup the sum (or, for shares, 2 when there is no request).
    {
      family,
      labels: podCgroup,
      value: family.endsWith('shares') && values.app + values.sidecar === 4 ? 2 : values.app + values.sidecar,
    },
  ];
  series.push(...spec('container_spec_cpu_shares', shape.shares));
  if (shape.quota) series.push(...spec('container_spec_cpu_quota', shape.quota));
  series.push(...spec('container_spec_memory_limit_bytes', { app: 512 * MiB, sidecar: 512 * MiB }));
  // Network: the sandbox's two interfaces.
  for (const [iface, rx] of [
    ['eth0', 60_000],
    ['eth1', 6_000],
  ] as const) {
    const labels = { ...POD, id: '/kubepods/burstable/podweb/sandbox', image: 'pause:3.9', interface: iface };
    series.push({ family: 'container_network_receive_bytes_total', labels, value: t * rx });
    series.push({ family: 'container_network_transmit_bytes_total', labels, value: t * rx * 2 });
  }
  series.push({ family: 'machine_cpu_cores', labels: {}, value: 2 });
  series.push({ family: 'machine_memory_bytes', labels: {}, value: 4096 * MiB });
  return series;
}

function run(shape: PodShape, version = AdotVersion.DEFAULT, declarations = PROFILE_DECLARATIONS.console) {
  const model = new PipelineModel(asCollectorReads(buildConfig({ version, declarations }), version), {
    ClusterName: 'demo',
  });
  const target = podTargetLabels(buildConfig({ version, declarations }), WEB);
  model.scrape(scrape(0, shape), target);
  const metrics = model.scrape(scrape(1, shape), target);
  const values = (name: string) => metrics.filter((m) => m.name === name).flatMap((m) => m.points);
  const value = (name: string) => {
    const points = values(name);
    expect(points, name).toHaveLength(1);
    return points[0]?.value ?? Number.NaN;
  };
  return { metrics, values, value, emitted: model.emitted(metrics), streams: model.logStreams(metrics) };
}

const LIMITED: PodShape = { quota: { app: 50_000, sidecar: 50_000 }, shares: { app: 256, sidecar: 256 } };
const REQUEST_ONLY: PodShape = { shares: { app: 256, sidecar: 256 } };
const BEST_EFFORT: PodShape = { shares: { app: 2, sidecar: 2 } };

describe.each([AdotVersion.V0_40_0, AdotVersion.DEFAULT])('pod arithmetic on ADOT %s', (version) => {
  test('CPU and memory usage are the sum of the application containers, without the pause container', () => {
    const { value } = run(LIMITED, version);
    // (9 + 3) CPU seconds in 60 s = 0.2 cores; the pod cgroup (12.6 s) would count the pause container too.
    expect(value('pod_cpu_usage_total')).toBeCloseTo(200, 6);
    expect(value('pod_memory_working_set')).toBe(300 * MiB);
  });

  test('network is summed over the pod interfaces', () => {
    const { value } = run(LIMITED, version);
    expect(value('pod_network_rx_bytes')).toBeCloseTo(66_000 / 60, 6);
    expect(value('pod_network_tx_bytes')).toBeCloseTo(132_000 / 60, 6);
  });

  test('with CPU limits, utilization is over the limit', () => {
    const { value } = run(LIMITED, version);
    expect(value('pod_cpu_limit')).toBe(1000);
    expect(value('pod_cpu_request')).toBe(500);
    expect(value('pod_cpu_limit_or_request')).toBe(1000);
    expect(value('pod_cpu_utilization_over_pod_limit')).toBeCloseTo(20, 6);
    expect(value('pod_memory_utilization_over_pod_limit')).toBeCloseTo((300 / 1024) * 100, 6);
  });

  test('without a CPU limit, utilization is over the request', () => {
    const { value, values } = run(REQUEST_ONLY, version);
    expect(values('pod_cpu_limit')).toHaveLength(0);
    expect(value('pod_cpu_limit_or_request')).toBe(500);
    expect(value('pod_cpu_utilization_over_pod_limit')).toBeCloseTo(40, 6);
  });

  test('without a limit or a request (2 shares), there is no CPU utilization rather than a wrong one', () => {
    const { values } = run(BEST_EFFORT, version);
    expect(values('pod_cpu_request')).toHaveLength(0);
    expect(values('pod_cpu_utilization_over_pod_limit')).toHaveLength(0);
    expect(values('pod_cpu_usage_total')).toHaveLength(1);
  });

  test("node metrics are the root cgroup's usage over the machine's capacity", () => {
    const { value } = run(LIMITED, version);
    expect(value('node_cpu_usage_total')).toBeCloseTo(300, 6);
    expect(value('node_cpu_limit')).toBe(2000);
    expect(value('node_cpu_utilization')).toBeCloseTo(15, 6);
    expect(value('node_memory_utilization')).toBeCloseTo((900 / 4096) * 100, 6);
  });
});

describe('the log streams of the performance log group', () => {
  test.each([
    ['limits', LIMITED],
    ['request only', REQUEST_ONLY],
    ['neither', BEST_EFFORT],
  ])('%s: every event, pod, container and node alike, goes to the stream of its node', (_, shape) => {
    const { streams, metrics } = run(shape);
    expect(streams.length).toBeGreaterThan(0);
    expect([...new Set(streams.map((s) => s.stream))]).toStrictEqual([NODE.kubernetes_io_hostname]);
    // Node metrics too, which carry no pod: {PodName} named their stream "undefined".
    expect(metrics.some((m) => m.name.startsWith('node_'))).toBe(true);
  });

  test('with the reference stream name, the node events would land in a stream named undefined', () => {
    const model = new PipelineModel(
      {
        ...buildConfig({}),
        exporters: { awsemf: { ...buildConfig({}).exporters.awsemf, log_stream_name: '{PodName}' } },
      },
      { ClusterName: 'demo' },
    );
    const target = podTargetLabels(buildConfig({}), WEB);
    model.scrape(scrape(0, LIMITED), target);
    const streams = model.logStreams(model.scrape(scrape(1, LIMITED), target));
    expect(streams.filter((s) => s.stream === 'undefined').map((s) => s.metric)).toContain('node_cpu_utilization');
    expect(streams.find((s) => s.metric === 'pod_cpu_usage_total')?.stream).toBe('web');
  });
});

describe('what CloudWatch receives', () => {
  const shape = (emitted: ReturnType<typeof run>['emitted']) =>
    [...new Set(emitted.map((e) => `${e.metric} [${Object.keys(e.dimensions).sort().join(',')}]`))].sort();
  const declared = (declarations: typeof REFERENCE_DECLARATIONS) =>
    declarations
      .flatMap((d) => d.metrics.flatMap((m) => d.dimensionSets.map((set) => `${m} [${[...set].sort().join(',')}]`)))
      .sort();

  test.each([
    ['reference', PROFILE_DECLARATIONS.reference],
    ['console', PROFILE_DECLARATIONS.console],
  ])('%s: exactly its metrics in exactly its dimension sets, once per pod or node', (_, declarations) => {
    const { emitted } = run(LIMITED, AdotVersion.DEFAULT, declarations);
    expect(shape(emitted)).toStrictEqual(declared(declarations));
    expect(emitted).toHaveLength(declared(declarations).length);
  });

  test('console sends the documented dimension values, with no LaunchType', () => {
    const { emitted } = run(LIMITED, AdotVersion.DEFAULT, CONSOLE_DECLARATIONS);
    expect(emitted).toContainEqual({
      metric: 'pod_cpu_utilization_over_pod_limit',
      dimensions: { PodName: 'web', Namespace: 'shop', ClusterName: 'demo' },
      value: expect.closeTo(20, 6),
    });
    expect(emitted).toContainEqual({
      metric: 'node_cpu_utilization',
      dimensions: { ClusterName: 'demo' },
      value: expect.closeTo(15, 6),
    });
  });
});
