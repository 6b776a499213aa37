import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as api from '../src';

/**
 * The public API is what jsii can carry to other languages. `npm test` runs
 * `npm run build` (jsii) first, which writes the assembly `.jsii`; these
 * tests read it, so they check the build that just ran.
 */

const ROOT = join(__dirname, '..');

interface Assembly {
  readonly name: string;
  readonly targets: Record<string, unknown>;
  readonly types: Record<string, { readonly kind: string; readonly name: string }>;
}

const assembly = JSON.parse(readFileSync(join(ROOT, '.jsii'), 'utf8')) as Assembly;

/** Every name src/index.ts exports, types included, as the TypeScript compiler sees them. */
function indexExports(): string[] {
  const program = ts.createProgram([join(ROOT, 'src/index.ts')], { strict: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(join(ROOT, 'src/index.ts'));
  if (index === undefined) throw new Error('src/index.ts not found');
  const symbol = checker.getSymbolAtLocation(index);
  if (symbol === undefined) throw new Error('src/index.ts has no module symbol');
  return checker.getExportsOfModule(symbol).map((s) => s.getName());
}

describe('the jsii assembly', () => {
  const exported = indexExports();
  const types = Object.values(assembly.types).map((type) => type.name);

  test('is of this package, for the four languages cdk8s ships to besides JavaScript', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string };
    expect(assembly.name).toBe(pkg.name);
    expect(Object.keys(assembly.targets).sort()).toStrictEqual(['dotnet', 'go', 'java', 'js', 'python']);
  });

  test('holds every name src/index.ts exports: jsii dropped none', () => {
    expect(exported.filter((name) => !types.includes(name))).toStrictEqual([]);
    expect(types.filter((name) => !exported.includes(name))).toStrictEqual([]);
  });

  test('the public API stays small: at most 80 names', () => {
    expect(exported.length).toBeLessThanOrEqual(80);
  });

  test('every name exported at run time is a class or an enum of the assembly', () => {
    const runtime = Object.keys(api).sort();
    const classesAndEnums = Object.values(assembly.types)
      .filter((type) => type.kind === 'class' || type.kind === 'enum')
      .map((type) => type.name)
      .sort();
    expect(runtime).toStrictEqual(classesAndEnums);
  });
});

describe('ValidationError', () => {
  test('is an Error at run time, though declared without extends Error for jsii', () => {
    const error = new api.ValidationError('Invalid x 1: expected 2.');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(api.ValidationError);
    expect(error.message).toBe('Invalid x 1: expected 2.');
    expect(error.name).toBe('ValidationError');
    expect(String(error)).toBe('ValidationError: Invalid x 1: expected 2.');
    expect((error as unknown as Error).stack).toMatch(/^ValidationError: Invalid x 1: expected 2\.\n\s+at /);
  });
});
