import type { CostLine } from '../config/pipelines/pipeline';
import {
  type ClusterBill,
  DASHBOARD_ITEM,
  fleetDashboardCost,
  PRICE_TIERS_ITEM,
  priceTiersLine,
  sumOfLines,
  WORKLOAD_ITEMS,
} from './cluster-bill';

/** A fleet's bill: its clusters' lines of each item added up, and the fleet's own overview dashboard. */

/** A usage amount for a person: whole numbers as they are, others to one decimal. */
const amountText = (amount: number): string => (Number.isInteger(amount) ? String(amount) : amount.toFixed(1));

/**
 * The lines of a fleet: the clusters' lines of each item added up (the
 * priced and the unpriced apart), the pipelines' in the order they first
 * appear, then the workloads' as a cluster's bill lists them, with how many
 * clusters have each and what they use in all; with the clusters'
 * dashboards, the fleet's overview of them after them (the fleet writes it
 * with the prerequisites).
 */
export function fleetLines(bills: readonly ClusterBill[]): CostLine[] {
  const items = new Map<string, CostLine[]>();
  // Each cluster's tiers line gives way to its account's.
  for (const line of bills.flatMap((bill) => bill.lines.filter((l) => l.item !== PRICE_TIERS_ITEM))) {
    const key = `${line.item}\n${line.notPriced ?? ''}`;
    items.set(key, [...(items.get(key) ?? []), line]);
  }
  const order: readonly string[] = Object.values(WORKLOAD_ITEMS);
  const rank = (lines: readonly CostLine[]) => order.indexOf(lines[0]?.item ?? '');
  const groups = [...items.values()].sort((a, b) => rank(a) - rank(b));
  const accounts = [...new Set(bills.map((bill) => bill.account ?? ''))].sort();
  const tiers = accounts.flatMap((account) => {
    const of = bills.filter((bill) => (bill.account ?? '') === account);
    const where =
      account === ''
        ? `in the ${of.length} cluster(s) of no known account`
        : `in account ${account} (${of.length} cluster(s))`;
    const line = priceTiersLine(
      of.flatMap((bill) => bill.lines),
      where,
    );
    return line === undefined ? [] : [line];
  });
  const pipelineCount = groups.filter((lines) => rank(lines) < 0).length;
  const withTiers = [...groups.slice(0, pipelineCount), ...tiers.map((line) => [line]), ...groups.slice(pipelineCount)];
  const lines = withTiers.map((lines): CostLine => {
    if (lines[0]?.item === PRICE_TIERS_ITEM) return lines[0];
    const [first] = lines as [CostLine, ...CostLine[]];
    const used = lines.every((line) => line.usage?.unit === first.usage?.unit) ? first.usage : undefined;
    const amount = lines.reduce((total, line) => total + (line.usage?.amount ?? 0), 0);
    const clusters = `${lines.length} of ${bills.length} cluster(s)`;
    return {
      item: first.item,
      monthlyUsd: sumOfLines(lines),
      basis: used === undefined ? clusters : `${clusters}, ${amountText(amount)} ${used.unit} in all`,
      ...(first.notPriced === undefined ? {} : { notPriced: first.notPriced }),
      ...(used === undefined ? {} : { usage: { amount, unit: used.unit } }),
    };
  });
  const dashboards = lines.findIndex((line) => line.item === DASHBOARD_ITEM);
  if (dashboards !== -1) lines.splice(dashboards + 1, 0, fleetDashboardCost());
  return lines;
}
