import { FARGATE_PRICE_US_EAST_1, type FargatePrice, HOURS_PER_MONTH } from '../core/aws-prices';

/**
 * How Fargate sizes, and bills, an EKS pod. From the Amazon EKS user guide,
 * "Understand Fargate Pod configuration details" (Pod CPU and memory):
 *
 * - the requests of the long-running containers are added up; the largest
 *   init container request counts if it is bigger;
 * - Fargate adds 256 MB of memory for the Kubernetes components it runs beside
 *   the pod (kubelet, kube-proxy, containerd);
 * - the result is rounded up to the nearest vCPU and memory combination of
 *   the Fargate table; a pod with no requests gets the smallest, 0.25 vCPU and
 *   0.5 GB.
 *
 * Fargate's "GB" are binary: 0.5 GB is 512 MiB.
 */

/** Memory Fargate adds to every pod for the kubelet, kube-proxy and containerd. */
export const FARGATE_POD_OVERHEAD_MIB = 256;

/** The CPU and memory a pod asks for. */
export interface PodRequests {
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in mebibytes. */
  readonly memoryMiB: number;
}

/** The vCPU and memory combination Fargate provisions, and bills, for a pod. */
export interface FargatePodSize {
  /** vCPUs, from 0.25 to 16. */
  readonly vcpu: number;
  /** Memory in Fargate GB (GiB), from 0.5 to 120. */
  readonly memoryGiB: number;
}

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/** Every vCPU value with the memory values Fargate offers with it, smallest first. */
export const FARGATE_POD_SIZES: ReadonlyArray<{
  /** The vCPU of the size. */
  readonly vcpu: number;
  /** The memory sizes, in GB, that go with it. */
  readonly memoryGiB: readonly number[];
}> = [
  { vcpu: 0.25, memoryGiB: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGiB: range(1, 4, 1) },
  { vcpu: 1, memoryGiB: range(2, 8, 1) },
  { vcpu: 2, memoryGiB: range(4, 16, 1) },
  { vcpu: 4, memoryGiB: range(8, 30, 1) },
  { vcpu: 8, memoryGiB: range(16, 60, 4) },
  { vcpu: 16, memoryGiB: range(32, 120, 8) },
];

/** The requests of a pod: the long-running containers added up, or the largest init container if bigger. */
export function podRequests(
  containers: readonly PodRequests[],
  initContainers: readonly PodRequests[] = [],
): PodRequests {
  const sum = (pick: (r: PodRequests) => number) => containers.reduce((total, r) => total + pick(r), 0);
  const max = (pick: (r: PodRequests) => number) => initContainers.reduce((top, r) => Math.max(top, pick(r)), 0);
  return {
    cpuMillis: Math.max(
      sum((r) => r.cpuMillis),
      max((r) => r.cpuMillis),
    ),
    memoryMiB: Math.max(
      sum((r) => r.memoryMiB),
      max((r) => r.memoryMiB),
    ),
  };
}

/**
 * The Fargate size of a pod with these requests, or `undefined` when the pod
 * is larger than Fargate's largest size (16 vCPU, 120 GB) and cannot be
 * scheduled on Fargate.
 */
export function fargatePodSize(requests: PodRequests): FargatePodSize | undefined {
  const memoryMiB = requests.memoryMiB + FARGATE_POD_OVERHEAD_MIB;
  for (const row of FARGATE_POD_SIZES) {
    if (row.vcpu * 1000 < requests.cpuMillis) continue;
    const memoryGiB = row.memoryGiB.find((gib) => gib * 1024 >= memoryMiB);
    if (memoryGiB !== undefined) return { vcpu: row.vcpu, memoryGiB };
  }
  return undefined;
}

/**
 * A Fargate size as Fargate writes it in a pod's `CapacityProvisioned`
 * annotation, e.g. `0.25vCPU 0.5GB`, so the two can be compared.
 */
export function formatFargatePodSize(size: FargatePodSize): string {
  return `${size.vcpu}vCPU ${size.memoryGiB}GB`;
}

/** What one pod of this size costs for a month of running, in US dollars, unrounded. */
export function fargateMonthlyCost(size: FargatePodSize, price: FargatePrice = FARGATE_PRICE_US_EAST_1): number {
  return (size.vcpu * price.perVcpuHour + size.memoryGiB * price.perGbHour) * HOURS_PER_MONTH;
}
