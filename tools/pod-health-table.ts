import {
  type KsmSource,
  POD_HEALTH_LEVELS,
  POD_HEALTH_METRICS,
  type PodHealthComputation,
  PodHealthProfile,
  podHealthLevel,
} from '../src/config/catalog/pod-health-metrics';
import { PodNaming } from '../src/config/pod-naming';

/**
 * The metric table of docs/pod-health.md, from the catalog: each metric's
 * dimension sets with the default pod naming (the cluster profile's marked),
 * the levels written to the log events only, unit, source series and
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

/** The dimension sets of a computation, each with `*` when the cluster profile sends it too. */
function dimensionSets(c: PodHealthComputation): string[] {
  return podHealthLevel(c.level, PodNaming.WORKLOAD).dimensions.map((dimensions) => {
    const set = `[${dimensions.join(', ')}]`;
    return c.profiles.includes(PodHealthProfile.CLUSTER) ? `${set}\\*` : set;
  });
}

/** The rows of the table, one per metric, in catalog order. */
export function podHealthTableRows(): string[] {
  return POD_HEALTH_METRICS.map((metric) => {
    const declared = metric.computations.filter((c) => c.logsOnly !== true);
    const sets = declared.length === 0 ? '-' : [...new Set(declared.flatMap(dimensionSets))].join(' ');
    const logsOnly = metric.computations.filter((c) => c.logsOnly === true).map((c) => POD_HEALTH_LEVELS[c.level].per);
    const logs = logsOnly.length === 0 ? '-' : [...new Set(logsOnly)].join(', ');
    const sources = [...new Set(metric.computations.map((c) => selector(c.source)))].join(', ');
    const distinct = metric.computations.some((c) => c.source.distinctBy !== undefined);
    const levels = [...new Set(metric.computations.map((c) => POD_HEALTH_LEVELS[c.level].per))].join(', ');
    const formula = metric.counter
      ? `increase since the previous scrape, summed per ${levels}`
      : distinct
        ? `distinct ready addresses, per ${levels}`
        : `sum per ${levels}`;
    return `| \`${metric.name}\` | ${sets} | ${logs} | ${metric.unit} | ${sources} | ${formula} |`;
  });
}

/** The whole table, with its header. */
export function podHealthTable(): string {
  return [
    '| metric | dimension sets | log events only | unit | kube-state-metrics series | formula |',
    '| --- | --- | --- | --- | --- | --- |',
    ...podHealthTableRows(),
  ].join('\n');
}

if (process.argv[1]?.endsWith('pod-health-table.ts')) process.stdout.write(`${podHealthTable()}\n`);
