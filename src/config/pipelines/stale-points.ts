import type { FilterConditionsProcessorConfig } from '../components/filter-processor';
import type { MetricsGenerationProcessorConfig } from '../components/metricsgeneration-processor';
import type { MetricsTransformProcessorConfig } from '../components/metricstransform-processor';
import type { MetricsPipelineConfig } from '../components/service';
import type { ProcessorConfig } from '../config-model';
import { componentTypeOf } from '../release-dialect';

/**
 * Stale points, and the one step that keeps them out of every aggregation.
 *
 * When a series a target served at its previous scrape is gone (a container
 * restarted, a pod deleted, an address that left a Service's ready set, a
 * node gone), the prometheus receiver emits one more data point for it:
 * Prometheus' staleness marker, as a data point flagged `NoRecordedValue`
 * that holds no value (`receiver/prometheusreceiver/internal/metricfamily.go`,
 * `toNumberDataPoint`). Three components then lose live values with it:
 *
 * - metricstransform's aggregations (`aggregate_labels`, `combine`) move a
 *   group's first data point into the result and fold the others' values
 *   into it (`internal/coreinternal/aggregateutil`, `mergeNumberDataPoints`),
 *   walking the groups of an earlier aggregation out of a Go map, in random
 *   order. A stale point first in its group turns the whole aggregate into a
 *   stale point without a value; later in the group it adds 0.
 * - metricsgeneration reads the second operand of a `calculate` rule from
 *   the first data point of `metric2`, and skips the rule when that is 0,
 *   which a stale point reads as.
 * - awsemf drops every data point flagged `NoRecordedValue` (and NaN or ±Inf:
 *   `exporter/awsemfexporter`, `IsStaleNaNInf`), so an aggregate that
 *   inherited the flag is not sent at all.
 *
 * So every pipeline with a step that merges data points drops the stale ones
 * first, right after `memory_limiter`. The pipelines that pass series on as
 * they are (OTLP, remote write to Amazon Managed Service for Prometheus) keep
 * them: there a staleness marker tells the store the series ended.
 */

/** The id of the processor that drops stale points. */
export const STALE_POINTS_FILTER_ID = 'filter/stale';

/** The OTTL data point condition true for a staleness marker (`FLAG_NO_RECORDED_VALUE` is 1 in `ottldatapoint`). */
export const STALE_POINT_CONDITION = 'flags == FLAG_NO_RECORDED_VALUE';

/** The filter processor that drops stale points: an OTTL `datapoint` condition, which every supported release reads. */
export function staleFilter(): FilterConditionsProcessorConfig {
  return { error_mode: 'ignore', metrics: { datapoint: [STALE_POINT_CONDITION] } };
}

/** The component type of a processor id: `metricstransform/sum` is a `metricstransform`. */

/**
 * Whether a processor merges data points, so that a stale point can take a
 * live value with it: a metricstransform `aggregate_labels` operation or
 * `combine` transform, or a metricsgeneration `calculate` rule (its second
 * operand is another metric's first data point).
 */
export function mergesDataPoints(id: string, config: ProcessorConfig): boolean {
  const type = componentTypeOf(id);
  if (type === 'metricstransform') {
    return (config as MetricsTransformProcessorConfig).transforms.some(
      (t) => t.action === 'combine' || (t.operations ?? []).some((op) => op.action === 'aggregate_labels'),
    );
  }
  if (type === 'metricsgeneration' || type === 'experimental_metricsgeneration') {
    return (config as MetricsGenerationProcessorConfig).rules.some((rule) => rule.type === 'calculate');
  }
  return false;
}

/** The processors and pipelines of a configuration, before and after the stale-point filter is placed. */
export interface ProcessorGraph {
  /** The processors, by id, in the order the configuration lists them. */
  readonly processors: ReadonlyMap<string, ProcessorConfig>;
  /** The service pipelines, by id. */
  readonly pipelines: Readonly<Record<string, MetricsPipelineConfig>>;
}

/** The id after which the filter goes: the memory limiter, when the list has one, runs first. */
const MEMORY_LIMITER = 'memory_limiter';

/** `ids` with `id` inserted right after the memory limiter (or first, without one). */
function afterMemoryLimiter(ids: readonly string[], id: string): string[] {
  const at = ids.indexOf(MEMORY_LIMITER) + 1;
  return [...ids.slice(0, at), id, ...ids.slice(at)];
}

/**
 * Places the stale-point filter in every pipeline that merges data points,
 * right after its memory limiter, and defines it once among the processors,
 * after the memory limiter too. Pipelines that merge nothing are returned as
 * they are, and a configuration without any is returned unchanged.
 */
export function dropStalePoints(graph: ProcessorGraph): ProcessorGraph {
  const merging = Object.entries(graph.pipelines).filter(([, pipeline]) =>
    pipeline.processors.some((id) => {
      const config = graph.processors.get(id);
      return config !== undefined && mergesDataPoints(id, config);
    }),
  );
  if (merging.length === 0) return graph;
  const order = afterMemoryLimiter([...graph.processors.keys()], STALE_POINTS_FILTER_ID);
  const processors = new Map(order.map((id) => [id, graph.processors.get(id) ?? staleFilter()]));
  const pipelines = { ...graph.pipelines };
  for (const [id, pipeline] of merging) {
    pipelines[id] = { ...pipeline, processors: afterMemoryLimiter(pipeline.processors, STALE_POINTS_FILTER_ID) };
  }
  return { processors, pipelines };
}
