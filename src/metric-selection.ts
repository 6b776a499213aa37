import { ValidationError } from './errors';
import { DIMENSIONS, type Dimension, METRIC_CATALOG } from './metric-catalog';

/** CloudWatch accepts at most 30 dimensions on a metric. */
const MAX_DIMENSIONS = 30;

function duplicatesOf(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}

/**
 * Checks the metrics and dimension sets sent to CloudWatch: every metric must
 * be one the pipeline produces and every dimension one it sets.
 */
export function validateMetricSelection(
  metrics: readonly string[],
  dimensionSets: ReadonlyArray<readonly string[]>,
): asserts dimensionSets is ReadonlyArray<readonly Dimension[]> {
  const known = METRIC_CATALOG.map((m) => m.name);
  if (metrics.length === 0) {
    throw new ValidationError('Invalid metrics []: expected at least one metric name from METRIC_CATALOG.');
  }
  const unknown = metrics.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ValidationError(
      `Invalid metrics ${JSON.stringify(unknown)}: the pipeline does not produce ${unknown.length === 1 ? 'this metric' : 'these metrics'}. Expected names from METRIC_CATALOG: ${known.join(', ')}.`,
    );
  }
  const repeated = duplicatesOf(metrics);
  if (repeated.length > 0) {
    throw new ValidationError(`Invalid metrics ${JSON.stringify(repeated)}: each metric may be listed once.`);
  }

  if (dimensionSets.length === 0) {
    throw new ValidationError('Invalid dimensionSets []: expected at least one set of dimensions.');
  }
  for (const set of dimensionSets) {
    const bad = set.filter((d) => !(DIMENSIONS as readonly string[]).includes(d));
    if (set.length === 0 || set.length > MAX_DIMENSIONS || bad.length > 0 || duplicatesOf(set).length > 0) {
      throw new ValidationError(
        `Invalid dimensionSets entry ${JSON.stringify(set)}: expected 1 to ${MAX_DIMENSIONS} distinct dimensions from ${DIMENSIONS.join(', ')}.`,
      );
    }
  }
  const keys = dimensionSets.map((set) => [...set].sort().join(','));
  const repeatedSets = duplicatesOf(keys);
  if (repeatedSets.length > 0) {
    throw new ValidationError(
      `Invalid dimensionSets: the set [${repeatedSets[0]}] is listed more than once (order within a set does not matter).`,
    );
  }
}
