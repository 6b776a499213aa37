import { parse } from 'yaml';
import { AdotVersion } from '../../src/config/adot-version';
import { REFERENCE_DECLARATIONS } from '../../src/config/catalog/profiles';
import { buildCollectorConfig } from '../../src/config/collector-config';
import { type EmfCollectorConfig, hasEmfPath } from '../../src/config/config-model';
import type { CollectorConfigOptions } from '../../src/config/pipelines/pipeline';

/** What the collector does to its configuration file: `$$` stands for a literal `$`. */
export function collectorUnescape(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(collectorUnescape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, collectorUnescape(v)]));
  }
  return value;
}

/** The collector configuration as the collector sees it, from the text it reads. */
export function loadCollectorConfig(text: string): Record<string, any> {
  return collectorUnescape(parse(text)) as Record<string, any>;
}

/** The options the collector construct passes by default. */
export const DEFAULT_CONFIG_OPTIONS: CollectorConfigOptions = {
  clusterName: 'prod-eu',
  version: AdotVersion.DEFAULT,
  region: 'us-east-1',
  scrapeIntervalMs: 60_000,
  scrapeTimeoutMs: 40_000,
  declarations: REFERENCE_DECLARATIONS,
  memoryLimitMiB: 2816,
  shards: 1,
  fargateNodesOnly: true,
  logRetentionDays: 30,
  logGroupTags: {},
};

/** The collector configuration for the default options with some overridden: with the EMF path (the default destination). */
export function buildConfig(overrides: Partial<CollectorConfigOptions> = {}): EmfCollectorConfig {
  const config = buildCollectorConfig({ ...DEFAULT_CONFIG_OPTIONS, ...overrides });
  if (!hasEmfPath(config)) throw new Error('buildConfig: the options have no Embedded Metric Format path');
  return config;
}
