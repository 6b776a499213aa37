import { showValue, ValidationError } from '../core/errors';

/** The component type of the metrics generation processor, which ADOT v0.42.0 renamed. */
export type MetricsGenerationProcessorType = 'experimental_metricsgeneration' | 'metricsgeneration';

/**
 * Flags of the collector's Prometheus endpoint for its own metrics that a
 * release sets by default (they shape the metric names it serves).
 */
export interface TelemetryPrometheusFlags {
  /** Leave the unit out of metric names. */
  readonly without_units?: boolean;
  /** Leave the type suffix (`_total`) out of metric names. */
  readonly without_type_suffix?: boolean;
  /** Leave out the `otel_scope_info` metric. */
  readonly without_scope_info?: boolean;
}

/**
 * How a release configures the endpoint that serves the collector's own
 * metrics (`service.telemetry.metrics`):
 * - `address`: a `host:port` string, defaulting to `:8888` (all interfaces);
 * - `readers`: a list of OpenTelemetry metric readers, whose default is a
 *   Prometheus pull exporter on `localhost:8888` with these flags.
 */
export type TelemetryMetricsStyle =
  | {
      /** One `address` to listen on. */
      readonly style: 'address';
    }
  | {
      /** A list of metric `readers`. */
      readonly style: 'readers';
      /** The flags the release's own default reader sets, repeated on ours. */
      readonly defaultFlags: TelemetryPrometheusFlags;
    };

/**
 * What differs between ADOT collector releases in the components this library
 * configures. Each row was checked against the component sources vendored in
 * that aws-otel-collector release tag (`pkg/defaultcomponents/defaults.go` for
 * the component list, each component's `config.go` / `factory.go` for keys and
 * defaults).
 */
interface VersionTraits {
  /** opentelemetry-collector-contrib version the release is built from. */
  readonly contrib: string;
  /** Component type of the metrics generation processor. */
  readonly metricsGenerationProcessor: MetricsGenerationProcessorType;
  /** How `service.telemetry.metrics` is configured (collector core's telemetry factory). */
  readonly telemetryMetrics: TelemetryMetricsStyle;
  /**
   * The component types this library may configure that the release ships
   * (its `defaults.go` registers their factories). The metrics generation
   * processor is not listed: its type is `metricsGenerationProcessor`.
   */
  readonly components: ReadonlySet<string>;
  /**
   * The type name each renamed component has in the release: its own
   * `Type` in `internal/metadata/generated_status.go` (the old name becomes
   * `DeprecatedType`, an alias the collector warns about at every start).
   */
  readonly componentTypes: Readonly<Record<RenamedComponent, string>>;
  /**
   * How the release's filter processor prefers its conditions:
   * `metrics` (`metrics.include`, `metrics.datapoint`), or from
   * contrib v0.146 the OTTL `metric_conditions` of its `config.go`, where
   * the whole `metrics` block is marked `Deprecated: use MetricConditions`.
   */
  readonly filterConditions: FilterConditionsForm;
}

/**
 * The components this library configures that were renamed within the
 * supported releases, by their type before the rename (the name the
 * configuration model uses).
 */
export type RenamedComponent = 'metricstransform' | 'resourcedetection' | 'otlphttp' | 'prometheusremotewrite';

/** Where a filter processor's metric conditions go: `metrics` (`metrics.include`, `metrics.datapoint`) or `metric_conditions`. */
export type FilterConditionsForm = 'metrics' | 'metric_conditions';

/** The type names before any rename. */
const OLD_TYPES: Readonly<Record<RenamedComponent, string>> = {
  metricstransform: 'metricstransform',
  resourcedetection: 'resourcedetection',
  otlphttp: 'otlphttp',
  prometheusremotewrite: 'prometheusremotewrite',
};

/**
 * The components this library configures that every release from v0.40.0
 * to v0.49.0 registers, patch releases included (each release's
 * `pkg/defaultcomponents/defaults.go`).
 */
const SHIPPED_BY_ALL: ReadonlySet<string> = new Set([
  'prometheus',
  'memory_limiter',
  'metricstransform',
  'resourcedetection',
  'resource',
  'attributes',
  'filter',
  'cumulativetodelta',
  'deltatorate',
  'batch',
  'awsemf',
  'prometheusremotewrite',
  'otlphttp',
  'health_check',
  'sigv4auth',
]);

// contrib <= v0.109: `experimental_metricsgeneration`; `health_check` binds
// 0.0.0.0:13133 unless the alpha gate component.UseLocalHostAsDefaultHost is
// on; the collector's own metrics are served on `address: ":8888"`.
const CONTRIB_0_102: VersionTraits = {
  contrib: 'v0.102.0',
  metricsGenerationProcessor: 'experimental_metricsgeneration',
  telemetryMetrics: { style: 'address' },
  components: SHIPPED_BY_ALL,
  componentTypes: OLD_TYPES,
  filterConditions: 'metrics',
};
const CONTRIB_0_109: VersionTraits = { ...CONTRIB_0_102, contrib: 'v0.109.0' };
// contrib >= v0.115: the processor is `metricsgeneration`; `health_check`
// defaults to localhost:13133 and the collector's own metrics to a reader on
// localhost:8888 (beta gate telemetry.UseLocalHostAsDefaultMetricsAddress),
// neither of which the kubelet or a Service can reach.
const CONTRIB_0_115: VersionTraits = {
  contrib: 'v0.115.0',
  metricsGenerationProcessor: 'metricsgeneration',
  telemetryMetrics: { style: 'readers', defaultFlags: {} },
  components: SHIPPED_BY_ALL,
  componentTypes: OLD_TYPES,
  filterConditions: 'metrics',
};
const from115 = (contrib: string): VersionTraits => ({ ...CONTRIB_0_115, contrib });
// contrib v0.130 adds without_units and without_type_suffix to the default
// reader; v0.131 adds without_scope_info.
const from130 = (contrib: string): VersionTraits => ({
  ...from115(contrib),
  telemetryMetrics: { style: 'readers', defaultFlags: { without_units: true, without_type_suffix: true } },
});
const from131 = (contrib: string): VersionTraits => ({
  ...from115(contrib),
  telemetryMetrics: {
    style: 'readers',
    defaultFlags: { without_scope_info: true, without_units: true, without_type_suffix: true },
  },
});

/** Every ADOT collector release whose component configuration has been checked. Oldest first. */
const RELEASES: ReadonlyArray<readonly [string, VersionTraits]> = [
  ['v0.40.0', CONTRIB_0_102],
  ['v0.40.1', CONTRIB_0_102],
  ['v0.40.2', CONTRIB_0_102],
  ['v0.41.0', CONTRIB_0_109],
  ['v0.41.1', CONTRIB_0_109],
  ['v0.41.2', CONTRIB_0_109],
  ['v0.42.0', CONTRIB_0_115],
  ['v0.43.0', from115('v0.117.0')],
  ['v0.43.1', from115('v0.117.0')],
  ['v0.43.2', from115('v0.117.0')],
  ['v0.43.3', from115('v0.117.0')],
  ['v0.44.0', from130('v0.130.0')],
  ['v0.45.0', from131('v0.131.0')],
  ['v0.45.1', from131('v0.131.0')],
  ['v0.46.0', from131('v0.141.0')],
  ['v0.47.0', from131('v0.143.0')],
  // contrib v0.151 (collector core v0.151): otlphttp becomes otlp_http
  // (exporter/otlphttpexporter/internal/metadata/generated_status.go); the
  // filter processor has metric_conditions (processor/filterprocessor/config.go).
  [
    'v0.48.0',
    {
      ...from131('v0.151.0'),
      componentTypes: { ...OLD_TYPES, otlphttp: 'otlp_http' },
      filterConditions: 'metric_conditions',
    },
  ],
  // contrib v0.156: metrics_transform, resource_detection and
  // prometheus_remote_write (each component's generated_status.go).
  [
    'v0.49.0',
    {
      ...from131('v0.156.0'),
      componentTypes: {
        metricstransform: 'metrics_transform',
        resourcedetection: 'resource_detection',
        otlphttp: 'otlp_http',
        prometheusremotewrite: 'prometheus_remote_write',
      },
      filterConditions: 'metric_conditions',
    },
  ],
];

const TRAITS = new Map(RELEASES);

/**
 * Every type name a supported release gives a renamed component, mapped to
 * the name the configuration model uses (`metrics_transform` to
 * `metricstransform`), for reading a configuration back.
 */
export const MODEL_COMPONENT_TYPES: ReadonlyMap<string, string> = new Map(
  RELEASES.flatMap(([, traits]) => Object.entries(traits.componentTypes).map(([model, name]) => [name, model])),
);

/** The public ECR repository AWS publishes the ADOT collector to. */
const ADOT_COLLECTOR_REPOSITORY = 'public.ecr.aws/aws-observability/aws-otel-collector';

/**
 * A released version of the AWS Distro for OpenTelemetry collector, and what
 * the collector configuration must look like for it.
 *
 * @example
 * AdotVersion.V0_49_0
 * AdotVersion.of('v0.43.3')
 */
export class AdotVersion {
  /** ADOT v0.40.0: the version the AWS reference manifest was written for. */
  public static readonly V0_40_0 = AdotVersion.of('v0.40.0');
  /** ADOT v0.41.2: the last release with `experimental_metricsgeneration`. */
  public static readonly V0_41_2 = AdotVersion.of('v0.41.2');
  /** ADOT v0.42.0: first release with `metricsgeneration`. */
  public static readonly V0_42_0 = AdotVersion.of('v0.42.0');
  /** ADOT v0.49.0 (opentelemetry-collector-contrib v0.156.0). */
  public static readonly V0_49_0 = AdotVersion.of('v0.49.0');

  /** The newest checked release, used when no version is given. */
  public static readonly DEFAULT = AdotVersion.V0_49_0;

  /** Every supported version tag, oldest first. */
  public static readonly SUPPORTED: string[] = RELEASES.map(([tag]) => tag);

  /**
   * Looks up a supported release by its tag. A leading `v` is optional.
   *
   * @param tag release tag such as `v0.49.0`
   * @param input name of the prop or environment variable the tag came from, for the error message
   * @throws ValidationError for `latest`, a malformed tag, or a release that has not been checked
   */
  public static of(tag: string, input = 'adotVersion'): AdotVersion {
    const normalized = typeof tag !== 'string' ? '' : /^\d/.test(tag) ? `v${tag}` : tag;
    const traits = TRAITS.get(normalized);
    if (!traits) {
      const why = /^v\d+\.\d+\.\d+$/.test(normalized)
        ? 'is not a release whose component configuration this library has checked'
        : 'is not a release tag "vMAJOR.MINOR.PATCH" (floating tags such as "latest" are not accepted: pin a version)';
      throw new ValidationError(
        `Invalid ${input} ${showValue(tag)}: it ${why}. Supported versions: ${RELEASES.map(([t]) => t).join(', ')}.`,
      );
    }
    return new AdotVersion(normalized, traits);
  }

  private constructor(
    /** The release tag, e.g. `v0.49.0`; also the image tag. */
    public readonly tag: string,
    private readonly traits: VersionTraits,
  ) {}

  /** opentelemetry-collector-contrib version this release is built from. */
  public get contribVersion(): string {
    return this.traits.contrib;
  }

  /**
   * Component type of the metrics generation processor in this release.
   *
   * @internal
   */
  public get _metricsGenerationProcessor(): MetricsGenerationProcessorType {
    return this.traits.metricsGenerationProcessor;
  }

  /**
   * How this release configures the endpoint for the collector's own metrics.
   *
   * @internal
   */
  public get _telemetryMetrics(): TelemetryMetricsStyle {
    return this.traits.telemetryMetrics;
  }

  /**
   * The type name a component has in this release's configuration, from
   * the name the configuration model uses (the name before any rename).
   *
   * @internal
   */
  public _componentType(type: string): string {
    return (this.traits.componentTypes as Readonly<Record<string, string>>)[type] ?? type;
  }

  /**
   * Where this release's filter processor takes its metric conditions.
   *
   * @internal
   */
  public get _filterConditions(): FilterConditionsForm {
    return this.traits.filterConditions;
  }

  /**
   * Whether this release ships a component, by the type name the
   * configuration uses (`sigv4auth`, `prometheusremotewrite`, ...).
   */
  public ships(component: string): boolean {
    return shipsComponent(this.traits, component);
  }

  /** The supported releases that ship every one of `components`, oldest first. */
  public static releasesShipping(components: string[]): string[] {
    return RELEASES.filter(([, traits]) => components.every((c) => shipsComponent(traits, c))).map(([tag]) => tag);
  }

  /** The collector image for this release on Amazon ECR Public. */
  public get image(): string {
    return `${ADOT_COLLECTOR_REPOSITORY}:${this.tag}`;
  }

  /** Compares release order: negative if this is older than `other`. */
  public compare(other: AdotVersion): number {
    return AdotVersion.SUPPORTED.indexOf(this.tag) - AdotVersion.SUPPORTED.indexOf(other.tag);
  }

  /** The release tag, e.g. `v0.49.0`. */
  public toString(): string {
    return this.tag;
  }
}

/**
 * Checks that an ADOT release ships every component a feature needs.
 *
 * @param input the prop or field that asks for the feature, for the message
 * @throws ValidationError naming the release, the missing components and the releases that ship them
 */
export function requireComponents(input: string, version: AdotVersion, components: readonly string[]): void {
  const missing = components.filter((component) => !version.ships(component));
  if (missing.length > 0) {
    throw new ValidationError(
      `Invalid ${input} for adotVersion ${version.tag}: ADOT ${version.tag} does not ship ${missing.join(', ')}; expected a release that does (${AdotVersion.releasesShipping(missing).join(', ') || 'none checked'}).`,
    );
  }
}

/**
 * Whether a release registers a component: one of its shared components, or
 * its metricsgeneration processor under the name it registers
 * (`experimental_metricsgeneration` before contrib v0.115).
 */
function shipsComponent(traits: VersionTraits, component: string): boolean {
  return traits.components.has(component) || component === traits.metricsGenerationProcessor;
}
