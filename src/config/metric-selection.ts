import { invalidInput, showValue, ValidationError } from '../core/errors';
import { duplicatesOf, MAX_DIMENSIONS, validateStringList } from '../core/validation';
import { NOT_PRODUCED_DIMENSIONS, NOT_PRODUCED_METRICS } from './catalog/console-reference';
import { DIMENSIONS, type Dimension, type MetricDeclarationSpec, SCOPE_DIMENSIONS } from './catalog/metric-types';
import {
  CONSOLE_DECLARATIONS,
  DEFAULT_DIMENSION_SETS,
  DEFAULT_METRIC_PROFILE,
  METRIC_PROFILES,
  type MetricProfile,
  PROFILE_DECLARATIONS,
} from './catalog/profiles';
import { findMetric, METRIC_CATALOG } from './metric-catalog';

/** A dimension set as an order-free key. */
const setKey = (set: readonly string[]): string => [...set].sort().join(',');

/**
 * Checks the metrics and dimension sets of one declaration: every metric must
 * be one the pipeline produces, every dimension one it sets, and every
 * metric must carry every dimension of every set (awsemf silently skips a set
 * a metric lacks a label of). `path` prefixes the property names in messages.
 */
export function validateMetricSelection(
  metrics: readonly string[],
  dimensionSets: ReadonlyArray<readonly string[]>,
  path = '',
): asserts dimensionSets is ReadonlyArray<readonly Dimension[]> {
  const metricsProp = `${path}metrics`;
  const setsProp = `${path}dimensionSets`;
  validateStringList(metricsProp, metrics, 'a list of metric names from METRIC_CATALOG');
  if (!Array.isArray(dimensionSets as unknown))
    invalidInput(setsProp, dimensionSets, 'a list of dimension sets, each a list of dimensions');
  dimensionSets.forEach((set, i) => {
    validateStringList(`${setsProp}[${i}]`, set, `a list of dimensions from ${DIMENSIONS.join(', ')}`);
  });
  const known = METRIC_CATALOG.map((m) => m.name);
  if (metrics.length === 0) {
    throw new ValidationError(`Invalid ${metricsProp} []: expected at least one metric name from METRIC_CATALOG.`);
  }
  const notProduced = metrics.find((name) => name in NOT_PRODUCED_METRICS);
  if (notProduced) {
    throw new ValidationError(
      `Invalid ${metricsProp} entry "${notProduced}": the pipeline cannot produce this Container Insights metric on Fargate: ${NOT_PRODUCED_METRICS[notProduced]}.`,
    );
  }
  const unknown = metrics.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ValidationError(
      `Invalid ${metricsProp} ${showValue(unknown)}: the pipeline does not produce ${unknown.length === 1 ? 'this metric' : 'these metrics'}. Expected names from METRIC_CATALOG: ${known.join(', ')}.`,
    );
  }
  const repeated = duplicatesOf(metrics);
  if (repeated.length > 0) {
    throw new ValidationError(`Invalid ${metricsProp} ${showValue(repeated)}: each metric may be listed once.`);
  }

  if (dimensionSets.length === 0) {
    throw new ValidationError(`Invalid ${setsProp} []: expected at least one set of dimensions.`);
  }
  for (const set of dimensionSets) {
    const unavailable = set.find((d) => d in NOT_PRODUCED_DIMENSIONS);
    if (unavailable) {
      throw new ValidationError(
        `Invalid ${setsProp} entry ${showValue(set)}: the pipeline cannot set the dimension ${unavailable} on Fargate: ${NOT_PRODUCED_DIMENSIONS[unavailable]}.`,
      );
    }
    const bad = set.filter((d) => !(DIMENSIONS as readonly string[]).includes(d));
    if (set.length === 0 || set.length > MAX_DIMENSIONS || bad.length > 0 || duplicatesOf(set).length > 0) {
      throw new ValidationError(
        `Invalid ${setsProp} entry ${showValue(set)}: expected 1 to ${MAX_DIMENSIONS} distinct dimensions from ${DIMENSIONS.join(', ')}.`,
      );
    }
  }
  const repeatedSets = duplicatesOf(dimensionSets.map(setKey));
  if (repeatedSets.length > 0) {
    throw new ValidationError(
      `Invalid ${setsProp}: the set [${repeatedSets[0]}] is listed more than once (order within a set does not matter).`,
    );
  }
  for (const name of metrics) {
    const metric = findMetric(name);
    if (!metric) continue;
    const carried: readonly string[] = SCOPE_DIMENSIONS[metric.scope];
    for (const set of dimensionSets) {
      const missing = set.filter((d) => !carried.includes(d));
      if (missing.length > 0) {
        throw new ValidationError(
          `Invalid ${setsProp} entry ${showValue(set)} for ${metricsProp} entry "${name}": ${metric.scope} metrics carry only ${carried.join(', ')}, not ${missing.join(', ')}.`,
        );
      }
    }
  }
}

/**
 * Checks a list of declarations: each as `validateMetricSelection`, and no
 * metric in the same dimension set twice (awsemf would send it once, so the
 * cost estimate would count it twice).
 */
export function validateMetricDeclarations(
  declarations: readonly MetricDeclarationSpec[],
  prop = 'metricDeclarations',
): void {
  if (!Array.isArray(declarations as unknown))
    invalidInput(prop, declarations, 'a list of declarations, each with metrics and dimensionSets');
  declarations.forEach((declaration, i) => {
    if (typeof declaration !== 'object' || declaration === null || Array.isArray(declaration)) {
      invalidInput(`${prop}[${i}]`, declaration, 'a declaration with metrics and dimensionSets');
    }
  });
  if (declarations.length === 0) {
    throw new ValidationError(`Invalid ${prop} []: expected at least one declaration of metrics and dimensionSets.`);
  }
  const seen = new Map<string, number>();
  declarations.forEach((declaration, i) => {
    validateMetricSelection(declaration.metrics, declaration.dimensionSets, `${prop}[${i}].`);
    for (const metric of declaration.metrics) {
      for (const set of declaration.dimensionSets) {
        const key = `${metric} [${setKey(set)}]`;
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          throw new ValidationError(
            `Invalid ${prop}[${i}]: ${key} is already declared in ${prop}[${earlier}]; declare each metric in a dimension set once.`,
          );
        }
        seen.set(key, i);
      }
    }
  });
}

/**
 * Which Container Insights metrics become CloudWatch metrics, and with which
 * dimension sets: a profile, one declaration, or declarations of your own.
 * Validated when made, so a bad choice fails where it is written.
 *
 * @example
 * MetricSelection.profile(MetricProfile.CONSOLE)
 * MetricSelection.metrics(['pod_cpu_utilization'], [[Dimension.CLUSTER_NAME]])
 */
export class MetricSelection {
  /** The AWS reference manifest's choice: `MetricProfile.REFERENCE`. */
  public static readonly DEFAULT = MetricSelection.profile(DEFAULT_METRIC_PROFILE);

  /** A named profile's declarations. */
  public static profile(profile: MetricProfile): MetricSelection {
    if (!METRIC_PROFILES.includes(profile)) {
      invalidInput('metricProfile', profile, `one of ${METRIC_PROFILES.join(', ')}`);
    }
    return new MetricSelection(PROFILE_DECLARATIONS[profile], profile);
  }

  /**
   * One declaration: each of `metrics` (names from the catalog) in each of
   * `dimensionSets`.
   *
   * @param metrics metric names from the catalog, each once
   * @param dimensionSets the dimension sets of every metric; default: cluster, namespace and pod (`DEFAULT_DIMENSION_SETS`)
   */
  public static metrics(metrics: string[], dimensionSets?: Dimension[][]): MetricSelection {
    const declaration = { metrics, dimensionSets: dimensionSets ?? DEFAULT_DIMENSION_SETS };
    validateMetricSelection(declaration.metrics, declaration.dimensionSets);
    return new MetricSelection([declaration]);
  }

  /**
   * What the Container Insights console reads, without the reference's
   * `LaunchType` sets: the console's views for about half the reference's price.
   */
  public static consoleViews(): MetricSelection {
    return new MetricSelection(CONSOLE_DECLARATIONS);
  }

  /** Declarations of your own: groups of catalog metrics, each group with its dimension sets. */
  public static declarations(declarations: MetricDeclarationSpec[]): MetricSelection {
    validateMetricDeclarations(declarations);
    return new MetricSelection(declarations);
  }

  /** The declarations, one awsemf `metric_declarations` entry each. */
  public readonly metricDeclarations: MetricDeclarationSpec[];

  /** The profile chosen, if the selection is one. */
  public readonly metricProfile?: MetricProfile;

  private constructor(declarations: readonly MetricDeclarationSpec[], profile?: MetricProfile) {
    this.metricDeclarations = declarations.map((d) => ({
      metrics: [...d.metrics],
      dimensionSets: d.dimensionSets.map((set) => [...set]),
    }));
    if (profile !== undefined) this.metricProfile = profile;
  }
}

/** Every metric the declarations send, each once, in declaration order. */
export function declaredMetrics(declarations: readonly MetricDeclarationSpec[]): readonly string[] {
  return [...new Set(declarations.flatMap((d) => d.metrics))];
}
