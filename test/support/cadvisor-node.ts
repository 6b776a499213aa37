import * as fc from 'fast-check';
import type { Series } from './pipeline-model';

/**
 * One Fargate node as its kubelet's cAdvisor endpoint serves it: the node's
 * root cgroup and machine, and its one pod (the pod cgroup, the sandbox with
 * the pod's interfaces, and the application containers). Usage samples
 * carry the time cAdvisor last read their cgroup, a few seconds before the
 * scrape and different for every cgroup, as the kubelet writes them; spec
 * and machine samples carry none. Plus generated changes between two
 * scrapes: containers restarting, added or finished, the pod deleted, the
 * node gone.
 */

const MiB = 1024 * 1024;

export interface ContainerCgroup {
  readonly name: string;
  /** The runtime's container id: a restarted container is a new cgroup. */
  readonly id: string;
  /** CPU seconds used so far. */
  readonly cpuSeconds: number;
  readonly workingSet: number;
}

export interface NodeState {
  /** The node's pod, until it is deleted. */
  readonly pod?: {
    readonly containers: readonly ContainerCgroup[];
    /** Bytes received so far on each interface. */
    readonly interfaces: ReadonlyArray<{ readonly name: string; readonly rxBytes: number }>;
  };
  /** Seconds each cgroup's last read lags the scrape, by cgroup id (0 when not listed). */
  readonly lag: Readonly<Record<string, number>>;
}

export const NODE_LABELS = {
  kubernetes_io_hostname: 'fargate-ip-10-0-1-1.ec2.internal',
  eks_amazonaws_com_compute_type: 'fargate',
} as const;

export const POD = { namespace: 'shop', pod: 'web' } as const;

/** The node's series at a scrape at `time` milliseconds. */
export function cadvisorSeries(node: NodeState, time: number): Series[] {
  const at = (id: string) => time - Math.round((node.lag[id] ?? 0) * 1000);
  const usage = (labels: Record<string, string>, id: string, cpu: number, workingSet: number): Series[] => [
    { family: 'container_cpu_usage_seconds_total', labels, value: cpu, timestamp: at(id) },
    { family: 'container_memory_working_set_bytes', labels, value: workingSet, timestamp: at(id) },
  ];
  const series: Series[] = [
    ...usage({ id: '/' }, '/', 1000 + time / 1000, 900 * MiB),
    { family: 'machine_cpu_cores', labels: {}, value: 2 },
    { family: 'machine_memory_bytes', labels: {}, value: 4096 * MiB },
  ];
  const pod = node.pod;
  if (pod === undefined) return series;
  const podCgroup = { ...POD, id: '/kubepods/burstable/podweb' };
  const total = pod.containers.reduce((sum, c) => sum + c.cpuSeconds, 0);
  series.push(...usage(podCgroup, podCgroup.id, total + 1, 300 * MiB));
  series.push({ family: 'container_spec_memory_limit_bytes', labels: podCgroup, value: 1024 * MiB });
  const sandbox = { ...POD, id: '/kubepods/burstable/podweb/sandbox', image: 'pause:3.9' };
  series.push(...usage(sandbox, sandbox.id, 1, 1 * MiB));
  for (const c of pod.containers) {
    const labels = {
      ...POD,
      id: `/kubepods/burstable/podweb/${c.id}`,
      name: c.id,
      container: c.name,
      image: `${c.name}:1`,
    };
    series.push(...usage(labels, c.id, c.cpuSeconds, c.workingSet));
    series.push({ family: 'container_spec_memory_limit_bytes', labels, value: 512 * MiB });
  }
  for (const i of pod.interfaces) {
    series.push({
      family: 'container_network_receive_bytes_total',
      labels: { ...sandbox, interface: i.name },
      value: i.rxBytes,
      timestamp: at(sandbox.id),
    });
  }
  return series;
}

/** A change between two scrapes, one minute apart. */
export type NodeEvent =
  | { readonly kind: 'run'; readonly cpu: readonly number[]; readonly rx: number }
  | { readonly kind: 'restart container'; readonly container: number }
  | { readonly kind: 'container finished'; readonly container: number }
  | { readonly kind: 'container added' }
  | { readonly kind: 'pod deleted' }
  | { readonly kind: 'node gone' };

/** The node a minute later, after a change; `undefined` when the node is gone. */
export function nextNode(node: NodeState, event: NodeEvent, serial: number): NodeState | undefined {
  const pod = node.pod;
  if (event.kind === 'node gone') return undefined;
  if (pod === undefined || event.kind === 'pod deleted') return { lag: node.lag };
  const containers = [...pod.containers];
  const i = containers.length === 0 ? -1 : ('container' in event ? event.container : 0) % containers.length;
  switch (event.kind) {
    case 'run':
      return {
        lag: node.lag,
        pod: {
          containers: containers.map((c, j) => ({
            ...c,
            cpuSeconds: c.cpuSeconds + (event.cpu[j % event.cpu.length] ?? 0),
          })),
          interfaces: pod.interfaces.map((iface) => ({ ...iface, rxBytes: iface.rxBytes + event.rx })),
        },
      };
    case 'restart container': {
      const c = containers[i];
      if (c !== undefined) containers[i] = { ...c, id: `${c.name}-r${serial}`, cpuSeconds: 0.5, workingSet: 50 * MiB };
      break;
    }
    case 'container finished':
      if (i >= 0) containers.splice(i, 1);
      break;
    case 'container added':
      containers.push({ name: `extra${serial}`, id: `extra${serial}`, cpuSeconds: 0.1, workingSet: 20 * MiB });
      break;
  }
  return { lag: node.lag, pod: { ...pod, containers } };
}

export const nodeArb: fc.Arbitrary<NodeState> = fc
  .record({
    containers: fc.array(
      fc.record({ cpuSeconds: fc.integer({ min: 1, max: 500 }), workingSet: fc.integer({ min: 1, max: 400 }) }),
      { minLength: 1, maxLength: 3 },
    ),
    interfaces: fc.integer({ min: 1, max: 2 }),
    lags: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 6, maxLength: 6 }),
  })
  .map(({ containers, interfaces, lags }) => {
    const cgroups = containers.map((c, j) => ({
      name: ['app', 'sidecar', 'proxy'][j] as string,
      id: ['app', 'sidecar', 'proxy'][j] as string,
      cpuSeconds: c.cpuSeconds,
      workingSet: c.workingSet * MiB,
    }));
    const ids = ['/', '/kubepods/burstable/podweb', '/kubepods/burstable/podweb/sandbox', 'app', 'sidecar', 'proxy'];
    return {
      pod: {
        containers: cgroups,
        interfaces: Array.from({ length: interfaces }, (_, k) => ({ name: `eth${k}`, rxBytes: 1000 * k })),
      },
      lag: Object.fromEntries(ids.map((id, k) => [id, lags[k] ?? 0])),
    };
  });

export const nodeEventArb: fc.Arbitrary<NodeEvent> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('run' as const),
      cpu: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 3 }),
      rx: fc.integer({ min: 0, max: 60_000 }),
    }),
  },
  fc.record({ kind: fc.constant('restart container' as const), container: fc.nat() }),
  fc.record({ kind: fc.constant('container finished' as const), container: fc.nat() }),
  fc.record({ kind: fc.constant('container added' as const) }),
  fc.record({ kind: fc.constant('pod deleted' as const) }),
  fc.record({ kind: fc.constant('node gone' as const) }),
);
