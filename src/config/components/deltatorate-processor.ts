/** The `deltatorate` processor. */
export interface DeltaToRateProcessorConfig {
  /** Names of the delta metrics turned into per-second rates. */
  readonly metrics: readonly string[];
}
