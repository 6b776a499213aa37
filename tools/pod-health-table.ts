import {
  type KsmSource,
  POD_HEALTH_LEVELS,
  POD_HEALTH_METRICS,
  type PodHealthComputation,
  PodHealthProfile,
} from '../src/config/catalog/pod-health-metrics';

/**
 * The metric table of docs/pod-health.md, from the catalog: each metric's
 * dimension sets (the cluster profile's marked), unit, source series and
 * formula. The docs test checks that the guide holds exactly these rows.
 */

/** A source as PromQL would select it: `family{label=~"regex"}`, an exact match written as `=`. */
function selector(source: KsmSource): string {
  const labels = Object.entries(source.labels ?? {}).map(([label, regex]) => {
    const exact = /^\^([A-Za-z]+)\$$/.exec(regex);
    // A pipe in a table cell, code span or not, is written \| on GitHub.
    const alternatives = regex
      .replace(/^\^\(\?:/, '')
      .replace(/\)\$$/, '')
      .replaceAll('|', '\\|');
    return exact ? `${label}="${exact[1]}"` : `${label}=~"${alternatives}"`;
  });
  return `\`${source.family}${labels.length === 0 ? '' : `{${labels.join(',')}}`}\``;
}

/** The dimension set of a computation, with `*` when the cluster profile sends it too. */
function dimensionSet(c: PodHealthComputation): string {
  const set = `[${POD_HEALTH_LEVELS[c.level].dimensions.join(', ')}]`;
  return c.profiles.includes(PodHealthProfile.CLUSTER) ? `${set}\\*` : set;
}

/** The rows of the table, one per metric, in catalog order. */
export function podHealthTableRows(): string[] {
  return POD_HEALTH_METRICS.map((metric) => {
    const sets = [...new Set(metric.computations.map(dimensionSet))].join(' ');
    const sources = [...new Set(metric.computations.map((c) => selector(c.source)))].join(', ');
    const distinct = metric.computations.some((c) => c.source.distinctBy !== undefined);
    const levels = [...new Set(metric.computations.map((c) => POD_HEALTH_LEVELS[c.level].per))].join(', ');
    const formula = metric.counter
      ? `increase since the previous scrape, summed per ${levels}`
      : distinct
        ? `distinct ready addresses, per ${levels}`
        : `sum per ${levels}`;
    return `| \`${metric.name}\` | ${sets} | ${metric.unit} | ${sources} | ${formula} |`;
  });
}

/** The whole table, with its header. */
export function podHealthTable(): string {
  return [
    '| metric | dimension sets | unit | kube-state-metrics series | formula |',
    '| --- | --- | --- | --- | --- |',
    ...podHealthTableRows(),
  ].join('\n');
}

if (process.argv[1]?.endsWith('pod-health-table.ts')) process.stdout.write(`${podHealthTable()}\n`);
