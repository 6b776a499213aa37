import type { AdotVersion } from '../../src/config/adot-version';
import type { MetricDeclaration } from '../../src/config/components/awsemf-exporter';
import type { MetricsGenerationProcessorConfig } from '../../src/config/components/metricsgeneration-processor';
import type {
  MetricsTransform,
  MetricsTransformProcessorConfig,
} from '../../src/config/components/metricstransform-processor';
import type { RelabelConfig } from '../../src/config/components/prometheus-receiver';
import type { CollectorConfig } from '../../src/config/config-model';
import { inReleaseWords } from '../../src/config/release-dialect';
import { type AnyFilter, componentType, filterConditions, keptNamePatterns } from './collector';
import { generate } from './metrics-generation-model';
import { relabel } from './relabel';

/**
 * A model of what the collector does with one target's scrapes, for the
 * subset of each component's behaviour our configuration uses. Each step
 * follows the component's source at the ADOT releases we target
 * (opentelemetry-collector-contrib, vendored in aws-otel-collector):
 *
 * - prometheus receiver: a sample keeps the timestamp the target wrote beside
 *   it unless the job sets `honor_timestamps: false`; a series without one
 *   that was served at the previous scrape and is gone gets a staleness
 *   marker, a data point flagged `NoRecordedValue` without a value, appended
 *   after the live points of its family (Prometheus tracks no staleness for
 *   samples with timestamps of their own); the families leave the receiver
 *   in Go map order, which the model draws from `order`;
 * - metricstransform: `processMetrics` in metrics_transform_processor_otlp.go
 *   (insert copies the matching data points, a missing label matches as "";
 *   `aggregate_labels` and `combine` group data points by their attributes
 *   and timestamp, and, for delta sums, start time; each group's first data
 *   point becomes the result and keeps its flags, the others' values are
 *   folded in, a value-less one as 0, and a group whose first point has no
 *   value stays without one (`aggregateutil.mergeNumberDataPoints`); the
 *   groups leave in Go map order, drawn from `order`);
 * - filter: regexp include on names; OTTL `datapoint` conditions of the two
 *   forms we emit (`metric.name == "x" and value_double <= n`, where a point
 *   without a value reads 0, and `flags == FLAG_NO_RECORDED_VALUE`);
 * - cumulativetodelta: a point without a value is dropped; the first point
 *   of a series is dropped, later ones become value - previous, starting at
 *   the previous point's time (a decrease, a reset, is dropped too);
 *   deltatorate: a delta divided by the seconds it spans;
 * - metricsgeneration: the name map is taken when the processor starts;
 *   operand 2 is metric2's first data point (0 without a value) and a rule is
 *   skipped when it is 0 (v0.40: at or below 0); a new point copies its
 *   operand 1 point, flags included;
 * - awsemf: drops points flagged `NoRecordedValue` and NaN or infinite ones
 *   (`IsStaleNaNInf`); unanchored `metric_name_selectors`, `label_matchers`
 *   (the labels' values joined with `;`, matched unanchored), and a
 *   dimension set is sent only if the data point carries every dimension of it.
 *
 * It is a model, not the collector: it checks that the configuration we
 * generate computes what we say, under the semantics read from that source.
 */

/** One series as a target exposes it. */
export interface Series {
  readonly family: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** The timestamp written beside the sample, in milliseconds (cAdvisor writes one); absent: none. */
  readonly timestamp?: number;
}

/** A data point inside the pipeline. */
export interface Point {
  attrs: Record<string, string>;
  /** Its value; 0 when it has none (`stale`), as the components read it. */
  value: number;
  /** Flagged `NoRecordedValue`: a staleness marker, or a point that took one's flags. */
  stale: boolean;
  /** Its timestamp, in milliseconds. */
  time: number;
  /** For a delta: the start of the interval it covers, in milliseconds. */
  start?: number;
}

/** A metric inside the pipeline. */
export interface Metric {
  name: string;
  points: Point[];
}

/** A value CloudWatch receives: metric, dimension values and value. */
export interface EmittedValue {
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The order in which a Go map hands out its entries: any permutation. */
export type MapOrder = <T>(items: readonly T[]) => T[];

/** The entries in the order they were added. */
export const INSERTION_ORDER: MapOrder = (items) => [...items];

/** A seeded random permutation for every map walk, as the Go runtime randomizes them: repeatable per seed. */
export function seededOrder(seed: number): MapOrder {
  let state = seed >>> 0;
  // mulberry32: a small PRNG, plenty for shuffling.
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return (items) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
    }
    return out;
  };
}

const key = (attrs: Record<string, string>): string =>
  JSON.stringify(Object.entries(attrs).sort(([a], [b]) => a.localeCompare(b)));

const seriesKey = (family: string, labels: Readonly<Record<string, string>>): string =>
  `${family}${key({ ...labels })}`;

function matchesLabels(point: Point, matchers: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(matchers ?? {}).every(([label, regex]) => new RegExp(regex).test(point.attrs[label] ?? ''));
}

function nameMatches(t: MetricsTransform, name: string): boolean {
  return t.match_type === 'strict' ? name === t.include : new RegExp(t.include).test(name);
}

export const copy = (p: Point): Point => ({ ...p, attrs: { ...p.attrs } });

/** What the pipeline's receiver scrapes with. */
interface ReceiverJob {
  readonly honor_timestamps?: boolean;
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

/** Which pipeline of a configuration the model runs, and which awsemf exporter receives it. */
export interface ModelledPipeline {
  /** The pipeline's id. */
  readonly pipeline: string;
  /** The id of its awsemf exporter. */
  readonly exporter: string;
}

/** The Container Insights pipeline of the EMF path. */
export const CONTAINER_INSIGHTS_PIPELINE: ModelledPipeline = { pipeline: 'metrics', exporter: 'awsemf' };

/** The pod health pipeline of the EMF path. */
export const POD_HEALTH_PIPELINE_MODEL: ModelledPipeline = {
  pipeline: 'metrics/pod_health',
  exporter: 'awsemf/pod_health',
};

/** The application metrics pipeline to CloudWatch. */
export const APPLICATION_PIPELINE_MODEL: ModelledPipeline = {
  pipeline: 'metrics/application_cloudwatch',
  exporter: 'awsemf/application',
};

/** The resource attribute awsemf also reads for each placeholder of a log group or stream name. */
const PATTERN_ATTRIBUTES: Readonly<Record<string, string>> = {
  ClusterName: 'aws.ecs.cluster.name',
  TaskId: 'aws.ecs.task.id',
  NodeName: 'k8s.node.name',
  PodName: 'pod',
  ServiceName: 'service.name',
  ContainerInstanceId: 'aws.ecs.container.instance.id',
  TaskDefinitionFamily: 'aws.ecs.task.family',
};

/** Runs scrapes of one target through one configured pipeline; returns what its awsemf exporter sends from the last. */
export class PipelineModel {
  /** cumulativetodelta's memory: each series' previous value and time. */
  private readonly previous = new Map<string, { readonly value: number; readonly time: number }>();
  /** The series of the previous scrape that the receiver tracks for staleness. */
  private tracked = new Map<string, Series>();
  /** The time of the next scrape, in milliseconds. */
  private now: number | undefined;

  public constructor(
    private readonly config: CollectorConfig,
    private readonly resource: Readonly<Record<string, string>>,
    private readonly modelled: ModelledPipeline = CONTAINER_INSIGHTS_PIPELINE,
    private readonly order: MapOrder = INSERTION_ORDER,
  ) {}

  private get exporter(): {
    readonly log_stream_name: string;
    readonly metric_declarations: readonly MetricDeclaration[];
  } {
    const exporters = this.config.exporters as Readonly<Record<string, unknown>>;
    const exporter = exporters[this.modelled.exporter];
    if (exporter === undefined) throw new Error(`the configuration has no exporter ${this.modelled.exporter}`);
    return exporter as { log_stream_name: string; metric_declarations: readonly MetricDeclaration[] };
  }

  private get pipeline(): { readonly receivers: readonly string[]; readonly processors: readonly string[] } {
    const pipelines = this.config.service.pipelines as Readonly<
      Record<string, { receivers: readonly string[]; processors: readonly string[] }>
    >;
    const pipeline = pipelines[this.modelled.pipeline];
    if (pipeline === undefined) throw new Error(`the configuration has no pipeline ${this.modelled.pipeline}`);
    return pipeline;
  }

  /** The scrape job of the pipeline's (first) receiver. */
  private get job(): ReceiverJob {
    const receivers = this.config.receivers as Readonly<
      Record<string, { config: { scrape_configs: readonly ReceiverJob[] } }>
    >;
    const receiver = receivers[this.pipeline.receivers[0] ?? ''];
    return receiver?.config.scrape_configs[0] ?? {};
  }

  /** The prometheus receiver: one scrape's metrics, staleness markers included, in Go map order. */
  private receive(series: readonly Series[], nodeLabels: Readonly<Record<string, string>>, now: number): Metric[] {
    const honor = this.job.honor_timestamps ?? true;
    const families = new Map<string, Metric>();
    const add = (s: Series, stale: boolean) => {
      const metric = families.get(s.family) ?? { name: s.family, points: [] };
      // Prometheus drops empty labels; the node's labels come from the labelmap rule.
      const labels = Object.fromEntries(Object.entries({ ...nodeLabels, ...s.labels }).filter(([, v]) => v !== ''));
      // The job's metric_relabel_configs, on the series' labels and its name.
      const relabelled = relabel({ ...labels, __name__: s.family }, this.job.metric_relabel_configs ?? []);
      if (relabelled === undefined) return;
      delete relabelled.__name__;
      for (const name of Object.keys(labels)) if (!(name in relabelled)) delete labels[name];
      Object.assign(labels, relabelled);
      const time = honor && s.timestamp !== undefined && !stale ? s.timestamp : now;
      metric.points.push({ attrs: labels, value: stale ? 0 : s.value, stale, time });
      families.set(s.family, metric);
    };
    const tracked = new Map<string, Series>();
    for (const s of series) {
      add(s, false);
      if (!honor || s.timestamp === undefined) tracked.set(seriesKey(s.family, s.labels), s);
    }
    // Staleness markers, after the scrape's samples, for the tracked series that are gone.
    for (const [id, s] of this.tracked) if (!tracked.has(id)) add(s, true);
    this.tracked = tracked;
    return this.order([...families.values()]);
  }

  /** Groups data points as aggregateutil does, merges each group, and hands the groups out in map order. */
  private aggregate(points: readonly Point[], how: 'sum' | 'max'): Point[] {
    const groups = new Map<string, Point[]>();
    for (const point of points) {
      const id = `${key(point.attrs)}@${point.time}/${point.start ?? ''}`;
      groups.set(id, [...(groups.get(id) ?? []), point]);
    }
    return this.order([...groups.values()]).map((group) => {
      const [first, ...rest] = group as [Point, ...Point[]];
      const merged = copy(first);
      // A first point without a value: mergeNumberDataPoints folds nothing into it.
      if (first.stale) return merged;
      for (const p of rest) {
        merged.value = how === 'sum' ? merged.value + p.value : Math.max(merged.value, p.value);
        if (p.start !== undefined && merged.start !== undefined) merged.start = Math.min(merged.start, p.start);
      }
      return merged;
    });
  }

  private metricsTransform(metrics: Metric[], config: MetricsTransformProcessorConfig): Metric[] {
    let out = metrics;
    for (const t of config.transforms) {
      if (t.action === 'insert') {
        for (const metric of [...out]) {
          if (!nameMatches(t, metric.name)) continue;
          const points = metric.points.filter((p) => matchesLabels(p, t.experimental_match_labels));
          if (points.length === 0) continue;
          out.push({ name: t.new_name ?? metric.name, points: points.map(copy) });
        }
      } else if (t.action === 'combine') {
        const matched = out.filter((m) => nameMatches(t, m.name));
        if (matched.length === 0) continue;
        // canBeCombined: the same attribute keys on every metric, or the collector logs a warning and skips.
        const keys = new Set(
          matched.map((m) => [...new Set(m.points.flatMap((p) => Object.keys(p.attrs)))].sort().join(',')),
        );
        if (keys.size > 1) continue;
        out = out.filter((m) => !matched.includes(m));
        out.push({
          name: t.new_name ?? '',
          points: this.aggregate(
            matched.flatMap((m) => m.points),
            t.aggregation_type ?? 'max',
          ),
        });
      } else {
        for (const metric of out) {
          if (!nameMatches(t, metric.name)) continue;
          if (t.new_name) {
            metric.name =
              t.match_type === 'strict' ? t.new_name : metric.name.replace(new RegExp(t.include), t.new_name);
          }
          for (const op of t.operations ?? []) {
            if (op.action === 'update_label') {
              for (const p of metric.points) {
                if (op.label in p.attrs) {
                  p.attrs[op.new_label] = p.attrs[op.label] as string;
                  delete p.attrs[op.label];
                }
              }
            } else if (op.action === 'add_label') {
              for (const p of metric.points) p.attrs[op.new_label] = op.new_value;
            } else {
              const kept = metric.points.map((p) => ({
                ...p,
                attrs: Object.fromEntries(Object.entries(p.attrs).filter(([label]) => op.label_set.includes(label))),
              }));
              metric.points = this.aggregate(kept, op.aggregation_type);
            }
          }
        }
      }
    }
    return out;
  }

  /** Processes one scrape taken `seconds` after the previous one; returns the metrics after the pipeline. */
  public scrape(series: readonly Series[], nodeLabels: Readonly<Record<string, string>>, seconds = 60): Metric[] {
    this.now = this.now === undefined ? 0 : this.now + seconds * 1000;
    let metrics = this.receive(series, nodeLabels, this.now);
    for (const id of this.pipeline.processors) {
      const processor = this.config.processors[id];
      const type = componentType(id);
      if (type === 'metricstransform') {
        metrics = this.metricsTransform(metrics, processor as MetricsTransformProcessorConfig);
      } else if (type === 'filter' && keptNamePatterns(processor as AnyFilter) !== undefined) {
        // filterset's regexp and OTTL's IsMatch both match unanchored (Go's MatchString).
        const patterns = keptNamePatterns(processor as AnyFilter) ?? [];
        metrics = metrics.filter((m) => patterns.some((p) => new RegExp(p).test(m.name)));
      } else if (type === 'filter') {
        for (const condition of filterConditions(processor as AnyFilter, 'datapoint')) {
          if (condition === 'flags == FLAG_NO_RECORDED_VALUE') {
            for (const m of metrics) m.points = m.points.filter((p) => !p.stale);
            continue;
          }
          const match = /^metric\.name == "(.+)" and value_double <= (\d+)$/.exec(condition);
          if (!match) throw new Error(`the model does not read the condition ${condition}`);
          for (const m of metrics.filter((m) => m.name === match[1])) {
            m.points = m.points.filter((p) => p.value > Number(match[2]));
          }
        }
        metrics = metrics.filter((m) => m.points.length > 0);
      } else if (type === 'cumulativetodelta') {
        const names = new Set((processor as unknown as { include: { metrics: string[] } }).include.metrics);
        for (const m of metrics.filter((m) => names.has(m.name))) {
          m.points = m.points.flatMap((p) => {
            if (p.stale) return [];
            const id = `${m.name}${key(p.attrs)}`;
            const before = this.previous.get(id);
            this.previous.set(id, { value: p.value, time: p.time });
            return before === undefined || p.value < before.value
              ? []
              : [{ ...p, value: p.value - before.value, start: before.time }];
          });
        }
        metrics = metrics.filter((m) => m.points.length > 0);
      } else if (type === 'deltatorate') {
        const names = new Set((processor as unknown as { metrics: string[] }).metrics);
        for (const m of metrics.filter((m) => names.has(m.name))) {
          m.points = m.points.map(({ start, ...p }) => {
            if (start === undefined || p.time <= start) throw new Error(`deltatorate: ${m.name} is not a delta`);
            return { ...p, value: p.value / ((p.time - start) / 1000) };
          });
        }
      } else if (id.includes('metricsgeneration')) {
        metrics = generate(
          metrics,
          processor as MetricsGenerationProcessorConfig,
          id.startsWith('experimental_metricsgeneration'),
        );
      }
    }
    return metrics;
  }

  /**
   * The log stream of each data point sent, as awsemf names it: the
   * placeholders of `log_stream_name` filled in from the resource attributes
   * or, where one is missing there, from the data point's labels;
   * `undefined` where neither has it (`replacePatterns` and
   * `addToGroupedMetric`, identical at the ADOT releases we target).
   */
  public logStreams(metrics: readonly Metric[]): Array<{ readonly metric: string; readonly stream: string }> {
    const template = this.exporter.log_stream_name;
    const fill = (attrs: Readonly<Record<string, string>>) =>
      template.replace(/\{(\w+)\}/g, (_, key: string) => {
        const value = attrs[key] ?? attrs[PATTERN_ATTRIBUTES[key] ?? ''];
        return value === undefined || value === '' ? 'undefined' : value;
      });
    return metrics.flatMap((metric) =>
      metric.points.filter(sendable).map((point) => {
        const fromResource = fill(this.resource);
        const stream = fromResource.includes('undefined') ? fill({ ...this.resource, ...point.attrs }) : fromResource;
        return { metric: metric.name, stream };
      }),
    );
  }

  /** What awsemf turns into CloudWatch metrics, from the metrics of a scrape. */
  public emitted(metrics: readonly Metric[]): EmittedValue[] {
    const out: EmittedValue[] = [];
    for (const declaration of this.exporter.metric_declarations) {
      for (const metric of metrics) {
        if (!declaration.metric_name_selectors.some((s) => new RegExp(s).test(metric.name))) continue;
        for (const point of metric.points.filter(sendable)) {
          const attrs: Record<string, string> = { ...this.resource, ...point.attrs };
          const matched = (declaration.label_matchers ?? []).every((m) =>
            new RegExp(m.regex).test(m.label_names.map((label) => attrs[label] ?? '').join(';')),
          );
          if (!matched) continue;
          for (const set of declaration.dimensions) {
            if (!set.every((d) => d in attrs)) continue;
            out.push({
              metric: metric.name,
              dimensions: Object.fromEntries(set.map((d) => [d, attrs[d] as string])),
              value: point.value,
            });
          }
        }
      }
    }
    return out;
  }
}

/**
 * The configuration as `version`'s collector reads it (its component names
 * and filter form), for the model: it reads both forms, as the collector's
 * aliases do, so a test can run the words each release is given.
 */
export function asCollectorReads(config: CollectorConfig, version: AdotVersion): CollectorConfig {
  return inReleaseWords(config, version) as unknown as CollectorConfig;
}

/** The value sent for a metric with exactly these dimensions; undefined when none, an error when several. */
export function sent(
  emitted: readonly EmittedValue[],
  metric: string,
  dimensions: Record<string, string>,
): number | undefined {
  const wanted = JSON.stringify(Object.entries(dimensions).sort());
  const found = emitted.filter(
    (e) => e.metric === metric && JSON.stringify(Object.entries(e.dimensions).sort()) === wanted,
  );
  if (found.length > 1) throw new Error(`${metric} ${wanted} sent ${found.length} times`);
  return found[0]?.value;
}

/**
 * Every value sent for a metric with exactly these dimensions: the values
 * CloudWatch aggregates into one metric (its Sum, Maximum, Average), as the
 * pods of one workload send theirs.
 */
export function sentAll(
  emitted: readonly EmittedValue[],
  metric: string,
  dimensions: Record<string, string>,
): number[] {
  const wanted = JSON.stringify(Object.entries(dimensions).sort());
  return emitted
    .filter((e) => e.metric === metric && JSON.stringify(Object.entries(e.dimensions).sort()) === wanted)
    .map((e) => e.value);
}

/** awsemf's `IsStaleNaNInf`, negated: a point it sends. */
function sendable(point: Point): boolean {
  return !point.stale && Number.isFinite(point.value);
}
