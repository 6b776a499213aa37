import type { Series } from './pipeline-model';

/**
 * Reads the Prometheus text exposition format, as kube-state-metrics serves
 * it, into the model's series: `# HELP` and `# TYPE` lines and blank lines
 * are skipped; each sample line is `name{label="value",...} value`, with
 * `\\`, `\"` and `\n` escapes in label values.
 */
export function parseExposition(text: string): Series[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const [, family, body = '', value] = match as unknown as [string, string, string | undefined, string];
      const labels: Record<string, string> = {};
      for (const pair of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[pair[1] as string] = (pair[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      return { family: family as string, labels, value: Number(value) };
    });
}
