import { invalidInput } from '../core/errors';

/**
 * What each OpenTelemetry Operator release accepts in an
 * `OpenTelemetryCollector`'s `spec` (`opentelemetry.io/v1beta1`), for the
 * fields this library sets. Read in the operator's CRD,
 * `config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml`, at the
 * releases v0.99.0, v0.102.0, v0.136.0, v0.137.0 and v0.158.0: every other
 * field we set (`mode`, `image`, `config`, `env`, `resources`, the security
 * contexts, `volumes`, `podAnnotations`, ...) is there from v0.99.0 on. The API
 * server validates custom resources strictly by default, so a field the
 * installed CRD lacks makes `kubectl apply`, Argo CD and Flux reject the whole
 * object.
 */

/** The first release that reconciles `opentelemetry.io/v1beta1`. */
export const OPERATOR_V1BETA1_MINIMUM = 'v0.99.0';

/** An optional `spec` field we set. */
export type OperatorSpecField =
  | 'livenessProbe'
  | 'podDisruptionBudget'
  | 'upgradeStrategy'
  | 'readinessProbe'
  | 'startupProbe';

/** When a `spec` field appeared in the operator's CRD. */
export interface OperatorFieldRelease {
  /** The field. */
  readonly field: OperatorSpecField;
  /** The first release whose CRD has it. */
  readonly since: string;
}

/** The optional `spec` fields we set, by the first release whose CRD has them. */
export const OPERATOR_SPEC_FIELDS: readonly OperatorFieldRelease[] = [
  { field: 'livenessProbe', since: 'v0.99.0' },
  { field: 'podDisruptionBudget', since: 'v0.99.0' },
  { field: 'upgradeStrategy', since: 'v0.99.0' },
  { field: 'readinessProbe', since: 'v0.102.0' },
  { field: 'startupProbe', since: 'v0.137.0' },
];

export const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** A release's `[major, minor, patch]`. */
function parts(tag: string): readonly [number, number, number] {
  const match = RELEASE_TAG.exec(tag);
  return [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
function compareTags(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * A release of the OpenTelemetry Operator, and the `spec` fields its
 * `OpenTelemetryCollector` CRD accepts.
 *
 * @example
 * OperatorVersion.of('v0.102.0')
 */
export class OperatorVersion {
  /**
   * The operator the ADOT EKS add-on installs by default, as far as it could
   * be established: add-on v0.156.0-eksbuild.1 (July 2026), whose release
   * notes name ADOT operator v0.156.0, the newest add-on release found. Its
   * CRD has every field we set.
   */
  public static readonly DEFAULT = OperatorVersion.of('v0.156.0');

  /**
   * Parses a release tag.
   *
   * @param input the prop, field or variable it came from, for the error
   * @throws ValidationError for a value that is not a release tag `vX.Y.Z`, or a release before v0.99.0
   */
  public static of(tag: string, input = 'operatorVersion'): OperatorVersion {
    if (typeof tag !== 'string' || !RELEASE_TAG.test(tag)) {
      invalidInput(
        input,
        tag,
        `an OpenTelemetry Operator release tag such as "v0.102.0", ${OPERATOR_V1BETA1_MINIMUM} or later`,
      );
    }
    if (compareTags(tag, OPERATOR_V1BETA1_MINIMUM) < 0) {
      invalidInput(
        input,
        tag,
        `an OpenTelemetry Operator release from ${OPERATOR_V1BETA1_MINIMUM}, the first to reconcile opentelemetry.io/v1beta1`,
      );
    }
    return new OperatorVersion(tag);
  }

  private constructor(
    /** The release tag, e.g. `v0.102.0`. */
    public readonly tag: string,
  ) {}

  /**
   * Whether this release's CRD has the `spec` field; false for a field the
   * library does not track (`startupProbe` and `readinessProbe` are tracked).
   */
  public accepts(field: string): boolean {
    const entry = OPERATOR_SPEC_FIELDS.find((f) => f.field === field);
    return entry !== undefined && compareTags(this.tag, entry.since) >= 0;
  }
}
