/** The `cumulativetodelta` processor. */
export interface CumulativeToDeltaProcessorConfig {
  /** The metrics converted. */
  readonly include: {
    /** Their names. */
    readonly metrics: readonly string[];
    /** How the names are matched. */
    readonly match_type: 'strict';
  };
}
