import type { AttributeAction } from './attributes-processor';

/** The `resource` processor: actions on resource attributes. */
export interface ResourceProcessorConfig {
  /** The actions, in order. */
  readonly attributes: readonly AttributeAction[];
}
