import type { AdotVersion } from './adot-version';
import type { CollectorConfig } from './config-model';

/**
 * The configuration model names each component by its type before any
 * rename (`metricstransform`, `otlphttp`) and writes every filter in the
 * `metrics` form every supported release reads. What one release's collector
 * reads without a deprecation warning differs: ADOT v0.48.0 renamed
 * `otlphttp` to `otlp_http`, v0.49.0 `metricstransform`, `resourcedetection`
 * and `prometheusremotewrite` too, and from v0.48.0 the filter processor's
 * `metrics` block is deprecated for its OTTL `metric_conditions`. This is the
 * one step that writes a configuration in its release's own words, just
 * before it is rendered (render.ts); the version table says which words
 * (adot-version.ts, with the source of each row).
 */

/** A component id's type: `metricstransform/rename` is a `metricstransform`. */
export function componentTypeOf(id: string): string {
  return id.split('/')[0] as string;
}

/** A component id in a release's words: `metricstransform/rename` is `metrics_transform/rename` in ADOT v0.49.0. */
export function componentIdFor(version: AdotVersion, id: string): string {
  const type = componentTypeOf(id);
  return `${version._componentType(type)}${id.slice(type.length)}`;
}

/** An OTTL string literal: OTTL unquotes strings as Go does, which JSON's escapes match. */
export function ottlString(value: string): string {
  return JSON.stringify(value);
}

/** The filter forms the configuration model writes. */
interface MetricsFilter {
  readonly error_mode?: 'ignore' | 'propagate';
  readonly metrics: {
    readonly include?: { readonly match_type: 'strict' | 'regexp'; readonly metric_names: readonly string[] };
    readonly datapoint?: readonly string[];
  };
}

/** One group of a filter's `metric_conditions`, in the advanced form: conditions of one OTTL context. */
export interface MetricConditions {
  /** The OTTL context the conditions are parsed in; unprefixed paths are read in it. */
  readonly context: 'metric' | 'datapoint';
  /** The conditions: an item is dropped when any is true. */
  readonly conditions: readonly string[];
}

/**
 * A filter in the `metric_conditions` form, dropping exactly what the
 * `metrics` form drops: `metrics.include` keeps the metrics whose name
 * matches one of `metric_names` (unanchored, as filterset's regexp matches),
 * so the metric condition drops those that match none; `metrics.datapoint`
 * conditions move to the `datapoint` context unchanged, since an explicit
 * context reads unprefixed paths in it (`ParseConditionsWithContext`).
 */
export function asMetricConditions(filter: MetricsFilter): {
  readonly error_mode?: 'ignore' | 'propagate';
  readonly metric_conditions: MetricConditions[];
} {
  const { include, datapoint } = filter.metrics;
  const groups: MetricConditions[] = [];
  if (include !== undefined) {
    const matches = include.metric_names.map((name) =>
      include.match_type === 'strict' ? `name == ${ottlString(name)}` : `IsMatch(name, ${ottlString(name)})`,
    );
    groups.push({ context: 'metric', conditions: [matches.map((match) => `not ${match}`).join(' and ')] });
  }
  if (datapoint !== undefined && datapoint.length > 0)
    groups.push({ context: 'datapoint', conditions: [...datapoint] });
  return { ...(filter.error_mode === undefined ? {} : { error_mode: filter.error_mode }), metric_conditions: groups };
}

function renameKeys<T>(version: AdotVersion, components: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(components).map(([id, config]) => [componentIdFor(version, id), config]));
}

/** The configuration in the words of `version`'s collector: its component names and its filter form. */
export function inReleaseWords(config: CollectorConfig, version: AdotVersion): Record<string, unknown> {
  const processors = Object.fromEntries(
    Object.entries(config.processors).map(([id, processor]) => [
      componentIdFor(version, id),
      componentTypeOf(id) === 'filter' && version._filterConditions === 'metric_conditions'
        ? asMetricConditions(processor as MetricsFilter)
        : processor,
    ]),
  );
  const ids = (list: readonly string[]) => list.map((id) => componentIdFor(version, id));
  return {
    receivers: renameKeys(version, config.receivers),
    processors,
    exporters: renameKeys(version, config.exporters),
    extensions: renameKeys(version, config.extensions),
    service: {
      ...config.service,
      pipelines: Object.fromEntries(
        Object.entries(config.service.pipelines).map(([name, pipeline]) => [
          name,
          {
            ...pipeline,
            receivers: ids(pipeline.receivers),
            processors: ids(pipeline.processors),
            exporters: ids(pipeline.exporters),
          },
        ]),
      ),
      extensions: ids(config.service.extensions),
    },
  };
}
