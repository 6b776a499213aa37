/** The `filter` processor, with its `metrics.include` name matching. */
export interface FilterProcessorConfig {
  /** Which metrics pass. */
  readonly metrics: {
    /** Only metrics whose name matches pass. */
    readonly include: {
      /** How `metric_names` are matched. */
      readonly match_type: 'strict' | 'regexp';
      /** The names, or regular expressions, of the metrics kept. */
      readonly metric_names: readonly string[];
    };
  };
}

/**
 * The `filter` processor with OTTL conditions: a data point is dropped when
 * any condition is true. The processor refuses to mix them with `include`.
 */
export interface FilterConditionsProcessorConfig {
  /** What the processor does with a condition that fails to evaluate: `ignore` logs it and goes on. */
  readonly error_mode: 'ignore' | 'propagate';
  /** The conditions, by the kind of item they drop. */
  readonly metrics: {
    /** OTTL conditions on data points. */
    readonly datapoint: readonly string[];
  };
}
