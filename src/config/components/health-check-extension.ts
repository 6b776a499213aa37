/** Port of the `health_check` extension (its default). */
export const HEALTH_CHECK_PORT = 13133;

/** The `health_check` extension. */
export interface HealthCheckExtensionConfig {
  /** The address the extension listens on, `host:port`. */
  readonly endpoint: string;
}
