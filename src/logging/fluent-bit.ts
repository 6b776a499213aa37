import { invalidInput as fail } from '../core/errors';

/**
 * Fluent Bit classic-mode configuration for the log router Fargate runs
 * beside every pod, and the rules Fargate checks it against (EKS user guide,
 * "Start AWS Fargate logging for your cluster"):
 *
 * - only `[FILTER]` (in `filters.conf`), `[OUTPUT]` (in `output.conf`) and
 *   `[PARSER]` (in `parsers.conf`) sections;
 * - `Name` and `Match` required in each filter and output, `Name` and
 *   `Format` in each parser (keys are case-insensitive);
 * - filters from `grep`, `parser`, `record_modifier`, `rewrite_tag`,
 *   `throttle`, `nest`, `modify`, `kubernetes`; outputs from `es`, `firehose`,
 *   `kinesis_firehose`, `cloudwatch`, `cloudwatch_logs`, `kinesis`; at least
 *   one output;
 * - no environment variables (`${VAR}`);
 * - the same indentation for every directive, key-value pairs indented more;
 * - the Kubernetes filter's `Kube_URL`, `Kube_CA_File`, `Kube_Token_Command`
 *   and `Kube_Token_File` are Fargate's own;
 * - the ConfigMap can't exceed 5300 characters.
 */

/** The filter plugins Fargate's log router accepts. */
export const FARGATE_FILTER_PLUGINS = [
  'grep',
  'parser',
  'record_modifier',
  'rewrite_tag',
  'throttle',
  'nest',
  'modify',
  'kubernetes',
] as const;

/** The output plugins Fargate's log router accepts. */
export const FARGATE_OUTPUT_PLUGINS = [
  'es',
  'firehose',
  'kinesis_firehose',
  'cloudwatch',
  'cloudwatch_logs',
  'kinesis',
] as const;

/** Keys of the Kubernetes filter that Fargate sets itself. */
const FARGATE_OWNED_KUBERNETES_KEYS = ['Kube_URL', 'Kube_CA_File', 'Kube_Token_Command', 'Kube_Token_File'] as const;

/** The most characters Fargate accepts in the `aws-logging` ConfigMap. */
export const FARGATE_LOGGING_MAX_CHARACTERS = 5300;

/** A `[FILTER]` section. */
export interface FluentBitFilter {
  /** The filter plugin: one that Fargate's log router supports (another is refused, with the list). */
  readonly name: string;
  /** Tag pattern of the records it applies to, e.g. `kube.*`. */
  readonly match: string;
  /** The plugin's other keys, in order, e.g. `{ Merge_Log: 'On' }`. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** A `[PARSER]` section. */
export interface FluentBitParser {
  /** The parser's name, which filters refer to. */
  readonly name: string;
  /** Its format: `json`, `regex`, `ltsv` or `logfmt`. */
  readonly format: string;
  /** Its other keys, in order, e.g. `{ Regex: '^(?<log>.*)$' }`. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** An `[OUTPUT]` section. */
export interface FluentBitOutput {
  /** The output plugin: one that Fargate's log router supports (another is refused, with the list). */
  readonly name: string;
  /** Tag pattern of the records it sends. */
  readonly match: string;
  /** The plugin's other keys, in order. */
  readonly properties?: Readonly<Record<string, string>>;
}

type Section = 'FILTER' | 'OUTPUT' | 'PARSER';

/** Width of a key column; Fluent Bit only needs whitespace between key and value. */
const KEY_WIDTH = 20;
const INDENT = '    ';

function renderSection(section: Section, pairs: ReadonlyArray<readonly [string, string]>): string {
  const lines = pairs.map(([key, value]) => `${INDENT}${key.padEnd(KEY_WIDTH)} ${value}`.trimEnd());
  return [`[${section}]`, ...lines].join('\n');
}

/** Renders filters as the text of `filters.conf`. */
export function renderFilters(filters: readonly FluentBitFilter[]): string {
  return `${filters.map((f) => renderSection('FILTER', [['Name', f.name], ['Match', f.match], ...Object.entries(f.properties ?? {})])).join('\n')}\n`;
}

/** Renders outputs as the text of `output.conf`. */
export function renderOutputs(outputs: readonly FluentBitOutput[]): string {
  return `${outputs.map((o) => renderSection('OUTPUT', [['Name', o.name], ['Match', o.match], ...Object.entries(o.properties ?? {})])).join('\n')}\n`;
}

/** Renders parsers as the text of `parsers.conf`. */
export function renderParsers(parsers: readonly FluentBitParser[]): string {
  return `${parsers.map((p) => renderSection('PARSER', [['Name', p.name], ['Format', p.format], ...Object.entries(p.properties ?? {})])).join('\n')}\n`;
}

// Keys: letters, digits, `_`, `-` and `.` (K8S-Logging.Parser); values: one line, no `${`.
const KEY = /^[A-Za-z][\w.-]*$/;
const PARSER_FORMATS = ['json', 'regex', 'ltsv', 'logfmt'];

function checkPairs(
  input: string,
  section: { readonly properties?: Readonly<Record<string, string>> },
  reserved: readonly string[],
): void {
  for (const [key, value] of Object.entries(section.properties ?? {})) {
    if (!KEY.test(key))
      fail(`${input}.properties`, key, 'keys of letters, digits, "_", "-" and ".", starting with a letter');
    if (reserved.includes(key.toLowerCase())) {
      fail(`${input}.properties`, key, `a key other than ${reserved.join(', ')} (set by name, match or format)`);
    }
    checkValue(`${input}.properties.${key}`, value);
  }
}

function checkValue(input: string, value: string): void {
  if (value.trim() === '' || /[\r\n]/.test(value)) fail(input, value, 'a non-empty value on one line');
  if (value.includes('${')) {
    fail(
      input,
      value,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the syntax Fargate rejects.
      'a literal value: Fargate rejects environment variables such as ${VAR} in the aws-logging ConfigMap',
    );
  }
}

/** Checks filters against Fargate's rules; `input` names the prop in messages. */
export function validateFilters(input: string, filters: readonly FluentBitFilter[]): void {
  filters.forEach((filter, i) => {
    const at = `${input}[${i}]`;
    if (!(FARGATE_FILTER_PLUGINS as readonly string[]).includes(filter.name)) {
      fail(`${at}.name`, filter.name, `a filter Fargate supports: ${FARGATE_FILTER_PLUGINS.join(', ')}`);
    }
    checkValue(`${at}.match`, filter.match);
    checkPairs(at, filter, ['name', 'match']);
    if (filter.name === 'kubernetes') {
      const owned = Object.keys(filter.properties ?? {}).find((key) =>
        FARGATE_OWNED_KUBERNETES_KEYS.some((k) => k.toLowerCase() === key.toLowerCase()),
      );
      if (owned !== undefined) {
        fail(`${at}.properties`, owned, `no ${FARGATE_OWNED_KUBERNETES_KEYS.join(', ')}: Fargate sets them`);
      }
    }
  });
}

/** Checks outputs against Fargate's rules. */
export function validateOutputs(input: string, outputs: readonly FluentBitOutput[]): void {
  if (outputs.length === 0) fail(input, [], 'at least one output: Fargate enables logging only with one');
  outputs.forEach((output, i) => {
    const at = `${input}[${i}]`;
    if (!(FARGATE_OUTPUT_PLUGINS as readonly string[]).includes(output.name)) {
      fail(`${at}.name`, output.name, `an output Fargate supports: ${FARGATE_OUTPUT_PLUGINS.join(', ')}`);
    }
    checkValue(`${at}.match`, output.match);
    checkPairs(at, output, ['name', 'match']);
  });
}

/** Checks parsers against Fargate's rules; names must be unique. */
export function validateParsers(input: string, parsers: readonly FluentBitParser[]): void {
  const names = new Set<string>();
  parsers.forEach((parser, i) => {
    const at = `${input}[${i}]`;
    if (!/^[\w.-]+$/.test(parser.name))
      fail(`${at}.name`, parser.name, 'a parser name of letters, digits, "_", "-" and "."');
    if (names.has(parser.name)) fail(`${at}.name`, parser.name, 'a name no other parser has');
    names.add(parser.name);
    if (!PARSER_FORMATS.includes(parser.format.toLowerCase())) {
      fail(`${at}.format`, parser.format, `one of ${PARSER_FORMATS.join(', ')}`);
    }
    checkPairs(at, parser, ['name', 'format']);
  });
}

/** The number of characters of a ConfigMap's data: every key and value. */
export function configMapCharacters(data: Readonly<Record<string, string>>): number {
  return Object.entries(data).reduce((sum, [key, value]) => sum + key.length + value.length, 0);
}
