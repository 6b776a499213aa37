import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { resolveApplicationMetrics } from '../src/config/application-metrics';
import { PodHealthProfile } from '../src/config/catalog/pod-health-metrics';
import { MetricsDestination } from '../src/config/metrics-destination';
import { asMetricConditions, componentIdFor, ottlString } from '../src/config/release-dialect';
import { renderCollectorConfig } from '../src/config/render';
import { buildConfig, filterConditions, keptNamePatterns, loadCollectorConfig } from './support/collector';
import { PROPERTY_SEED } from './support/property';

/**
 * What each ADOT release's collector reads without a deprecation warning,
 * as each release's own sources define it: a new release is a row. Each row
 * cites the files of the aws-otel-collector tag it was read from (the
 * collector's components are vendored there, under vendor/).
 */
interface ReleaseWords {
  /** The type name of each component whose name changed, by its name before. */
  readonly types: Readonly<
    Record<'metricstransform' | 'resourcedetection' | 'otlphttp' | 'prometheusremotewrite', string>
  >;
  /** The type names the release keeps only as deprecated aliases (`DeprecatedType`). */
  readonly deprecatedTypes: readonly string[];
  /** Where the filter processor's metric conditions go without a deprecated key. */
  readonly filter: 'metrics' | 'metric_conditions';
  /**
   * Keys the release no longer has, or has deprecated, at the path where a
   * configuration of ours could write them (`*` for any component of a type).
   */
  readonly gone: readonly string[];
  /** The files each fact was read from, at the release's tag. */
  readonly sources: readonly string[];
}

const CONTRIB = 'vendor/github.com/open-telemetry/opentelemetry-collector-contrib';
const CORE = 'vendor/go.opentelemetry.io/collector';
const STATUS = (component: string) => `${component}/internal/metadata/generated_status.go`;
const OLD = {
  metricstransform: 'metricstransform',
  resourcedetection: 'resourcedetection',
  otlphttp: 'otlphttp',
  prometheusremotewrite: 'prometheusremotewrite',
} as const;

/** Keys removed or deprecated over the range (each in the release's config.go, or its absence there). */
const PROMETHEUS_START_TIME = [
  'receivers.prometheus*.use_start_time_metric',
  'receivers.prometheus*.start_time_metric_regex',
];
const REPORT_EXTRA = ['receivers.prometheus*.report_extra_scrape_metrics'];
const TELEMETRY_ADDRESS = ['service.telemetry.metrics.address'];
const EXPORT_CREATED = ['exporters.prometheusremotewrite*.export_created_metric'];
const DETECTION_ATTRIBUTES = ['processors.resourcedetection*.attributes'];

const OLD_NAMES: Omit<ReleaseWords, 'gone' | 'sources'> = { types: OLD, deprecatedTypes: [], filter: 'metrics' };
const BEFORE_V0_44 = { ...OLD_NAMES, gone: [] };
const V0_44_TO_V0_46 = { ...OLD_NAMES, gone: [...TELEMETRY_ADDRESS, ...EXPORT_CREATED] };
const V0_47 = {
  ...OLD_NAMES,
  gone: [...TELEMETRY_ADDRESS, ...EXPORT_CREATED, ...PROMETHEUS_START_TIME, ...DETECTION_ATTRIBUTES],
};
const V0_48_GONE = [...V0_47.gone, ...REPORT_EXTRA, 'processors.filter*.metrics'];
const STATUS_SOURCES = [
  `${CONTRIB}/${STATUS('processor/metricstransformprocessor')}`,
  `${CONTRIB}/${STATUS('processor/resourcedetectionprocessor')}`,
  `${CONTRIB}/${STATUS('exporter/prometheusremotewriteexporter')}`,
  `${CORE}/${STATUS('exporter/otlphttpexporter')}`,
];
const CONFIG_SOURCES = [
  `${CONTRIB}/processor/filterprocessor/config.go`,
  `${CONTRIB}/receiver/prometheusreceiver/config.go`,
  `${CONTRIB}/processor/resourcedetectionprocessor/config.go`,
  `${CONTRIB}/exporter/prometheusremotewriteexporter/config.go`,
];
const sources = [...STATUS_SOURCES, ...CONFIG_SOURCES];

const RELEASE_WORDS: Readonly<Record<string, ReleaseWords>> = {
  'v0.40.0': { ...BEFORE_V0_44, sources },
  'v0.40.1': { ...BEFORE_V0_44, sources },
  'v0.40.2': { ...BEFORE_V0_44, sources },
  'v0.41.0': { ...BEFORE_V0_44, sources },
  'v0.41.1': { ...BEFORE_V0_44, sources },
  'v0.41.2': { ...BEFORE_V0_44, sources },
  'v0.42.0': { ...BEFORE_V0_44, sources },
  'v0.43.0': { ...BEFORE_V0_44, sources },
  'v0.43.1': { ...BEFORE_V0_44, sources },
  'v0.43.2': { ...BEFORE_V0_44, sources },
  'v0.43.3': { ...BEFORE_V0_44, sources },
  'v0.44.0': { ...V0_44_TO_V0_46, sources },
  'v0.45.0': { ...V0_44_TO_V0_46, sources },
  'v0.45.1': { ...V0_44_TO_V0_46, sources },
  'v0.46.0': { ...V0_44_TO_V0_46, sources },
  'v0.47.0': { ...V0_47, sources },
  // collector core v0.151: `Type = "otlp_http"`, `DeprecatedType = "otlphttp"`;
  // filter's config.go: `// Deprecated: use MetricConditions instead.` on `Metrics`.
  'v0.48.0': {
    types: { ...OLD, otlphttp: 'otlp_http' },
    deprecatedTypes: ['otlphttp'],
    filter: 'metric_conditions',
    gone: V0_48_GONE,
    sources,
  },
  // contrib v0.156: the same for metricstransform, resourcedetection and prometheusremotewrite.
  'v0.49.0': {
    types: {
      metricstransform: 'metrics_transform',
      resourcedetection: 'resource_detection',
      otlphttp: 'otlp_http',
      prometheusremotewrite: 'prometheus_remote_write',
    },
    deprecatedTypes: ['metricstransform', 'resourcedetection', 'otlphttp', 'prometheusremotewrite'],
    filter: 'metric_conditions',
    gone: V0_48_GONE.map((key) => key.replace('resourcedetection', 'resource_detection')),
    sources,
  },
};

/** A configuration with every component this library writes: both destinations, application metrics, pod health. */
function everything(version: AdotVersion) {
  return buildConfig({
    version,
    shards: 2,
    metricsDestination: MetricsDestination.BOTH,
    applicationMetrics: resolveApplicationMetrics('applicationMetrics', {
      cloudWatch: { declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'app']] }] },
      managedPrometheus: {
        remoteWriteUrl:
          'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write',
      },
    }),
    podHealth: {
      profile: PodHealthProfile.FULL,
      target: 'kube-state-metrics.fargate-container-insights.svc:8080',
      pod: { size: '0.25 vCPU 0.5 GB', monthlyUsd: 9.01 },
    },
  });
}

/** Every key path of a configuration, with each component id's type (`processors.metricstransform/rename` → `processors.metricstransform*`). */
function keyPaths(value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const section = path.length === 1 && ['receivers', 'processors', 'exporters', 'extensions'].includes(path[0] ?? '');
    const segment = section ? `${key.split('/')[0]}*` : key;
    return [[...path, segment].join('.'), ...keyPaths(inner, [...path, segment])];
  });
}

/** The component types a configuration names, in its sections and its pipelines. */
function typesNamed(config: Record<string, any>): Set<string> {
  const ids = [
    ...['receivers', 'processors', 'exporters', 'extensions'].flatMap((section) => Object.keys(config[section] ?? {})),
    ...Object.values(config.service.pipelines as Record<string, Record<string, string[]>>).flatMap((pipeline) =>
      ['receivers', 'processors', 'exporters'].flatMap((list) => pipeline[list] ?? []),
    ),
    ...(config.service.extensions as string[]),
  ];
  return new Set(ids.map((id) => id.split('/')[0] as string));
}

describe('each release gets its own words', () => {
  test('the table has a row for every supported release, and only those', () => {
    expect(Object.keys(RELEASE_WORDS)).toStrictEqual(AdotVersion.SUPPORTED);
  });

  describe.each(AdotVersion.SUPPORTED)('ADOT %s', (tag) => {
    const version = AdotVersion.of(tag);
    const words = RELEASE_WORDS[tag] as ReleaseWords;
    const config = loadCollectorConfig(renderCollectorConfig(everything(version), version));

    test('every renamed component under the name the release gives it, and no deprecated alias', () => {
      for (const [model, name] of Object.entries(words.types)) {
        expect(componentIdFor(version, `${model}/x`), model).toBe(`${name}/x`);
      }
      const named = typesNamed(config);
      for (const name of Object.values(words.types)) {
        // Every renamed component is in the configuration with everything on.
        expect(named.has(name), name).toBe(true);
      }
      for (const alias of words.deprecatedTypes) expect(named.has(alias), alias).toBe(false);
    });

    test('the filters in the form the release prefers', () => {
      const filters = Object.entries(config.processors).filter(([id]) => id.split('/')[0] === 'filter');
      expect(filters.length).toBeGreaterThanOrEqual(3);
      for (const [id, filter] of filters) {
        expect(
          Object.keys(filter as object).filter((key) => key !== 'error_mode'),
          id,
        ).toStrictEqual([words.filter]);
      }
    });

    test('no key the release removed or deprecated', () => {
      const paths = keyPaths(config);
      for (const gone of words.gone) expect(paths, gone).not.toContain(gone);
    });
  });
});

describe('the metric_conditions form drops what the metrics form drops', () => {
  /** Names and patterns with the characters a regular expression and an OTTL string treat specially. */
  const text = fc.stringMatching(/^[a-z_.*^$\\"()|[\]{}+?-]{0,12}$/);
  const pattern = text.filter((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  });

  test('an OTTL string reads back as the text it quotes (Go unquoting, as OTTL does)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(JSON.parse(ottlString(value))).toBe(value);
      }),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  test('metrics.include: a metric is kept by one form exactly when it is kept by the other', () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 4 }),
        fc.array(text, { maxLength: 6 }),
        (patterns, names) => {
          const legacy = { metrics: { include: { match_type: 'regexp' as const, metric_names: patterns } } };
          const converted = asMetricConditions(legacy);
          const read = keptNamePatterns(converted) ?? [];
          expect(read).toStrictEqual(patterns);
          for (const name of names) {
            const keptBefore = patterns.some((p) => new RegExp(p).test(name));
            const keptAfter = read.some((p) => new RegExp(p).test(name));
            expect(keptAfter, name).toBe(keptBefore);
          }
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 150 },
    );
  });

  test('metrics.datapoint: the same conditions, in the datapoint context, with the error mode kept', () => {
    const legacy = { error_mode: 'ignore' as const, metrics: { datapoint: ['flags == FLAG_NO_RECORDED_VALUE'] } };
    expect(asMetricConditions(legacy)).toStrictEqual({
      error_mode: 'ignore',
      metric_conditions: [{ context: 'datapoint', conditions: ['flags == FLAG_NO_RECORDED_VALUE'] }],
    });
    expect(filterConditions(asMetricConditions(legacy), 'datapoint')).toStrictEqual(legacy.metrics.datapoint);
  });
});
