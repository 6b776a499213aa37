/** A metricsgeneration rule that computes a metric from two others. */
export interface CalculateRule {
  /** Name of the new metric. */
  readonly name: string;
  /** Its unit. */
  readonly unit: string;
  /** The kind of rule. */
  readonly type: 'calculate';
  /** The first operand's metric name. */
  readonly metric1: string;
  /** The second operand's metric name (its first data point is used). */
  readonly metric2: string;
  /** The arithmetic: `add`, `subtract`, `multiply`, `divide` or `percent`. */
  readonly operation: string;
}

/** A metricsgeneration rule that scales a metric by a constant. */
export interface ScaleRule {
  /** Name of the new metric. */
  readonly name: string;
  /** Its unit. */
  readonly unit: string;
  /** The kind of rule. */
  readonly type: 'scale';
  /** The metric scaled. */
  readonly metric1: string;
  /** The arithmetic: `multiply` or `divide`. */
  readonly operation: string;
  /** The constant. */
  readonly scale_by: number;
}

/** A metricsgeneration rule. */
export type MetricsGenerationRule = CalculateRule | ScaleRule;

/** The `metricsgeneration` (`experimental_metricsgeneration` up to ADOT v0.41.x) processor. */
export interface MetricsGenerationProcessorConfig {
  /** The rules, applied in order. */
  readonly rules: readonly MetricsGenerationRule[];
}
