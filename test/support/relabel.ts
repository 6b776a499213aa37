import { createHash } from 'node:crypto';
import { EnvReference } from '../../src/config/components/env-reference';
import type { RelabelConfig } from '../../src/config/components/prometheus-receiver';

/**
 * Prometheus relabelling (model/relabel/relabel.go), for the actions the
 * configuration uses: replace, keep, drop, labelmap, labeldrop and hashmod. Regular
 * expressions are anchored, source values joined with `;`, `regex` defaults
 * to `(.*)` and `replacement` to `$1`; a replace that writes an empty value
 * removes the label. `${env:NAME}` regexes read `env`.
 */

/** Prometheus `hashmod`: the last 8 bytes of the MD5 of the value, big-endian, modulo the modulus. */
export function prometheusHashmod(value: string, modulus: number): number {
  const digest = createHash('md5').update(value).digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}

/** Expands `$1` and `${1}` in a replacement with the groups of a match. */
function expand(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(
    /\$\{(\d+)\}|\$(\d+)/g,
    (_, braced: string, bare: string) => match[Number(braced ?? bare)] ?? '',
  );
}

/**
 * Applies the rules to one target's labels, as Prometheus does before a
 * scrape (or to a series' labels after it). Returns the labels, or
 * `undefined` when a rule drops the target.
 */
export function relabel(
  input: Readonly<Record<string, string>>,
  rules: readonly RelabelConfig[],
  env: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...input };
  for (const rule of rules) {
    const regexText = rule.regex instanceof EnvReference ? (env[rule.regex.name] ?? '') : (rule.regex ?? '(.*)');
    const regex = new RegExp(`^(?:${regexText})$`);
    const value = (rule.source_labels ?? []).map((label) => labels[label] ?? '').join(';');
    switch (rule.action ?? 'replace') {
      case 'keep':
        if (!regex.test(value)) return undefined;
        break;
      case 'drop':
        if (regex.test(value)) return undefined;
        break;
      case 'labeldrop':
        for (const name of Object.keys(labels)) if (regex.test(name)) delete labels[name];
        break;
      case 'hashmod':
        labels[rule.target_label as string] = String(prometheusHashmod(value, rule.modulus as number));
        break;
      case 'labelmap':
        for (const [name, labelValue] of Object.entries({ ...labels })) {
          const match = regex.exec(name);
          if (match) labels[expand(rule.replacement ?? '$1', match)] = labelValue;
        }
        break;
      case 'replace': {
        const match = regex.exec(value);
        if (!match) break;
        const target = rule.target_label as string;
        const written = expand(rule.replacement ?? '$1', match);
        if (written === '') delete labels[target];
        else labels[target] = written;
        break;
      }
    }
  }
  return labels;
}

/** The labels Prometheus keeps on a target after relabelling: none starting with `__` but address, scheme and path. */
export function targetOf(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter(
      ([name]) => !name.startsWith('__') || ['__address__', '__scheme__', '__metrics_path__'].includes(name),
    ),
  );
}
