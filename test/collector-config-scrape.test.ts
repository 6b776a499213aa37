import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { EnvReference } from '../src/config/components/env-reference';
import type { RelabelConfig } from '../src/config/components/prometheus-receiver';
import { METRIC_CATALOG } from '../src/config/metric-catalog';
import {
  CONSUMED_CADVISOR_FAMILIES,
  consumedFamiliesRule,
  NO_WORKLOAD_WITHOUT_POD,
  shardRules,
} from '../src/config/pipelines/cadvisor-scrape';
import { PodNaming } from '../src/config/pod-naming';
import { renderCollectorConfig } from '../src/config/render';
import { buildConfig as build, STAGES } from './support/collector';
import { scrapedTarget } from './support/fargate-pods';

/**
 * The collector configuration's cAdvisor scrape: only the families the
 * pipelines read come into them, and replicas share the pods between them.
 */

/** Metric families cAdvisor serves at /metrics/cadvisor (cAdvisor's Prometheus collector, kubelet build). */
const CADVISOR_FAMILIES = [
  'cadvisor_version_info',
  'container_blkio_device_usage_total',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_cpu_cfs_throttled_seconds_total',
  'container_cpu_load_average_10s',
  'container_cpu_system_seconds_total',
  'container_cpu_usage_seconds_total',
  'container_cpu_user_seconds_total',
  'container_file_descriptors',
  'container_fs_inodes_free',
  'container_fs_inodes_total',
  'container_fs_io_current',
  'container_fs_io_time_seconds_total',
  'container_fs_io_time_weighted_seconds_total',
  'container_fs_limit_bytes',
  'container_fs_read_seconds_total',
  'container_fs_reads_bytes_total',
  'container_fs_reads_merged_total',
  'container_fs_reads_total',
  'container_fs_sector_reads_total',
  'container_fs_sector_writes_total',
  'container_fs_usage_bytes',
  'container_fs_write_seconds_total',
  'container_fs_writes_bytes_total',
  'container_fs_writes_merged_total',
  'container_fs_writes_total',
  'container_last_seen',
  'container_memory_cache',
  'container_memory_failcnt',
  'container_memory_failures_total',
  'container_memory_kernel_usage',
  'container_memory_mapped_file',
  'container_memory_max_usage_bytes',
  'container_memory_rss',
  'container_memory_swap',
  'container_memory_total_active_file_bytes',
  'container_memory_total_inactive_file_bytes',
  'container_memory_usage_bytes',
  'container_memory_working_set_bytes',
  'container_network_receive_bytes_total',
  'container_network_receive_errors_total',
  'container_network_receive_packets_dropped_total',
  'container_network_receive_packets_total',
  'container_network_transmit_bytes_total',
  'container_network_transmit_errors_total',
  'container_network_transmit_packets_dropped_total',
  'container_network_transmit_packets_total',
  'container_oom_events_total',
  'container_processes',
  'container_scrape_error',
  'container_sockets',
  'container_spec_cpu_period',
  'container_spec_cpu_quota',
  'container_spec_cpu_shares',
  'container_spec_memory_limit_bytes',
  'container_spec_memory_reservation_limit_bytes',
  'container_spec_memory_swap_limit_bytes',
  'container_start_time_seconds',
  'container_tasks_state',
  'container_threads',
  'container_threads_max',
  'container_ulimits_soft',
  'machine_cpu_cores',
  'machine_cpu_physical_cores',
  'machine_cpu_sockets',
  'machine_memory_bytes',
  'machine_scrape_error',
];

describe('less data into the pipeline', () => {
  const config = build();
  const [job] = config.receivers.prometheus.config.scrape_configs;
  const rename = STAGES.rename(config).config;

  test('metric_relabel_configs keeps exactly the families some rename reads, so the output is unchanged', () => {
    expect(job.metric_relabel_configs).toStrictEqual([consumedFamiliesRule(), NO_WORKLOAD_WITHOUT_POD]);
    const [keep] = job.metric_relabel_configs;
    // Prometheus anchors relabel regexes; metricstransform does not anchor `include`.
    const kept = new RegExp(`^(?:${keep.regex})$`);
    const read = (name: string) => rename.transforms.some((t) => new RegExp(t.include).test(name));
    const keptNames = CADVISOR_FAMILIES.filter((name) => kept.test(name));
    expect(keptNames).toStrictEqual(CADVISOR_FAMILIES.filter(read));
    expect(keptNames).toStrictEqual([...CONSUMED_CADVISOR_FAMILIES]);
    expect(keptNames.length).toBeLessThan(CADVISOR_FAMILIES.length / 2);
  });

  test('the kept families come from the catalog, not from a second list', () => {
    const families = METRIC_CATALOG.flatMap((m) => (m.source.kind === 'cadvisor' ? [m.source.family] : []));
    expect([...CONSUMED_CADVISOR_FAMILIES]).toStrictEqual([...new Set(families)].sort());
  });

  test('fargateNodesOnly keeps only Fargate nodes; off, every node is scraped (podNaming pod)', () => {
    const rule = {
      source_labels: ['__meta_kubernetes_node_label_eks_amazonaws_com_compute_type'],
      regex: 'fargate',
      action: 'keep',
    };
    const [byPod] = build({ podNaming: PodNaming.POD }).receivers.prometheus.config.scrape_configs;
    expect(byPod.relabel_configs).toContainEqual(rule);
    const all = build({ fargateNodesOnly: false, podNaming: PodNaming.POD }).receivers.prometheus.config
      .scrape_configs[0];
    expect(all.relabel_configs).not.toContainEqual(rule);
    expect(all.relabel_configs).toStrictEqual(byPod.relabel_configs.slice(1));
  });

  test('by workload, only pods on Fargate nodes, whatever fargateNodesOnly: a pod on an EC2 node shares it', () => {
    for (const fargateNodesOnly of [true, false]) {
      const config = build({ fargateNodesOnly });
      const scraped = (computeType: string) =>
        scrapedTarget(config, { name: 'web', namespace: 'shop', node: 'ip-10-0-1-1', computeType }) !== undefined;
      expect(scraped('fargate')).toBe(true);
      expect(scraped('ec2')).toBe(false);
    }
  });
});

describe('sharding', () => {
  test('one shard: no sharding rules', () => {
    expect(shardRules(1)).toStrictEqual([]);
    const [job] = build().receivers.prometheus.config.scrape_configs;
    expect(job.relabel_configs.some((r) => r.action === 'hashmod')).toBe(false);
  });

  test('several shards: hash the node name, keep the shard from the environment', () => {
    const [job] = build({ shards: 3 }).receivers.prometheus.config.scrape_configs;
    const at = job.relabel_configs.findIndex((rule) => rule.action === 'hashmod');
    expect(job.relabel_configs.slice(at, at + 2)).toStrictEqual(shardRules(3, ['__meta_kubernetes_pod_node_name']));
    const [byPod] = build({ shards: 3, podNaming: PodNaming.POD }).receivers.prometheus.config.scrape_configs;
    expect(byPod.relabel_configs.slice(1, 3)).toStrictEqual(shardRules(3));
    const text = renderCollectorConfig(build({ shards: 3 }), AdotVersion.DEFAULT);
    expect(text).toContain('regex: ${env:SHARD}');
    expect(text).toContain('modulus: 3');
  });

  /** Prometheus `hashmod`: the last 8 bytes of the MD5 of the value, big-endian, modulo the modulus. */
  function prometheusHashmod(value: string, modulus: number): number {
    const digest = createHash('md5').update(value).digest();
    return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
  }

  /** Applies the relabel rules the way Prometheus does, to one node, for the pod with this SHARD. */
  function scrapedBy(node: string, rules: readonly RelabelConfig[], shard: string): boolean {
    const labels: Record<string, string> = { __meta_kubernetes_node_name: node };
    for (const rule of rules) {
      const value = (rule.source_labels ?? []).map((l) => labels[l] ?? '').join(';');
      const regex = rule.regex instanceof EnvReference ? shard : rule.regex;
      if (rule.action === 'hashmod')
        labels[rule.target_label as string] = String(prometheusHashmod(value, rule.modulus as number));
      if (rule.action === 'keep' && !new RegExp(`^(?:${regex})$`).test(value)) return false;
    }
    return true;
  }

  test.each([2, 3, 5, 8])('%i shards scrape every node exactly once', (shards) => {
    const nodes = Array.from(
      { length: 2000 },
      (_, i) => `fargate-ip-10-0-${i >> 8}-${i & 255}.eu-west-1.compute.internal`,
    );
    const rules = shardRules(shards);
    const counts = Array.from({ length: shards }, () => 0);
    for (const node of nodes) {
      const owners = Array.from({ length: shards }, (_, shard) => shard).filter((shard) =>
        scrapedBy(node, rules, String(shard)),
      );
      expect(owners, node).toHaveLength(1);
      counts[owners[0]]++;
    }
    // And the split is even enough to be worth it: every shard within 20% of its share.
    for (const count of counts)
      expect(Math.abs(count - nodes.length / shards)).toBeLessThan(0.2 * (nodes.length / shards));
  });

  test('the hash is the one Prometheus computes', () => {
    // The algorithm is the HashMod case of model/relabel/relabel.go, vendored in ADOT v0.40.0 and v0.49.0 alike.
    // md5("") = d41d8cd98f00b204e9800998ecf8427e: its last 8 bytes, big-endian.
    expect(prometheusHashmod('', 10)).toBe(Number(0xe9800998ecf8427en % 10n));
  });
});
