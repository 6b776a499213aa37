import { stringify } from 'yaml';
import type { AdotVersion } from './adot-version';
import { EnvReference } from './components/env-reference';
import type { CollectorConfig } from './config-model';
import { inReleaseWords } from './release-dialect';

/**
 * The one place that turns the collector configuration into the text the
 * collector reads.
 *
 * The collector expands `${...}` in its configuration file as environment or
 * provider references and reads `$$` as a literal `$`. The configuration model
 * holds literal values (a Prometheus replacement `${1}`, a regular expression
 * `^$`), so every `$` in a string value is written as `$$`. The only values
 * the collector expands are `EnvReference`s, written as `${env:NAME}`.
 *
 * Both write the configuration in the words of the release it is for
 * (release-dialect.ts): its component names and its filter form.
 */

/** Escapes every `$` as `$$`, the collector's escape for a literal dollar sign. */
export function escapeDollars(value: string): string {
  return value.replaceAll('$', '$$$$');
}

function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeDollars(value);
  if (value instanceof EnvReference) return value.toString();
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, escapeStrings(inner)]));
  }
  return value;
}

/**
 * Renders the collector configuration as YAML for the collector of
 * `version`, with `$` escaped. Keys keep the order the model builds them in,
 * so equal input gives byte-identical output.
 */
export function renderCollectorConfig(config: CollectorConfig, version: AdotVersion): string {
  return stringify(escapeStrings(inReleaseWords(config, version)), { lineWidth: 0, indent: 2 });
}

/**
 * The configuration as the object the collector reads, with `$` escaped as in
 * {@link renderCollectorConfig}: for the OpenTelemetry Operator's
 * `spec.config`, which the operator writes to the collector's file as is.
 */
export function escapedCollectorConfig(config: CollectorConfig, version: AdotVersion): Record<string, unknown> {
  return escapeStrings(inReleaseWords(config, version)) as Record<string, unknown>;
}
