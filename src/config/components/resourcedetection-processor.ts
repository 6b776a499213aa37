/** The `resourcedetection` processor. */
export interface ResourceDetectionProcessorConfig {
  /** The detectors run: `env` reads `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly detectors: readonly string[];
}
