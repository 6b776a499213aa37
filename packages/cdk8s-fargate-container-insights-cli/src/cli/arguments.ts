import { nearestName } from 'cdk8s-fargate-container-insights/internal';

/**
 * The command line's grammar: each command's arguments and options as a
 * table, read by one parser that gives every mistake a sentence of its own
 * (with "did you mean" where a name is close) and a short usage line, and
 * the help texts made from the same table.
 */

/** The program's name, as a user types it. */
export const PROGRAM = 'cdk8s-fargate-container-insights';

/** An option a command takes: `--name <value>`, or a flag `--name` without one. */
export interface OptionSpec {
  /** Its name, without the dashes. */
  readonly name: string;
  /** What its value is, for the usage line: `dir`, `n`; absent for a flag. */
  readonly value?: string;
  /** What it does, for the help text. */
  readonly description: string;
}

/** A command: its one argument, its options, and what it does. */
export interface CommandSpec {
  /** Its name: `fleet`. */
  readonly name: string;
  /** Its one argument, for the usage line: `clusters.yaml`. */
  readonly argument: string;
  /** One line, for the list of commands. */
  readonly summary: string;
  /** What it does and what its exit codes mean, for its help text. */
  readonly description: string;
  /** Its options. */
  readonly options: readonly OptionSpec[];
}

const OUTPUT: OptionSpec = {
  name: 'output',
  value: 'dir',
  description: 'output folder (default: the file\'s "output", else dist/ beside it)',
};
const PREREQUISITES: OptionSpec = {
  name: 'prerequisites',
  value: 'dir',
  description: 'prerequisites folder (default: the file\'s "prerequisites", else prerequisites/ beside it)',
};

/** Every command, in the order the help lists them. */
const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'fleet',
    argument: 'clusters.yaml',
    summary: 'synthesize every cluster of a clusters file',
    description: [
      'Synthesizes every cluster of the clusters file into <dir>/<cluster>/ (one folder per',
      "cluster, each with a kustomization.yaml), the Argo CD and Flux objects the file's gitops",
      "section asks for under <dir>/_gitops/, and each cluster's prerequisites (eksctl config",
      'fragment, CloudFormation template) into <prerequisites>/<cluster>/. The folders are',
      'replaced only once everything succeeded; a folder this tool did not write is refused.',
      'Exits 0 when written, 1 on bad input (nothing written), 2 on a usage error.',
    ].join('\n'),
    options: [
      OUTPUT,
      PREREQUISITES,
      {
        name: 'workers',
        value: 'n',
        description: 'worker threads (default: 1 below 200 clusters, else one per CPU, at most 8)',
      },
      { name: 'quiet', description: 'no progress line (it is shown on a terminal only)' },
    ],
  },
  {
    name: 'check',
    argument: 'clusters.yaml',
    summary: 'exit 1, naming each file, if the output is out of date',
    description: [
      'The drift check, for CI: synthesizes into a temporary folder and compares. Exits 0 when both',
      'folders are what the clusters file synthesizes now, 1 listing each file that differs, 2 when',
      'the file cannot be synthesized here. Writes nothing to the folders.',
    ].join('\n'),
    options: [OUTPUT, PREREQUISITES],
  },
  {
    name: 'validate',
    argument: 'folder',
    summary: 'exit 1, listing the problems, if a manifest is not right',
    description: [
      'Checks every manifest under the folder: it parses; each object has its kind and name and',
      'passes its schema, unknown fields refused (the Kubernetes kinds, with kubernetes-models',
      "installed, and the OpenTelemetry operator's OpenTelemetryCollector); the folder applies in",
      'one pass with kubectl apply -f; each collector configuration is wired as the collector',
      'needs. Says what it checked and what it skipped (kinds it has no schema for, files that are',
      'not Kubernetes objects). Exits 0 with no problems, 1 listing them (or with no manifest at all),',
      '2 on a usage error.',
    ].join('\n'),
    options: [],
  },
];

/** How an option is written: `--output <dir>`, or `--quiet` for a flag. */
function optionFlags(option: OptionSpec): string {
  return option.value === undefined ? `--${option.name}` : `--${option.name} <${option.value}>`;
}

/** The options every command takes. */
const GLOBAL_OPTIONS = [
  { flags: '-h, --help', description: 'show help (for a command: its options)' },
  { flags: '-v, --version', description: 'show the version' },
] as const;

/** `fleet <clusters.yaml> [--output <dir>] ...`: a command's synopsis. */
function synopsis(command: CommandSpec): string {
  return [`${command.name} <${command.argument}>`, ...command.options.map((o) => `[${optionFlags(o)}]`)].join(' ');
}

/** The help of the whole program. */
export function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} <${c.argument}>`.length), 'help [command]'.length) + 2;
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} <${c.argument}>`.padEnd(width)}${c.summary}`),
    `  ${'help [command]'.padEnd(width)}show help for a command`,
    '',
    'Options:',
    ...GLOBAL_OPTIONS.map((o) => `  ${o.flags.padEnd(width)}${o.description}`),
    '',
    `Run '${PROGRAM} help <command>' for a command's options.`,
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(command: CommandSpec): string {
  const flags = [
    ...command.options.map((o) => ({ flags: optionFlags(o), description: o.description })),
    ...GLOBAL_OPTIONS,
  ];
  const width = Math.max(...flags.map((f) => f.flags.length)) + 2;
  return [
    `Usage: ${PROGRAM} ${synopsis(command)}`,
    '',
    command.description,
    '',
    'Options:',
    ...flags.map((f) => `  ${f.flags.padEnd(width)}${f.description}`),
  ].join('\n');
}

/** The one line a usage error ends with: the synopsis, and where the rest is. */
export function usageLine(command?: CommandSpec): string {
  return command === undefined
    ? `Usage: ${PROGRAM} <command> [options] (commands: ${[...COMMANDS.map((c) => c.name), 'help'].join(', ')}; run '${PROGRAM} --help' for more)`
    : `Usage: ${PROGRAM} ${synopsis(command)} (run '${PROGRAM} ${command.name} --help' for more)`;
}

/** What the command line asks for. */
export type Invocation =
  | { readonly kind: 'help'; readonly command?: CommandSpec }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly command: CommandSpec;
      readonly argument: string;
      readonly options: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'usage error'; readonly message: string; readonly command?: CommandSpec };

/** `; did you mean "x"?` when a candidate is close, else `; expected one of a, b`. */
function suggestion(value: string, candidates: readonly string[]): string {
  const near = nearestName(value, candidates);
  return near === undefined ? `; expected one of ${candidates.join(', ')}` : `; did you mean ${JSON.stringify(near)}?`;
}

/** Looks a command up by name; a usage error with "did you mean" when there is none. */
function commandNamed(name: string): CommandSpec | { readonly error: string } {
  const command = COMMANDS.find((c) => c.name === name);
  if (command !== undefined) return command;
  return {
    error: `unknown command ${JSON.stringify(name)}${suggestion(name, [...COMMANDS.map((c) => c.name), 'help'])}`,
  };
}

/**
 * Reads the command line: `--help`/`-h` and `--version`/`-v` anywhere (before
 * `--`), `help [command]`, then a command, its one argument and its options
 * as `--name value` or `--name=value`. Never throws: a mistake is a usage
 * error that says what and, where a name is close, what was meant.
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  const words = flags.filter((arg) => !arg.startsWith('-') || arg === '-');
  const first = words[0];
  const named = first === undefined || first === 'help' ? undefined : commandNamed(first);
  const command = named !== undefined && !('error' in named) ? named : undefined;
  if (flags.includes('--help') || flags.includes('-h')) return { kind: 'help', ...(command ? { command } : {}) };
  if (flags.includes('--version') || flags.includes('-v')) return { kind: 'version' };
  if (first === 'help') {
    const about = words[1];
    if (about === undefined) return { kind: 'help' };
    const target = commandNamed(about);
    if ('error' in target) return { kind: 'usage error', message: target.error };
    if (words.length > 2) {
      return { kind: 'usage error', message: `unexpected argument ${JSON.stringify(words[2])} after help ${about}` };
    }
    return { kind: 'help', command: target };
  }
  if (first === undefined) return { kind: 'usage error', message: 'no command given' };
  if (named !== undefined && 'error' in named) return { kind: 'usage error', message: named.error };
  if (command === undefined) return { kind: 'usage error', message: 'no command given' };

  const options: Record<string, string> = {};
  const positionals: string[] = [];
  const names = command.options.map((o) => o.name);
  for (let i = argv.indexOf(first) + 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (i === end) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [flag = '', inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [arg.slice(1)];
    const option = arg.startsWith('--') ? command.options.find((o) => o.name === flag) : undefined;
    if (option === undefined) {
      const written = arg.split('=')[0] ?? arg;
      return {
        kind: 'usage error',
        command,
        message: `unknown option ${JSON.stringify(written)} for ${command.name}${
          names.length === 0
            ? `; ${command.name} takes no options`
            : suggestion(
                written,
                names.map((n) => `--${n}`),
              )
        }`,
      };
    }
    if (option.value === undefined) {
      if (inline !== undefined) {
        return { kind: 'usage error', command, message: `--${option.name} takes no value` };
      }
      if (options[option.name] !== undefined) {
        return { kind: 'usage error', command, message: `--${option.name} is given twice` };
      }
      options[option.name] = 'true';
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i++;
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      return {
        kind: 'usage error',
        command,
        message: `--${option.name} needs a value: --${option.name} <${option.value}>`,
      };
    }
    if (options[option.name] !== undefined) {
      return { kind: 'usage error', command, message: `--${option.name} is given twice` };
    }
    options[option.name] = value;
  }
  const [argument, extra] = positionals;
  if (argument === undefined) {
    return { kind: 'usage error', command, message: `missing <${command.argument}> after ${command.name}` };
  }
  if (extra !== undefined) {
    return {
      kind: 'usage error',
      command,
      message: `unexpected argument ${JSON.stringify(extra)} after <${command.argument}>`,
    };
  }
  return { kind: 'run', command, argument, options };
}
