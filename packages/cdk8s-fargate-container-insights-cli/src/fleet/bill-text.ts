import type { CollectorSizing } from 'cdk8s-fargate-container-insights';
import { type CostLine, MAX_NODES_PER_REPLICA, sumOfLines } from 'cdk8s-fargate-container-insights/internal';

/** Bills as a person reads them: the priced lines in a column, and the advice that goes with them. */

/** The advice to add replicas when the expected pods call for more than the collector has. */
export function replicasAdvice(sizing: CollectorSizing, replicasSetting: string): string | undefined {
  return sizing.recommendedReplicas > sizing.input.replicas
    ? `Above ${MAX_NODES_PER_REPLICA} pods per replica: set ${replicasSetting} to ${sizing.recommendedReplicas}.`
    : undefined;
}

const usd = (amount: number): string => `$${amount.toFixed(2)}`;

/**
 * A bill for a person: the title, one line per item with its price in a
 * column (`-` when not priced) and how it was counted, and the total.
 */
export function formatBill(title: string, lines: readonly CostLine[]): string[] {
  const amounts = lines.map((line) => (line.notPriced === undefined ? usd(line.monthlyUsd) : '-'));
  const total = usd(sumOfLines(lines));
  const width = Math.max(total.length, ...amounts.map((amount) => amount.length));
  const unpriced = lines.some((line) => line.notPriced !== undefined);
  return [
    title,
    ...lines.map((line, index) => {
      const why = line.notPriced === undefined ? '' : `; not priced: ${line.notPriced}`;
      const note = line.note === undefined ? '' : `. ${line.note[0]?.toUpperCase()}${line.note.slice(1)}`;
      return `  ${(amounts[index] ?? '').padStart(width)}  ${line.item}: ${line.basis}${why}${note}.`;
    }),
    `  ${total.padStart(width)}  in all${unpriced ? ', besides what is not priced' : ''}.`,
  ];
}
