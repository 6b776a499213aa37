import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/**
 * The shape of the code: which module may import which. Every relative import
 * counts, `import type` too (a cycle through a type still ties the files
 * together for a reader), read with TypeScript's own import scanner.
 */
const ROOT = join(__dirname, '..');
/** The most lines a file of code or tests has (issue 34; CONTRIBUTING.md). */
const MAX_FILE_LINES = 500;
const SRC = join(ROOT, 'src');
/** The command-line package: the command, the app and the fleet tooling. */
const CLI = 'packages/cdk8s-fargate-container-insights-cli';

/** Every `.ts` file under a folder, relative to the project root. */
function sources(folder: string): string[] {
  return (readdirSync(join(ROOT, folder), { recursive: true }) as string[])
    .filter((file) => /\.m?ts$/.test(file))
    .map((file) => join(folder, file))
    .sort();
}

/** The files a file imports by relative path, relative to the project root, without extension. */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name)));
}

const withoutExtension = (file: string) => file.replace(/\.m?ts$/, '');

/** The import graph of a package's sources: module → the modules it imports. */
function sourceGraph(folder = 'src'): Map<string, string[]> {
  return new Map(sources(folder).map((file) => [withoutExtension(file), relativeImports(file)]));
}

/** The packages a file imports by name (not by relative path). */
function packageImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles.map((imported) => imported.fileName).filter((name) => !name.startsWith('.'));
}

/** Every cycle's members, one list per strongly connected component of more than one module (or a self-import). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * The folders of `src/` and the folders each may import from. Arrows point one
 * way: from the fleet down to the constructs, from the constructs to the
 * configuration model and Fargate's rules, and from everything to core.
 */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  config: ['core'],
  fargate: ['core'],
  logging: ['core'],
  gitops: ['core'],
  collector: ['core', 'config', 'fargate'],
  sample: ['core', 'fargate'],
  prerequisites: ['core', 'config', 'fargate', 'collector', 'logging'],
  cost: ['core', 'config', 'fargate', 'prerequisites'],
};

/** The same for the command-line package, which sits on top of the main one. */
const CLI_LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  fleet: ['core'],
  app: ['core', 'fleet'],
  cli: ['core', 'fleet', 'app'],
};

/** The top-level folder of a package's sources a module is in (for index and cli, at the top, their own name). */
const layerOf = (module: string, folder = 'src') => relative(folder, module).split('/')[0] as string;

describe('architecture', () => {
  const graph = sourceGraph();

  test('reads the imports it checks', () => {
    expect(graph.get('src/collector/fargate-container-insights-collector')).toContain(
      'src/collector/container-insights-collector-base',
    );
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
          ['c', ['a']],
        ]),
      ),
    ).toStrictEqual([['a', 'b']]);
  });

  const packages = [
    { folder: 'src', layers: LAYERS },
    { folder: `${CLI}/src`, layers: CLI_LAYERS },
  ];

  test.each(packages)('$folder has no import cycle', ({ folder }) => {
    expect(cycles(sourceGraph(folder))).toStrictEqual([]);
  });

  test.each(packages)('each folder of $folder imports only from the folders below it', ({ folder, layers }) => {
    const packageGraph = sourceGraph(folder);
    const unexpected: string[] = [];
    for (const [module, imports] of packageGraph) {
      const from = layerOf(module, folder);
      const allowed = layers[from];
      if (allowed === undefined) continue; // index.ts, internal.ts and cli.ts, at the top
      for (const target of imports) {
        // The generated CRD types are for the construct that writes the custom resource.
        if (target.startsWith('imports/') && folder === 'src') {
          if (from !== 'collector') unexpected.push(`${module} -> ${target}`);
          continue;
        }
        const to = layerOf(target, folder);
        if (to !== from && !allowed.includes(to)) unexpected.push(`${module} -> ${target}`);
      }
    }
    expect(unexpected).toStrictEqual([]);
    expect(Object.keys(layers).sort()).toStrictEqual(
      [
        ...new Set(
          [...packageGraph.keys()]
            .filter((module) => relative(folder, module).includes('/'))
            .map((module) => layerOf(module, folder)),
        ),
      ].sort(),
    );
  });

  test('the constructs package reads and writes no files, starts no threads or processes and reads no environment', () => {
    // What every language binding loads: the command, the app and the fleet tooling are the command-line package.
    const offenders = sources('src').flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return [
        ...packageImports(file).filter((name) => !/^(node:crypto|cdk8s|cdk8s-plus-29|constructs|yaml)$/.test(name)),
        ...(text.match(/\bprocess\.(env|argv|exit|cwd|stdout|stderr)\b/g) ?? []),
      ].map((use) => `${file}: ${use}`);
    });
    expect(offenders).toStrictEqual([]);
  });

  test('the command-line package reaches the main one by name only, through its public API and its internal entry', () => {
    // Its tests too, which may also use the repository's test helpers and tools.
    const allowed = (file: string) =>
      file.startsWith(`${CLI}/test/`) ? [`${CLI}/`, 'test/support/', 'tools/'] : [`${CLI}/src/`];
    const offenders = [...sources(`${CLI}/src`), ...sources(`${CLI}/test`)].flatMap((file) => [
      ...relativeImports(file)
        .filter((target) => !allowed(file).some((prefix) => target.startsWith(prefix)))
        .map((target) => `${file} -> ${target}`),
      ...packageImports(file)
        .filter(
          (name) =>
            name.startsWith('cdk8s-fargate-container-insights') &&
            !/^cdk8s-fargate-container-insights(\/internal)?$/.test(name),
        )
        .map((name) => `${file} -> ${name}`),
    ]);
    expect(offenders).toStrictEqual([]);
  });

  test('src/internal.ts exports what the sibling packages import from it, and nothing else', () => {
    const namesIn = (clause: string) =>
      clause
        .split(',')
        .map(
          (name) =>
            name
              .trim()
              .replace(/^type /, '')
              .split(' as ')[0] as string,
        )
        .filter((name) => name !== '');
    const exported = [...readFileSync(join(SRC, 'internal.ts'), 'utf8').matchAll(/^export (?:type )?\{([^}]*)\}/gm)]
      .flatMap((match) => namesIn(match[1] as string))
      .sort();
    const imported = [
      ...new Set(
        ['packages/cdk8s-fargate-container-insights-aws/src', `${CLI}/src`]
          .flatMap(sources)
          .flatMap((file) => [
            ...readFileSync(join(ROOT, file), 'utf8').matchAll(
              /import (?:type )?\{([^}]*)\} from 'cdk8s-fargate-container-insights\/internal'/g,
            ),
          ])
          .flatMap((match) => namesIn(match[1] as string)),
      ),
    ].sort();
    expect(exported).toStrictEqual(imported);
  });

  test('the configuration model is plain data and functions: no cdk8s, no constructs', () => {
    for (const file of [...sources('src/config'), 'src/core/errors.ts', `${CLI}/src/core/output.ts`]) {
      const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
      const packages = importedFiles.map((imported) => imported.fileName).filter((name) => !name.startsWith('.'));
      expect(
        packages.filter((name) => /^(cdk8s|cdk8s-plus-29|constructs)$/.test(name)),
        file,
      ).toStrictEqual([]);
    }
  });

  test('src/index.ts only re-exports, by name, from the modules below it', () => {
    const index = ts.createSourceFile('index.ts', readFileSync(join(SRC, 'index.ts'), 'utf8'), ts.ScriptTarget.ES2022);
    for (const statement of index.statements) {
      expect(ts.isExportDeclaration(statement), statement.getText(index)).toBe(true);
      const declaration = statement as ts.ExportDeclaration;
      // Named, so that a helper added to a module does not become public API by accident.
      expect(declaration.exportClause && ts.isNamedExports(declaration.exportClause)).toBe(true);
      expect((declaration.moduleSpecifier as ts.StringLiteral).text).toMatch(/^\.\/[a-z-]+(\/[a-z-]+)+$/);
    }
  });

  test('neither the library nor the tests import from scripts/: shared helpers live in tools/', () => {
    const offenders = [...sources('src'), ...sources('test'), ...sources('tools'), ...sources(`${CLI}/test`)].filter(
      (file) => relativeImports(file).some((target) => target.startsWith('scripts/') || target === 'scripts'),
    );
    expect(offenders).toStrictEqual([]);
  });

  test('the library does not import from tools/, test/ or scripts/', () => {
    const offenders = sources('src').filter((file) =>
      relativeImports(file).some((target) => !target.startsWith('src/') && !target.startsWith('imports/')),
    );
    expect(offenders).toStrictEqual([]);
  });

  test('no source or test file is over 500 lines: a longer one is a folder, or two concerns, waiting to split', () => {
    const folders = [
      'src',
      'test',
      'tools',
      'scripts',
      'packages/cdk8s-fargate-container-insights-aws/src',
      'packages/cdk8s-fargate-container-insights-aws/test',
      `${CLI}/src`,
      `${CLI}/test`,
    ];
    const long = folders
      .flatMap(sources)
      .map((file) => [file, readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > MAX_FILE_LINES)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    expect(long).toStrictEqual([]);
    // The rule reads the files it means to: the library, its tests and the companion's.
    expect(folders.flatMap(sources).length).toBeGreaterThan(150);
  });
});
