import type { MetricDeclaration } from '../../src/config/components/awsemf-exporter';
import type {
  FilterConditionsProcessorConfig,
  FilterProcessorConfig,
} from '../../src/config/components/filter-processor';
import type { MetricsGenerationProcessorConfig } from '../../src/config/components/metricsgeneration-processor';
import type {
  MetricsTransform,
  MetricsTransformProcessorConfig,
} from '../../src/config/components/metricstransform-processor';
import type { CollectorConfig } from '../../src/config/config-model';

/**
 * A model of what the collector does with one Fargate node's cAdvisor scrape,
 * for the subset of each component's behaviour our configuration uses. Each
 * step follows the component's source at the ADOT releases we target
 * (opentelemetry-collector-contrib, vendored in aws-otel-collector):
 *
 * - metricstransform: `processMetrics` in metrics_transform_processor_otlp.go
 *   (insert copies the matching data points, a missing label matches as "";
 *   update/aggregate_labels in operation_aggregate_labels.go; combine merges
 *   equal label sets with its aggregation);
 * - filter: regexp include on names; OTTL `datapoint` conditions of the one
 *   form we emit (`metric.name == "x" and value_double <= n`);
 * - cumulativetodelta: the first point of a series is dropped, later ones
 *   become value - previous (a decrease, a reset, is dropped too);
 *   deltatorate: a delta divided by the seconds between the two scrapes;
 * - metricsgeneration: the name map is taken when the processor starts;
 *   operand 2 is metric2's first data point and a rule is skipped when it is 0
 *   (v0.40: at or below 0);
 * - awsemf: unanchored `metric_name_selectors`, `label_matchers` (the
 *   labels' values joined with `;`, matched unanchored), and a dimension set
 *   is sent only if the data point carries every dimension of it.
 *
 * It is a model, not the collector: it checks that the configuration we
 * generate computes what we say, under the semantics read from that source.
 */

/** One cAdvisor series as the kubelet exposes it. */
export interface Series {
  readonly family: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Point {
  attrs: Record<string, string>;
  value: number;
}

interface Metric {
  name: string;
  points: Point[];
}

/** A value CloudWatch receives: metric, dimension values and value. */
export interface EmittedValue {
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

const key = (attrs: Record<string, string>): string =>
  JSON.stringify(Object.entries(attrs).sort(([a], [b]) => a.localeCompare(b)));

function matchesLabels(point: Point, matchers: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(matchers ?? {}).every(([label, regex]) => new RegExp(regex).test(point.attrs[label] ?? ''));
}

function nameMatches(t: MetricsTransform, name: string): boolean {
  return t.match_type === 'strict' ? name === t.include : new RegExp(t.include).test(name);
}

function aggregate(points: readonly Point[], how: 'sum' | 'max'): Point[] {
  const groups = new Map<string, Point>();
  for (const point of points) {
    const group = groups.get(key(point.attrs));
    if (!group) groups.set(key(point.attrs), { attrs: { ...point.attrs }, value: point.value });
    else group.value = how === 'sum' ? group.value + point.value : Math.max(group.value, point.value);
  }
  return [...groups.values()];
}

function metricsTransform(metrics: Metric[], config: MetricsTransformProcessorConfig): Metric[] {
  let out = metrics;
  for (const t of config.transforms) {
    if (t.action === 'insert') {
      for (const metric of [...out]) {
        if (!nameMatches(t, metric.name)) continue;
        const points = metric.points.filter((p) => matchesLabels(p, t.experimental_match_labels));
        if (points.length === 0) continue;
        out.push({ name: t.new_name ?? metric.name, points: points.map((p) => ({ ...p, attrs: { ...p.attrs } })) });
      }
    } else if (t.action === 'combine') {
      const matched = out.filter((m) => nameMatches(t, m.name));
      if (matched.length === 0) continue;
      // canBeCombined: the same attribute keys on every metric, or the collector logs a warning and skips.
      const keys = new Set(
        matched.map((m) =>
          Object.keys(m.points[0]?.attrs ?? {})
            .sort()
            .join(','),
        ),
      );
      if (keys.size > 1) continue;
      out = out.filter((m) => !matched.includes(m));
      out.push({
        name: t.new_name ?? '',
        points: aggregate(
          matched.flatMap((m) => m.points),
          t.aggregation_type ?? 'max',
        ),
      });
    } else {
      for (const metric of out) {
        if (!nameMatches(t, metric.name)) continue;
        if (t.new_name) {
          metric.name = t.match_type === 'strict' ? t.new_name : metric.name.replace(new RegExp(t.include), t.new_name);
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
              value: p.value,
              attrs: Object.fromEntries(Object.entries(p.attrs).filter(([label]) => op.label_set.includes(label))),
            }));
            metric.points = aggregate(kept, op.aggregation_type);
          }
        }
      }
    }
  }
  return out;
}

function generate(metrics: Metric[], config: MetricsGenerationProcessorConfig, legacy: boolean): Metric[] {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const out = [...metrics];
  for (const rule of config.rules) {
    const first = byName.get(rule.metric1);
    if (!first) continue;
    let operand2: number;
    if (rule.type === 'calculate') {
      const second = byName.get(rule.metric2);
      if (!second) continue;
      operand2 = second.points[0]?.value ?? 0;
      if (legacy ? operand2 <= 0 : operand2 === 0) continue;
    } else {
      operand2 = rule.scale_by;
    }
    const calc = (a: number): number => {
      switch (rule.operation) {
        case 'add':
          return a + operand2;
        case 'subtract':
          return a - operand2;
        case 'multiply':
          return a * operand2;
        case 'divide':
          return a / operand2;
        default:
          return (a / operand2) * 100;
      }
    };
    for (const metric of out.filter((m) => m.name === rule.metric1)) {
      out.push({
        name: rule.name,
        points: metric.points.map((p) => ({ attrs: { ...p.attrs }, value: calc(p.value) })),
      });
    }
  }
  return out;
}

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

/** Runs scrapes of one target through one configured pipeline; returns what its awsemf exporter sends from the last. */
export class PipelineModel {
  private readonly previous = new Map<string, number>();

  public constructor(
    private readonly config: CollectorConfig,
    private readonly resource: Readonly<Record<string, string>>,
    private readonly modelled: ModelledPipeline = CONTAINER_INSIGHTS_PIPELINE,
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

  /** Processes one scrape taken `seconds` after the previous one; returns the metrics after the pipeline. */
  public scrape(series: readonly Series[], nodeLabels: Readonly<Record<string, string>>, seconds = 60): Metric[] {
    const families = new Map<string, Metric>();
    for (const s of series) {
      const metric = families.get(s.family) ?? { name: s.family, points: [] };
      // Prometheus drops empty labels; the node's labels come from the labelmap rule.
      const labels = Object.fromEntries(Object.entries({ ...nodeLabels, ...s.labels }).filter(([, v]) => v !== ''));
      metric.points.push({ attrs: labels, value: s.value });
      families.set(s.family, metric);
    }
    let metrics = [...families.values()];
    const pipelines = this.config.service.pipelines as Readonly<Record<string, { processors: readonly string[] }>>;
    const pipeline = pipelines[this.modelled.pipeline];
    if (pipeline === undefined) throw new Error(`the configuration has no pipeline ${this.modelled.pipeline}`);
    for (const id of pipeline.processors) {
      const processor = this.config.processors[id];
      if (id.startsWith('metricstransform')) {
        metrics = metricsTransform(metrics, processor as MetricsTransformProcessorConfig);
      } else if (id.startsWith('filter') && 'include' in (processor as FilterProcessorConfig).metrics) {
        const patterns = (processor as FilterProcessorConfig).metrics.include.metric_names;
        metrics = metrics.filter((m) => patterns.some((p) => new RegExp(`^(?:${p})$`).test(m.name)));
      } else if (id.startsWith('filter')) {
        for (const condition of (processor as FilterConditionsProcessorConfig).metrics.datapoint) {
          const match = /^metric\.name == "(.+)" and value_double <= (\d+)$/.exec(condition);
          if (!match) throw new Error(`the model does not read the condition ${condition}`);
          for (const m of metrics.filter((m) => m.name === match[1])) {
            m.points = m.points.filter((p) => p.value > Number(match[2]));
          }
        }
        metrics = metrics.filter((m) => m.points.length > 0);
      } else if (id.startsWith('cumulativetodelta')) {
        const names = new Set((processor as unknown as { include: { metrics: string[] } }).include.metrics);
        for (const m of metrics.filter((m) => names.has(m.name))) {
          m.points = m.points.flatMap((p) => {
            const id = `${m.name}${key(p.attrs)}`;
            const before = this.previous.get(id);
            this.previous.set(id, p.value);
            return before === undefined || p.value < before ? [] : [{ ...p, value: p.value - before }];
          });
        }
        metrics = metrics.filter((m) => m.points.length > 0);
      } else if (id.startsWith('deltatorate')) {
        const names = new Set((processor as unknown as { metrics: string[] }).metrics);
        for (const m of metrics.filter((m) => names.has(m.name))) {
          m.points = m.points.map((p) => ({ ...p, value: p.value / seconds }));
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
   * The log stream of each data point, as awsemf names it: the placeholders
   * of `log_stream_name` filled in from the resource attributes or, where one
   * is missing there, from the data point's labels; `undefined` where neither
   * has it (`replacePatterns` and `addToGroupedMetric`, identical at the ADOT
   * releases we target).
   */
  public logStreams(metrics: readonly Metric[]): Array<{ readonly metric: string; readonly stream: string }> {
    const template = this.exporter.log_stream_name;
    const fill = (attrs: Readonly<Record<string, string>>) =>
      template.replace(/\{(\w+)\}/g, (_, key: string) => {
        const value = attrs[key] ?? attrs[PATTERN_ATTRIBUTES[key] ?? ''];
        return value === undefined || value === '' ? 'undefined' : value;
      });
    return metrics.flatMap((metric) =>
      metric.points.map((point) => {
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
        for (const point of metric.points) {
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
