import { componentTypeOf } from './release-dialect';

/**
 * Checks of a collector configuration as it is deployed, whoever wrote it:
 * what the tests check of the configurations this library renders, for the
 * `validate` command to run on a folder of manifests (this library's, or
 * ones edited by hand since).
 */

/** The parts of a collector configuration the checks read. */
interface DeployedConfig {
  readonly receivers?: Readonly<Record<string, unknown>>;
  readonly processors?: Readonly<Record<string, unknown>>;
  readonly exporters?: Readonly<Record<string, unknown>>;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly service?: {
    readonly extensions?: readonly string[];
    readonly pipelines?: Readonly<
      Record<
        string,
        {
          readonly receivers?: readonly string[];
          readonly processors?: readonly string[];
          readonly exporters?: readonly string[];
        }
      >
    >;
  };
}

const KINDS = ['receivers', 'processors', 'exporters'] as const;

/** The `${env:NAME}` references of a configuration's text. */
function environmentReferences(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string))].sort();
}

/**
 * Where a configuration file's text has a `$` the collector would expand: it
 * reads `$$` as a literal `$` and `${env:NAME}` as a variable, so any other
 * run of `$` must have an even length.
 */
export function unescapedDollars(text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    [...line.matchAll(/\$+/g)].flatMap((run) => {
      const at = run.index ?? 0;
      const length = run[0].length;
      const variable = line.startsWith('{env:', at + length) && length % 2 === 1;
      return length % 2 === 0 || variable ? [] : [`line ${i + 1}: an unescaped $ in ${JSON.stringify(line.trim())}`];
    }),
  );
}

/**
 * What is wrong with a collector configuration's wiring: a component a
 * pipeline names but nothing defines (the collector refuses to start), one
 * defined but unused, a pipeline whose first processor is not
 * `memory_limiter`, and, when the container's environment is known, an
 * `${env:NAME}` it does not set.
 *
 * @param environment the variables the collector container sets; absent: not checked
 */
export function lintCollectorConfig(config: unknown, text: string, environment?: readonly string[]): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return ['the collector configuration is not a mapping'];
  }
  const deployed = config as DeployedConfig;
  const problems: string[] = [];
  const pipelines = Object.entries(deployed.service?.pipelines ?? {});
  if (pipelines.length === 0) problems.push('no service pipelines');
  for (const kind of KINDS) {
    const defined = Object.keys(deployed[kind] ?? {});
    const used = new Set(pipelines.flatMap(([, pipeline]) => pipeline[kind] ?? []));
    for (const [name, pipeline] of pipelines) {
      for (const id of pipeline[kind] ?? []) {
        if (!defined.includes(id))
          problems.push(`pipeline ${name} names ${kind.slice(0, -1)} ${id}, which is not defined`);
      }
    }
    for (const id of defined)
      if (!used.has(id)) problems.push(`${kind.slice(0, -1)} ${id} is defined but no pipeline uses it`);
  }
  const extensions = Object.keys(deployed.extensions ?? {});
  for (const id of deployed.service?.extensions ?? []) {
    if (!extensions.includes(id)) problems.push(`service names extension ${id}, which is not defined`);
  }
  for (const [name, pipeline] of pipelines) {
    const [first] = pipeline.processors ?? [];
    if (first === undefined || componentTypeOf(first) !== 'memory_limiter') {
      problems.push(`pipeline ${name} does not start with memory_limiter (it starts with ${first ?? 'no processor'})`);
    }
  }
  if (environment !== undefined) {
    for (const name of environmentReferences(text)) {
      if (!environment.includes(name))
        problems.push(`\${env:${name}} is read, but the collector container does not set ${name}`);
    }
  }
  return problems;
}
