/** The `memory_limiter` processor. */
export interface MemoryLimiterProcessorConfig {
  /** How often memory use is measured. */
  readonly check_interval: string;
  /** Memory at which the collector refuses data and forces garbage collection (hard limit). */
  readonly limit_mib: number;
  /** Headroom below `limit_mib` where it starts refusing data (soft limit = limit_mib - spike_limit_mib). */
  readonly spike_limit_mib: number;
}

/**
 * The `memory_limiter` settings for a container with this memory limit: a
 * hard limit at 80% of it, leaving the Go runtime and the page cache room
 * below the point where the kernel kills the container, and a soft limit 20%
 * below that (the processor's default spike), where it starts refusing data.
 */
export function memoryLimiterFor(memoryLimitMiB: number): MemoryLimiterProcessorConfig {
  const limit = Math.floor(memoryLimitMiB * 0.8);
  return { check_interval: '1s', limit_mib: limit, spike_limit_mib: Math.floor(limit * 0.2) };
}
