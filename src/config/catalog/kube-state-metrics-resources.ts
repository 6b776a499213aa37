import { POD_HEALTH_METRICS, type PodHealthProfile, podHealthSeries } from './pod-health-metrics';

/** The Kubernetes resources kube-state-metrics lists and watches for pod health, and the metric families it serves of them. */

/** A Kubernetes resource kube-state-metrics lists and watches, by the prefix of its families. */
export interface KsmResource {
  /** The prefix of its families, e.g. `kube_pod_`. */
  readonly prefix: string;
  /** Its `--resources` name and RBAC resource, e.g. `pods`. */
  readonly resource: string;
  /** Its API group; `''` for the core group. */
  readonly apiGroup: string;
}

/** The resources whose families the catalog reads. */
const KSM_RESOURCES: readonly KsmResource[] = [
  { prefix: 'kube_pod_', resource: 'pods', apiGroup: '' },
  { prefix: 'kube_node_', resource: 'nodes', apiGroup: '' },
  // kube-state-metrics v2.18.0 deprecated `endpoints` (the Endpoints API is
  // deprecated since Kubernetes v1.33) and lists `endpointslices` by default.
  { prefix: 'kube_endpointslice_', resource: 'endpointslices', apiGroup: 'discovery.k8s.io' },
  { prefix: 'kube_deployment_', resource: 'deployments', apiGroup: 'apps' },
  { prefix: 'kube_statefulset_', resource: 'statefulsets', apiGroup: 'apps' },
  { prefix: 'kube_daemonset_', resource: 'daemonsets', apiGroup: 'apps' },
];

/** The families a profile reads, each once, sorted. */
export function podHealthFamilies(profile: PodHealthProfile): string[] {
  return [...new Set(podHealthSeries(profile).map((s) => s.computation.source.family))].sort();
}

/** The resources a profile's families belong to, in {@link KSM_RESOURCES} order. */
export function podHealthResources(profile: PodHealthProfile): KsmResource[] {
  const families = podHealthFamilies(profile);
  return KSM_RESOURCES.filter((r) => families.some((family) => family.startsWith(r.prefix)));
}

/** Every family the catalog reads, in any profile. */
export const POD_HEALTH_FAMILIES: readonly string[] = [
  ...new Set(POD_HEALTH_METRICS.flatMap((m) => m.computations.map((c) => c.source.family))),
].sort();
