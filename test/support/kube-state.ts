import * as fc from 'fast-check';
import type { Series } from './pipeline-model';

/**
 * A small cluster as kube-state-metrics sees it, the series it serves for it
 * (in its own names and labels, the families the pod health catalog reads),
 * and generated changes between two scrapes: pods deleted and created,
 * containers restarting, pods leaving and joining a Service's ready set,
 * workloads scaled and deleted, nodes gone.
 */

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
const PHASES: readonly Phase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

export interface ContainerState {
  readonly name: string;
  readonly state: 'running' | 'waiting' | 'terminated';
  /** Why it waits, when it does and kube-state-metrics says why. */
  readonly waitingReason?: 'CrashLoopBackOff' | 'ImagePullBackOff' | 'ContainerCreating';
  /** Why it last terminated, when it has. */
  readonly lastTerminated?: 'Error' | 'OOMKilled';
  readonly restarts: number;
}

export interface PodState {
  readonly namespace: string;
  readonly name: string;
  readonly phase: Phase;
  readonly ready: boolean;
  readonly ip: string;
  readonly containers: readonly ContainerState[];
  /**
   * The Service whose EndpointSlices list the pod, in this many of them
   * (two while the controller moves the endpoint from one slice to another).
   */
  readonly service?: { readonly name: string; readonly slices: 1 | 2 };
}

export type WorkloadKind = 'deployment' | 'statefulset' | 'daemonset';

export interface WorkloadState {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly desired: number;
  readonly ready: number;
  readonly available: number;
}

export interface NodeState {
  readonly name: string;
  readonly ready: 'true' | 'false' | 'unknown';
}

export interface ClusterState {
  readonly pods: readonly PodState[];
  readonly workloads: readonly WorkloadState[];
  readonly nodes: readonly NodeState[];
}

const s = (family: string, labels: Record<string, string>, value: number): Series => ({ family, labels, value });

/** The series kube-state-metrics serves for a cluster, in its exposition order. */
export function kubeStateSeries(state: ClusterState): Series[] {
  const out: Series[] = [];
  for (const pod of state.pods) {
    const p = { namespace: pod.namespace, pod: pod.name };
    for (const phase of PHASES) out.push(s('kube_pod_status_phase', { ...p, phase }, phase === pod.phase ? 1 : 0));
    for (const condition of ['true', 'false', 'unknown']) {
      out.push(s('kube_pod_status_ready', { ...p, condition }, condition === String(pod.ready) ? 1 : 0));
    }
    for (const c of pod.containers) {
      const labels = { ...p, container: c.name };
      for (const state of ['running', 'waiting', 'terminated'] as const) {
        out.push(s(`kube_pod_container_status_${state}`, labels, c.state === state ? 1 : 0));
      }
      if (c.state === 'waiting' && c.waitingReason) {
        out.push(s('kube_pod_container_status_waiting_reason', { ...labels, reason: c.waitingReason }, 1));
      }
      if (c.lastTerminated) {
        out.push(s('kube_pod_container_status_last_terminated_reason', { ...labels, reason: c.lastTerminated }, 1));
      }
      out.push(s('kube_pod_container_status_restarts_total', labels, c.restarts));
    }
  }
  // A Service's EndpointSlices list its running pods, once per address (ports are a family of their own);
  // `ready` says which are ready. The controller names each `<service>-` and five random characters.
  for (const pod of state.pods) {
    if (pod.service === undefined || pod.phase !== 'Running') continue;
    for (const suffix of ['b5q7z', 'k2x9m'].slice(0, pod.service.slices))
      out.push(
        s(
          'kube_endpointslice_endpoints',
          {
            namespace: pod.namespace,
            endpointslice: `${pod.service.name}-${suffix}`,
            ready: String(pod.ready),
            serving: String(pod.ready),
            terminating: 'false',
            hostname: '',
            targetref_kind: 'Pod',
            targetref_name: pod.name,
            targetref_namespace: pod.namespace,
            endpoint_nodename: `fargate-${pod.ip}`,
            endpoint_zone: 'eu-west-1a',
            address: pod.ip,
          },
          1,
        ),
      );
  }
  const families: Record<WorkloadKind, readonly [string, string, string, string | undefined]> = {
    deployment: [
      'kube_deployment_spec_replicas',
      'kube_deployment_status_replicas_ready',
      'kube_deployment_status_replicas_available',
      'kube_deployment_status_replicas_unavailable',
    ],
    statefulset: [
      'kube_statefulset_replicas',
      'kube_statefulset_status_replicas_ready',
      'kube_statefulset_status_replicas_available',
      undefined,
    ],
    daemonset: [
      'kube_daemonset_status_desired_number_scheduled',
      'kube_daemonset_status_number_ready',
      'kube_daemonset_status_number_available',
      'kube_daemonset_status_number_unavailable',
    ],
  };
  for (const w of state.workloads) {
    const [desired, ready, available, unavailable] = families[w.kind];
    const labels = { namespace: w.namespace, [w.kind]: w.name };
    out.push(s(desired, labels, w.desired), s(ready, labels, w.ready), s(available, labels, w.available));
    if (unavailable) out.push(s(unavailable, labels, w.desired - w.available));
  }
  for (const node of state.nodes) {
    out.push(s('kube_node_info', { node: node.name, kernel_version: '5.10', os_image: 'Amazon Linux 2' }, 1));
    for (const status of ['true', 'false', 'unknown']) {
      out.push(
        s('kube_node_status_condition', { node: node.name, condition: 'Ready', status }, status === node.ready ? 1 : 0),
      );
    }
  }
  return out;
}

/** A change between two scrapes. */
export type ClusterEvent =
  | { readonly kind: 'delete pod'; readonly pod: number }
  | { readonly kind: 'create pod'; readonly namespace: string; readonly service: boolean }
  | { readonly kind: 'restart container'; readonly pod: number; readonly oom: boolean }
  | { readonly kind: 'toggle ready'; readonly pod: number }
  | { readonly kind: 'scale workload'; readonly workload: number; readonly desired: number }
  | { readonly kind: 'delete workload'; readonly workload: number }
  | { readonly kind: 'remove node'; readonly node: number }
  | { readonly kind: 'node not ready'; readonly node: number };

const at = <T>(items: readonly T[], i: number): number => (items.length === 0 ? -1 : i % items.length);

/** The cluster after one change; a change that finds nothing to act on leaves it as it is. */
export function applyEvent(state: ClusterState, event: ClusterEvent, serial: number): ClusterState {
  const pods = [...state.pods];
  const workloads = [...state.workloads];
  const nodes = [...state.nodes];
  switch (event.kind) {
    case 'delete pod': {
      const i = at(pods, event.pod);
      if (i >= 0) pods.splice(i, 1);
      break;
    }
    case 'create pod':
      pods.push({
        namespace: event.namespace,
        name: `new-${serial}`,
        phase: 'Running',
        ready: true,
        ip: `10.1.0.${serial}`,
        containers: [{ name: 'app', state: 'running', restarts: 0 }],
        ...(event.service ? { service: { name: 'web', slices: 1 as const } } : {}),
      });
      break;
    case 'restart container': {
      const i = at(pods, event.pod);
      const pod = pods[i];
      if (pod === undefined || pod.containers.length === 0) break;
      const [first, ...rest] = pod.containers as [ContainerState, ...ContainerState[]];
      pods[i] = {
        ...pod,
        ready: false,
        containers: [
          {
            ...first,
            state: 'waiting',
            waitingReason: 'CrashLoopBackOff',
            lastTerminated: event.oom ? 'OOMKilled' : 'Error',
            restarts: first.restarts + 1,
          },
          ...rest,
        ],
      };
      break;
    }
    case 'toggle ready': {
      const i = at(pods, event.pod);
      const pod = pods[i];
      if (pod !== undefined) pods[i] = { ...pod, ready: !pod.ready };
      break;
    }
    case 'scale workload': {
      const i = at(workloads, event.workload);
      const w = workloads[i];
      if (w !== undefined)
        workloads[i] = { ...w, desired: event.desired, available: Math.min(w.available, event.desired) };
      break;
    }
    case 'delete workload': {
      const i = at(workloads, event.workload);
      if (i >= 0) workloads.splice(i, 1);
      break;
    }
    case 'remove node': {
      const i = at(nodes, event.node);
      if (i >= 0) nodes.splice(i, 1);
      break;
    }
    case 'node not ready': {
      const i = at(nodes, event.node);
      const node = nodes[i];
      if (node !== undefined) nodes[i] = { ...node, ready: 'false' };
      break;
    }
  }
  return { pods, workloads, nodes };
}

const NAMESPACES = ['shop', 'batch'] as const;

const containerArb: fc.Arbitrary<ContainerState> = fc
  .record({
    state: fc.constantFrom('running', 'waiting', 'terminated'),
    waitingReason: fc.constantFrom('CrashLoopBackOff', 'ImagePullBackOff', 'ContainerCreating', undefined),
    lastTerminated: fc.constantFrom('Error', 'OOMKilled', undefined),
    restarts: fc.nat({ max: 9 }),
  })
  .map(({ state, waitingReason, lastTerminated, restarts }) => ({
    name: 'app',
    state,
    restarts,
    ...(state === 'waiting' && waitingReason ? { waitingReason } : {}),
    ...(lastTerminated ? { lastTerminated } : {}),
  }));

const podArb = (i: number): fc.Arbitrary<PodState> =>
  fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      phase: fc.constantFrom<Phase>('Running', 'Running', 'Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'),
      ready: fc.boolean(),
      containers: fc.array(containerArb, { minLength: 1, maxLength: 2 }),
      service: fc.option(fc.record({ name: fc.constantFrom('web', 'api'), slices: fc.constantFrom<1 | 2>(1, 2) }), {
        nil: undefined,
      }),
    })
    .map(({ namespace, phase, ready, containers, service }) => ({
      namespace,
      name: `pod-${i}`,
      phase,
      ready,
      ip: `10.0.0.${i}`,
      containers: containers.map((c, j) => ({ ...c, name: j === 0 ? 'app' : 'sidecar' })),
      ...(service ? { service } : {}),
    }));

const workloadArb = (i: number): fc.Arbitrary<WorkloadState> =>
  fc
    .record({
      kind: fc.constantFrom<WorkloadKind>('deployment', 'statefulset', 'daemonset'),
      namespace: fc.constantFrom(...NAMESPACES),
      desired: fc.nat({ max: 4 }),
      missing: fc.nat({ max: 2 }),
    })
    .map(({ kind, namespace, desired, missing }) => ({
      kind,
      namespace,
      name: `w-${i}`,
      desired,
      ready: Math.max(0, desired - missing),
      available: Math.max(0, desired - missing),
    }));

/** A cluster of a few pods, workloads and nodes. */
export const clusterArb: fc.Arbitrary<ClusterState> = fc
  .record({
    pods: fc.integer({ min: 1, max: 6 }),
    workloads: fc.integer({ min: 0, max: 3 }),
    nodes: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ pods, workloads, nodes }) =>
    fc.record({
      pods: fc.tuple(...Array.from({ length: pods }, (_, i) => podArb(i))),
      workloads:
        workloads === 0
          ? fc.constant([] as WorkloadState[])
          : fc.tuple(...Array.from({ length: workloads }, (_, i) => workloadArb(i))),
      nodes: fc.tuple(
        ...Array.from({ length: nodes }, (_, i) =>
          fc.constantFrom<NodeState['ready']>('true', 'true', 'false', 'unknown').map((ready) => ({
            name: `fargate-ip-10-0-0-${i}`,
            ready,
          })),
        ),
      ),
    }),
  );

/** One change, aimed at an index that wraps around what the cluster has. */
export const eventArb: fc.Arbitrary<ClusterEvent> = fc.oneof(
  fc.record({ kind: fc.constant('delete pod' as const), pod: fc.nat() }),
  fc.record({
    kind: fc.constant('create pod' as const),
    namespace: fc.constantFrom(...NAMESPACES),
    service: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('restart container' as const), pod: fc.nat(), oom: fc.boolean() }),
  fc.record({ kind: fc.constant('toggle ready' as const), pod: fc.nat() }),
  fc.record({ kind: fc.constant('scale workload' as const), workload: fc.nat(), desired: fc.nat({ max: 4 }) }),
  fc.record({ kind: fc.constant('delete workload' as const), workload: fc.nat() }),
  fc.record({ kind: fc.constant('remove node' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('node not ready' as const), node: fc.nat() }),
);

/** A cluster and what it is at the next scrape, after one to four changes. */
export const changeArb: fc.Arbitrary<{ readonly before: ClusterState; readonly after: ClusterState }> = fc
  .tuple(clusterArb, fc.array(eventArb, { minLength: 1, maxLength: 4 }))
  .map(([before, events]) => ({
    before,
    after: events.reduce((state, event, i) => applyEvent(state, event, i), before),
  }));
