import type { RelabelConfig } from '../../src/config/components/prometheus-receiver';
import type { CollectorConfig } from '../../src/config/config-model';
import { relabel, targetOf } from './relabel';

/**
 * Fargate pods as Prometheus' Kubernetes discovery (role `pod`, with
 * `attach_metadata: {node: true}`) hands them to a scrape job: one target per
 * declared container port, or per container without ports, each with the
 * pod's meta labels (discovery/kubernetes/pod.go, `podLabels` and
 * `buildPod`: its controller is the owner reference with `controller: true`)
 * and its node's (`addNodeLabels`). A pod without an IP has no targets.
 */

/** The controller of a pod, as its owner reference names it. */
export interface PodController {
  readonly kind: string;
  readonly name: string;
}

/** One pod, with what discovery reads of it. */
export interface FargatePod {
  readonly name: string;
  readonly namespace: string;
  readonly controller?: PodController;
  /** Its `pod-template-hash` label (a Deployment's ReplicaSet sets it). */
  readonly templateHash?: string;
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** Its node; absent: not scheduled yet. */
  readonly node?: string;
  /** The node's `eks.amazonaws.com/compute-type` label; default `fargate`. */
  readonly computeType?: string;
  /** Its containers' ports, one list per container. */
  readonly ports?: ReadonlyArray<readonly number[]>;
  readonly ip?: string;
}

/** The targets discovery gives one pod. */
export function discoveredTargets(pod: FargatePod): Array<Record<string, string>> {
  const ip = pod.ip ?? '10.0.1.1';
  if (ip === '') return [];
  const node = pod.node ?? '';
  const common: Record<string, string> = {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_phase: pod.phase ?? 'Running',
    __meta_kubernetes_pod_node_name: node,
    __meta_kubernetes_pod_ip: ip,
    __meta_kubernetes_pod_label_eks_amazonaws_com_fargate_profile: 'default',
    ...(pod.templateHash === undefined ? {} : { __meta_kubernetes_pod_label_pod_template_hash: pod.templateHash }),
    ...(pod.controller === undefined
      ? {}
      : {
          __meta_kubernetes_pod_controller_kind: pod.controller.kind,
          __meta_kubernetes_pod_controller_name: pod.controller.name,
        }),
    ...(node === ''
      ? {}
      : {
          __meta_kubernetes_node_name: node,
          __meta_kubernetes_node_label_kubernetes_io_hostname: node,
          __meta_kubernetes_node_label_eks_amazonaws_com_compute_type: pod.computeType ?? 'fargate',
        }),
  };
  const containers = pod.ports ?? [[8080]];
  return containers.flatMap((ports, c) =>
    ports.length === 0
      ? [{ ...common, __address__: ip, __meta_kubernetes_pod_container_name: `c${c}` }]
      : ports.map((port) => ({
          ...common,
          __address__: `${ip}:${port}`,
          __meta_kubernetes_pod_container_name: `c${c}`,
          __meta_kubernetes_pod_container_port_number: String(port),
        })),
  );
}

/** The relabel rules of a receiver's first scrape job. */
export function targetRules(config: CollectorConfig, receiver = 'prometheus'): readonly RelabelConfig[] {
  const receivers = config.receivers as Readonly<
    Record<string, { config: { scrape_configs: ReadonlyArray<{ relabel_configs: readonly RelabelConfig[] }> } }>
  >;
  return receivers[receiver]?.config.scrape_configs[0]?.relabel_configs ?? [];
}

/**
 * What the scrape job makes of a pod: the labels of the one target it
 * scrapes (targets of equal labels are one, as Prometheus' scrape pool
 * keeps them), or `undefined` when it keeps none.
 */
export function scrapedTarget(
  config: CollectorConfig,
  pod: FargatePod,
  env: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const rules = targetRules(config);
  const kept = discoveredTargets(pod).flatMap((target) => {
    const labels = relabel(target, rules, env);
    return labels === undefined ? [] : [targetOf(labels)];
  });
  const distinct = [...new Set(kept.map((labels) => JSON.stringify(Object.entries(labels).sort())))];
  if (distinct.length > 1) throw new Error(`pod ${pod.name}: ${distinct.length} distinct targets`);
  return kept[0];
}

/** The labels a target puts on every series it serves: its labels but the address, scheme and path. */
export function seriesLabelsOf(target: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(target).filter(([name]) => !name.startsWith('__')));
}

/** The labels the scrape of a pod's node puts on its series; an error when the pod is not scraped. */
export function podTargetLabels(config: CollectorConfig, pod: FargatePod): Record<string, string> {
  const target = scrapedTarget(config, pod);
  if (target === undefined) throw new Error(`pod ${pod.name} is not scraped`);
  return seriesLabelsOf(target);
}
