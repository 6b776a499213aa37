import { showValue, ValidationError } from '../core/errors';

/** The Kubernetes project's registry path of kube-state-metrics images. */
const KUBE_STATE_METRICS_REPOSITORY = 'registry.k8s.io/kube-state-metrics/kube-state-metrics';

/**
 * The kube-state-metrics releases whose metrics and flags this library has
 * checked, oldest first: every family the pod health catalog reads
 * (`POD_HEALTH_FAMILIES`), the `ready` and `address` labels of
 * `kube_endpointslice_endpoints` (its label values are listed in the order of
 * its keys for `ready` in every one; v2.18.0 and v2.19.1 swap `hostname` and
 * `terminating`, which nothing here reads), the `endpointslices` resource
 * and the `--resources`, `--metric-allowlist`, `--use-apiserver-cache`,
 * `--port` and `--telemetry-port` flags are in each tag's `internal/store`
 * and `docs/developer/cli-arguments.md`.
 */
const RELEASES: readonly string[] = ['v2.18.0', 'v2.19.1', 'v2.20.0'];

/**
 * A release of kube-state-metrics, the Kubernetes project's exporter of
 * object state, which pod health runs beside the collector.
 *
 * @example
 * KubeStateMetricsVersion.V2_20_0
 * KubeStateMetricsVersion.of('v2.19.1')
 */
export class KubeStateMetricsVersion {
  /** kube-state-metrics v2.18.0. */
  public static readonly V2_18_0 = KubeStateMetricsVersion.of('v2.18.0');
  /** kube-state-metrics v2.19.1. */
  public static readonly V2_19_1 = KubeStateMetricsVersion.of('v2.19.1');
  /** kube-state-metrics v2.20.0 (client-go v0.36). */
  public static readonly V2_20_0 = KubeStateMetricsVersion.of('v2.20.0');

  /** The newest checked release, used when no version is given. */
  public static readonly DEFAULT = KubeStateMetricsVersion.V2_20_0;

  /** Every supported version tag, oldest first. */
  public static readonly SUPPORTED: string[] = [...RELEASES];

  /**
   * Looks up a checked release by its tag. A leading `v` is optional.
   *
   * @param tag release tag such as `v2.20.0`
   * @param input name of the prop or setting the tag came from, for the error message
   * @throws ValidationError for a floating or malformed tag, or a release that has not been checked
   */
  public static of(tag: string, input = 'podHealth.kubeStateMetricsVersion'): KubeStateMetricsVersion {
    const normalized = typeof tag !== 'string' ? '' : /^\d/.test(tag) ? `v${tag}` : tag;
    if (!RELEASES.includes(normalized)) {
      const why = /^v\d+\.\d+\.\d+$/.test(normalized)
        ? 'is not a release whose metrics and flags this library has checked'
        : 'is not a release tag "vMAJOR.MINOR.PATCH" (floating tags such as "latest" are not accepted: pin a version)';
      throw new ValidationError(
        `Invalid ${input} ${showValue(tag)}: it ${why}. Supported versions: ${RELEASES.join(', ')}.`,
      );
    }
    return new KubeStateMetricsVersion(normalized);
  }

  private constructor(
    /** The release tag, e.g. `v2.20.0`; also the image tag. */
    public readonly tag: string,
  ) {}

  /** The image of this release on registry.k8s.io. */
  public get image(): string {
    return `${KUBE_STATE_METRICS_REPOSITORY}:${this.tag}`;
  }

  /** The release tag, e.g. `v2.20.0`. */
  public toString(): string {
    return this.tag;
  }
}
