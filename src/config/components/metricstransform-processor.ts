import type { LabelMatchers } from '../catalog/metric-types';

/** A metricstransform label operation that renames a label. */
export interface UpdateLabelOperation {
  /** The operation. */
  readonly action: 'update_label';
  /** The label to rename. */
  readonly label: string;
  /** Its new name. */
  readonly new_label: string;
}

/** A metricstransform label operation that adds a label with a fixed value. */
export interface AddLabelOperation {
  /** The operation. */
  readonly action: 'add_label';
  /** The label to add. */
  readonly new_label: string;
  /** Its value. */
  readonly new_value: string;
}

/** A metricstransform label operation that keeps only some labels, merging the data points that then share them. */
export interface AggregateLabelsOperation {
  /** Keep only `label_set`, merging the data points that then share their labels. */
  readonly action: 'aggregate_labels';
  /** The labels kept. */
  readonly label_set: readonly string[];
  /** How merged data points combine. */
  readonly aggregation_type: 'sum' | 'max';
}

/** A metricstransform label operation. */
export type MetricsTransformOperation = UpdateLabelOperation | AddLabelOperation | AggregateLabelsOperation;

/** A metricstransform transform. */
export interface MetricsTransform {
  /** The metric name, or with `match_type: regexp` an (unanchored) regular expression, the transform applies to. */
  readonly include: string;
  /** How `include` is matched. */
  readonly match_type: 'strict' | 'regexp';
  /** `combine` merges every matching metric into `new_name`, data points with equal labels by `aggregation_type`. */
  readonly action: 'update' | 'insert' | 'combine';
  /** The metric's new name (`update`), the copy's name (`insert`) or the merged metric's name (`combine`). */
  readonly new_name?: string;
  /** For `combine`: how data points with equal labels merge. */
  readonly aggregation_type?: 'sum' | 'max';
  /** Only data points whose labels match these regular expressions are transformed. */
  readonly experimental_match_labels?: LabelMatchers;
  /** Label operations applied to the matched metrics. */
  readonly operations?: readonly MetricsTransformOperation[];
}

/** The `metricstransform` processor. */
export interface MetricsTransformProcessorConfig {
  /** The transforms, applied in order. */
  readonly transforms: readonly MetricsTransform[];
}
