/** The `batch` processor. */
export interface BatchProcessorConfig {
  /** How long data is held before a batch is sent. */
  readonly timeout: string;
  /** Data points that trigger a send before `timeout`. */
  readonly send_batch_size?: number;
  /** Most data points in one batch: larger ones are split. */
  readonly send_batch_max_size?: number;
}
