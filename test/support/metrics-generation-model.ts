import type { MetricsGenerationProcessorConfig } from '../../src/config/components/metricsgeneration-processor';
import { copy, type Metric } from './pipeline-model';

/**
 * The metricsgeneration processor, as the pipeline model runs it: for each
 * rule, a new metric from `metric1` and `metric2` (or a scale), skipped when
 * an operand is missing or the divisor zero (at or below zero in the legacy
 * releases), its points copying `metric1`'s flags.
 */
export function generate(metrics: Metric[], config: MetricsGenerationProcessorConfig, legacy: boolean): Metric[] {
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
        points: metric.points.map((p) => ({ ...copy(p), value: calc(p.value) })),
      });
    }
  }
  return out;
}
