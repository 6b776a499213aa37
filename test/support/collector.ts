import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  AdotVersion,
  buildCollectorConfig,
  type CollectorConfig,
  type CollectorConfigOptions,
  REFERENCE_DECLARATIONS,
} from '../../src';
import { parseManifest } from '../../tools/manifests';

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

/** The AWS reference manifests: `AWS_REFERENCE_DIR`, or `../shared/reference` beside the repository. */
export const REFERENCE_DIR = process.env.AWS_REFERENCE_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'reference');

/** The AWS reference manifest's objects and its collector configuration, as the collector sees it. */
export function loadReference(file: string) {
  const path = join(REFERENCE_DIR, file);
  if (!existsSync(path)) {
    throw new Error(
      `The equivalence tests compare with the AWS reference manifest ${file}, not found in ${REFERENCE_DIR}: put the reference manifests in ../shared/reference beside the repository, or set AWS_REFERENCE_DIR.`,
    );
  }
  const objects = parseManifest(readFileSync(path, 'utf8')).filter(Boolean);
  const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  return { objects, config: loadCollectorConfig(configMap.data['adot-collector-config']) };
}

/** The options the collector construct passes by default. */
export const DEFAULT_CONFIG_OPTIONS: CollectorConfigOptions = {
  version: AdotVersion.DEFAULT,
  region: 'us-east-1',
  scrapeIntervalMs: 60_000,
  scrapeTimeoutMs: 40_000,
  declarations: REFERENCE_DECLARATIONS,
  memoryLimitMiB: 2816,
  shards: 1,
  fargateNodesOnly: true,
};

/** The collector configuration for the default options with some overridden. */
export function buildConfig(overrides: Partial<CollectorConfigOptions> = {}): CollectorConfig {
  return buildCollectorConfig({ ...DEFAULT_CONFIG_OPTIONS, ...overrides });
}

/**
 * The reference's exporters with each `metric_name_selectors` entry anchored
 * (`^name$`): the one way ours differ, so that a selector bills only its metric.
 */
export function withAnchoredSelectors(exporters: any): any {
  return {
    ...exporters,
    awsemf: {
      ...exporters.awsemf,
      metric_declarations: exporters.awsemf.metric_declarations.map(
        (declaration: { metric_name_selectors: string[] }) => ({
          ...declaration,
          metric_name_selectors: declaration.metric_name_selectors.map((name) => `^${name}$`),
        }),
      ),
    },
  };
}
