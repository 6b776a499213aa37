import { parse } from 'yaml';
import { AdotVersion, MODEL_COMPONENT_TYPES } from '../../src/config/adot-version';
import { REFERENCE_DECLARATIONS } from '../../src/config/catalog/profiles';
import { buildCollectorConfig } from '../../src/config/collector-config';
import type {
  FilterConditionsProcessorConfig,
  FilterProcessorConfig,
} from '../../src/config/components/filter-processor';
import type { MetricsGenerationProcessorConfig } from '../../src/config/components/metricsgeneration-processor';
import type { MetricsTransformProcessorConfig } from '../../src/config/components/metricstransform-processor';
import { type CollectorConfig, type EmfCollectorConfig, hasEmfPath } from '../../src/config/config-model';
import { CONSUMED_CADVISOR_FAMILIES, escapeRegExp } from '../../src/config/pipelines/cadvisor-scrape';
import type { CollectorConfigOptions } from '../../src/config/pipelines/pipeline';
import { STALE_POINT_CONDITION } from '../../src/config/pipelines/stale-points';
import { PodNaming } from '../../src/config/pod-naming';
import { componentTypeOf, type MetricConditions } from '../../src/config/release-dialect';

/** What the collector does to its configuration file: `$$` stands for a literal `$`. */
export function collectorUnescape(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(collectorUnescape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, collectorUnescape(v)]));
  }
  return value;
}

/** A collector configuration read back from its text: any keys, and the two every one has. */
export type LoadedConfig = Record<string, any> & {
  readonly processors: Record<string, any>;
  readonly service: { readonly pipelines: Record<string, any> } & Record<string, any>;
};

/** The collector configuration as the collector sees it, from the text it reads. */
export function loadCollectorConfig(text: string): LoadedConfig {
  return collectorUnescape(parse(text)) as LoadedConfig;
}

/** The options the collector construct passes by default. */
export const DEFAULT_CONFIG_OPTIONS: CollectorConfigOptions = {
  clusterName: 'prod-eu',
  version: AdotVersion.DEFAULT,
  region: 'us-east-1',
  scrapeIntervalMs: 60_000,
  scrapeTimeoutMs: 40_000,
  declarations: REFERENCE_DECLARATIONS,
  podNaming: PodNaming.DEFAULT,
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

/**
 * Finding a processor by what it does rather than by its id: the collector
 * names a component `type[/name]`, and only the type says what it is. A test
 * that asks for "the filter with datapoint conditions" survives a rename of
 * `filter/unset`; one that asks for `processors['filter/unset']` does not.
 */

/** A processor of the Container Insights pipeline, at its place in the pipeline. */
export interface Stage<T = unknown> {
  /** Its id, `type[/name]`. */
  readonly id: string;
  /** Its place in `service.pipelines.metrics.processors`. */
  readonly index: number;
  /** Its configuration. */
  readonly config: T;
}

/**
 * A component id's type, by the name the configuration model uses:
 * `metricstransform/rename` is a `metricstransform`, and so is
 * `metrics_transform/rename`, its name from ADOT v0.49.0.
 */
export const componentType = (id: string): string => {
  const type = componentTypeOf(id);
  return MODEL_COMPONENT_TYPES.get(type) ?? type;
};

/** A filter in either form a release reads: `metrics.include`/`metrics.datapoint`, or `metric_conditions`. */
export type AnyFilter = Partial<FilterProcessorConfig> &
  Partial<FilterConditionsProcessorConfig> & { readonly metric_conditions?: readonly MetricConditions[] };

/** The OTTL conditions of a filter in one context, in either form (the legacy form's `datapoint` list, or a group). */
export function filterConditions(filter: AnyFilter, context: 'metric' | 'datapoint'): readonly string[] {
  const legacy = (filter.metrics as Record<string, readonly string[] | undefined> | undefined)?.[context];
  if (legacy !== undefined) return legacy;
  return (filter.metric_conditions ?? []).filter((g) => g.context === context).flatMap((g) => g.conditions);
}

/**
 * The name patterns a filter keeps metrics by: the legacy form's
 * `metrics.include.metric_names`, or the patterns of the one metric
 * condition the `metric_conditions` form writes for it
 * (`not IsMatch(name, "a") and not IsMatch(name, "b")`); undefined when the
 * filter keeps by no name.
 */
export function keptNamePatterns(filter: AnyFilter): readonly string[] | undefined {
  if (filter.metrics?.include !== undefined) return filter.metrics.include.metric_names;
  const [condition, ...more] = filterConditions(filter, 'metric');
  if (condition === undefined) return undefined;
  if (more.length > 0) throw new Error(`expected one metric condition, found ${more.length + 1}`);
  return condition.split(' and ').map((clause) => {
    const regexp = /^not IsMatch\(name, ("(?:[^"\\]|\\.)*")\)$/.exec(clause);
    if (regexp) return JSON.parse(regexp[1] as string) as string;
    // A strict name, as the anchored pattern of the same name.
    const strict = /^not name == ("(?:[^"\\]|\\.)*")$/.exec(clause);
    if (strict) return `^${escapeRegExp(JSON.parse(strict[1] as string) as string)}$`;
    throw new Error(`not a kept-name clause: ${clause}`);
  });
}

/** What the stage helpers read of a configuration, built or read back from text. */
type StagedConfig = CollectorConfig | LoadedConfig;

/**
 * The processors of a type (a string, or a pattern of types) in a service
 * pipeline, the Container Insights one (`metrics`) unless told, in pipeline order.
 */
export function stagesOf<T = unknown>(
  config: StagedConfig,
  type: string | RegExp,
  pipeline = 'metrics',
): Array<Stage<T>> {
  const matches = (id: string) =>
    typeof type === 'string' ? componentType(id) === type : type.test(componentType(id));
  const ids: readonly string[] =
    (config.service.pipelines as Record<string, { processors: readonly string[] } | undefined>)[pipeline]?.processors ??
    [];
  const processors = config.processors as Record<string, unknown>;
  return ids.flatMap((id, index) => (matches(id) ? [{ id, index, config: processors[id] as T }] : []));
}

/** The one processor of a type that does `what` (`which` tells), in a pipeline; fails unless exactly one does. */
export function stageWhere<T>(
  config: StagedConfig,
  type: string,
  what: string,
  which: (processor: T) => boolean = () => true,
  pipeline = 'metrics',
): Stage<T> {
  const found = stagesOf<T>(config, type, pipeline).filter((stage) => which(stage.config));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} processor that ${what} in pipeline ${pipeline}, found ${found.length}`);
  }
  return found[0] as Stage<T>;
}

type Transforms = MetricsTransformProcessorConfig;
const operations = (processor: Transforms) => processor.transforms.flatMap((t) => t.operations ?? []);

/** The stages of the Container Insights pipeline, each found by what it does. */
export const STAGES = {
  /** Bounds the collector's memory: the first stage. */
  memoryLimiter: (config: StagedConfig) =>
    stageWhere<Record<string, unknown>>(config, 'memory_limiter', 'limits memory'),
  /** Renames the node labels cAdvisor series carry into dimensions (NodeName, LaunchType). */
  nodeLabels: (config: StagedConfig) =>
    stageWhere<Transforms>(config, 'metricstransform', 'turns node labels into dimensions', (p) =>
      operations(p).some((o) => o.action === 'update_label' && o.label === 'kubernetes_io_hostname'),
    ),
  /** Sets the `ClusterName` resource attribute. */
  resourceDetection: (config: StagedConfig) =>
    stageWhere<{ detectors: string[] }>(config, 'resourcedetection', 'detects the resource'),
  /** Copies each cAdvisor family read into the catalog's metrics. */
  rename: (config: StagedConfig) =>
    stageWhere<Transforms>(config, 'metricstransform', 'renames cAdvisor families', (p) =>
      p.transforms.every(
        (t) => t.action === 'insert' && CONSUMED_CADVISOR_FAMILIES.some((family) => new RegExp(t.include).test(family)),
      ),
    ),
  /** Keeps the renamed metrics and drops the raw families. */
  nameFilter: (config: StagedConfig) =>
    stageWhere<AnyFilter>(config, 'filter', 'keeps metrics by name', (p) => keptNamePatterns(p) !== undefined),
  /** Drops the stale points of series that went away, before anything merges data points. */
  staleFilter: (config: StagedConfig) =>
    stageWhere<AnyFilter>(config, 'filter', 'drops stale points', (p) => {
      const conditions = filterConditions(p, 'datapoint');
      return conditions.length > 0 && conditions.every((c) => c === STALE_POINT_CONDITION);
    }),
  /** Drops the data points of values that mean "unset". */
  unsetFilter: (config: StagedConfig) =>
    stageWhere<AnyFilter>(config, 'filter', 'drops data points by value', (p) =>
      filterConditions(p, 'datapoint').some((c) => c.includes('value_double')),
    ),
  /** Turns cumulative counters into deltas. */
  toDelta: (config: StagedConfig) =>
    stageWhere<{ include: { metrics: string[]; match_type: string } }>(config, 'cumulativetodelta', 'makes deltas'),
  /** Turns the deltas into rates. */
  toRate: (config: StagedConfig) => stageWhere<{ metrics: string[] }>(config, 'deltatorate', 'makes rates'),
  /** Sums container series into pod series. */
  podSums: (config: StagedConfig) =>
    stageWhere<Transforms>(config, 'metricstransform', 'sums container series into pods', (p) =>
      operations(p).some((o) => o.action === 'aggregate_labels'),
    ),
  /** Combines copies of two metrics into their greatest. */
  greatest: (config: StagedConfig) =>
    stageWhere<Transforms>(config, 'metricstransform', 'combines with max', (p) =>
      p.transforms.some((t) => t.action === 'combine'),
    ),
  /** Computes metrics from others: one stage per round (`metricsgeneration` or, before v0.42.0, `experimental_metricsgeneration`). */
  generations: (config: StagedConfig) => stagesOf<MetricsGenerationProcessorConfig>(config, /metricsgeneration$/),
  /** Types each metric (`Type`: Pod, Container, Node), renames namespace and pod, restores container names. */
  typeLabels: (config: StagedConfig) =>
    stageWhere<Transforms>(config, 'metricstransform', 'adds the Type label', (p) =>
      operations(p).some((o) => o.action === 'add_label' && o.new_label === 'Type'),
    ),
  /** Batches for awsemf: the last stage. */
  batch: (config: StagedConfig) => stageWhere<{ timeout: string }>(config, 'batch', 'batches'),
};

/**
 * The ids of the stages this library adds to the AWS reference manifest's
 * (memory_limiter, the stale-point filter, the datapoint filter, the pod
 * sums, the greatest of limit and request and the generation after it),
 * found by what each does: the reference's own stages keep its ids, so what
 * is left is compared by them.
 */
export function referenceAdditions(config: StagedConfig): string[] {
  const greatest = STAGES.greatest(config);
  return [
    STAGES.memoryLimiter(config),
    STAGES.staleFilter(config),
    STAGES.unsetFilter(config),
    STAGES.podSums(config),
    greatest,
    ...STAGES.generations(config).filter((stage) => stage.index > greatest.index),
  ].map((stage) => stage.id);
}
