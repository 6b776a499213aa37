/** A `resource` (resource attributes) or `attributes` (data point attributes) processor action. */
export interface AttributeAction {
  /** The attribute acted on. */
  readonly key: string;
  /** `upsert`: set it, from `value` or `from_attribute`; `delete`: remove it. */
  readonly action: 'upsert' | 'delete';
  /** The value set. */
  readonly value?: string;
  /** The attribute whose value is copied. */
  readonly from_attribute?: string;
}

/** The `attributes` processor: actions on data point attributes. */
export interface AttributesProcessorConfig {
  /** The actions, in order. */
  readonly actions: readonly AttributeAction[];
}
