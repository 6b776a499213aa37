import { createHash } from 'node:crypto';
import { Lazy, type Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { BoundedCache } from '../core/bounded-cache';
import { ValidationError } from '../core/errors';
import { cpuMillis } from '../core/validation';
import {
  FARGATE_POD_OVERHEAD_MIB,
  type FargatePodSize,
  fargatePodSize,
  formatFargatePodSize,
  type PodRequests,
  podRequests,
} from './fargate-size';

/**
 * What every pod template of this library shares: the Pod Security Standard
 * "restricted" settings, and the annotations that say how Fargate will size
 * the pod.
 */

/** Prefix of the annotations this library writes. */
const ANNOTATION_PREFIX = 'fargate-container-insights';

/**
 * Pod-template annotation with the Fargate size the pod's requests give, in
 * the form of Fargate's own `CapacityProvisioned` pod annotation
 * (`1vCPU 3GB`), so the two can be compared on a running pod.
 */
export const FARGATE_SIZE_ANNOTATION = `${ANNOTATION_PREFIX}/fargate-size`;

/**
 * Namespace labels for Pod Security Admission: reject (`enforce`), log
 * (`audit`) and warn about (`warn`, also shown by `kubectl apply` for
 * Deployments and StatefulSets) any pod that breaks the "restricted" standard.
 */
export const RESTRICTED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

/**
 * Container security settings the Pod Security Standard "restricted" requires,
 * for a process that runs as `uid`:
 * - `runAsNonRoot` with a numeric, non-zero user and group: the kubelet can
 *   only verify that a numeric user is not root;
 * - no privilege escalation and no capabilities (`drop: [ALL]`);
 * - the container runtime's default seccomp profile;
 * - a read-only root filesystem (mount an emptyDir where the process writes).
 */
export function restrictedSecurityContext(uid: number): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: uid,
    group: uid,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

const mebibytes = (size: Size): number => size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });

/**
 * The requests of one container as Kubernetes reads them: a missing request
 * defaults to the limit, and a missing limit to nothing.
 */
export function containerRequests(resources: kplus.ContainerResources | undefined): PodRequests {
  const cpu = resources?.cpu?.request ?? resources?.cpu?.limit;
  const memory = resources?.memory?.request ?? resources?.memory?.limit;
  return {
    cpuMillis: cpu ? cpuMillis(cpu.amount) : 0,
    memoryMiB: memory ? mebibytes(memory) : 0,
  };
}

function requestsOf(pod: kplus.AbstractPod): PodRequests {
  return podRequests(
    pod.containers.map((c) => containerRequests(c.resources)),
    pod.initContainers.map((c) => containerRequests(c.resources)),
  );
}

/**
 * Checks that a pod with these requests fits on Fargate, and returns its size.
 *
 * @param input the prop the requests come from, for the error message
 */
export function validateFargateFit(input: string, requests: PodRequests): FargatePodSize {
  const size = fargatePodSize(requests);
  if (!size) {
    throw new ValidationError(
      `Invalid ${input} ${JSON.stringify(`${requests.cpuMillis}m CPU, ${requests.memoryMiB}Mi memory`)}: expected requests that fit Fargate's largest pod, 16 vCPU and 120 GB, with the ${FARGATE_POD_OVERHEAD_MIB} MiB Fargate adds.`,
    );
  }
  return size;
}

/** The Fargate size of a pod template, from the containers it has now. */
export function fargatePodSizeOf(pod: kplus.AbstractPod): FargatePodSize {
  return validateFargateFit(`requests of ${pod.node.path}`, requestsOf(pod));
}

/**
 * Annotates the workload's pod template with its Fargate size. The value is
 * computed when the chart is synthesized, so containers added later count.
 */
export function annotateFargateSize(workload: kplus.Workload): void {
  workload.podMetadata.addAnnotation(
    FARGATE_SIZE_ANNOTATION,
    Lazy.any({ produce: () => formatFargatePodSize(fargatePodSizeOf(workload)) }),
  );
}

/**
 * Pod-template annotation with the SHA-256 of the ConfigMap the pod reads its
 * configuration from. A change to the configuration changes the pod template,
 * so the workload rolls its pods; an unchanged configuration leaves it as is.
 */
const CONFIG_CHECKSUM_ANNOTATION = `${ANNOTATION_PREFIX}/config-sha256`;

/**
 * Annotates the workload's pod template with the checksum of the ConfigMap's
 * data, computed when the chart is synthesized.
 */
export function annotateConfigChecksum(workload: kplus.Workload, configMap: kplus.ConfigMap): void {
  workload.podMetadata.addAnnotation(
    CONFIG_CHECKSUM_ANNOTATION,
    Lazy.any({ produce: () => configMapChecksum(configMap.data) }),
  );
}

/** SHA-256 of a ConfigMap's data, keys in sorted order, as a hex string. */
export function configMapChecksum(data: Readonly<Record<string, string>>): string {
  const keys = Object.keys(data);
  // One key, the collector's configuration: the same text for every cluster of a setting.
  if (keys.length === 1) return checksums.get(`${keys[0]}\n${data[keys[0] as string]}`, () => sha256Of(data));
  return sha256Of(data);
}

/** Checksums of single-key data, by key and text. */
const checksums = new BoundedCache<string, string>(64);

function sha256Of(data: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) hash.update(`${JSON.stringify(key)}:${JSON.stringify(data[key])}\n`);
  return hash.digest('hex');
}
