import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { CRD_IMPORT_FILE } from './crd-import';

/**
 * packages/cdk8s-fargate-container-insights-cli/src/cli/opentelemetry-collector-fields.ts: the fields of an
 * `opentelemetry.io/v1beta1` OpenTelemetryCollector, as a table the
 * `validate` command checks objects against (unknown fields, types, enums,
 * required fields). Generated from imports/opentelemetry.io.ts, which
 * `cdk8s import` generates from the operator's CRD: each interface's
 * members (their types and whether they are optional) and, from its
 * `toJson_*` function, the JSON key of each member (`hostPID` for
 * `hostPid`). `npm run import` regenerates both; a test keeps them in step.
 */

const ROOT = join(__dirname, '..');

/** The committed table. */
export const CRD_FIELDS_FILE = join(
  ROOT,
  'packages',
  'cdk8s-fargate-container-insights-cli',
  'src',
  'cli',
  'opentelemetry-collector-fields.ts',
);

/** The prefix of the v1beta1 types, left out of the table's type names. */
const PREFIX = 'OpenTelemetryCollectorV1Beta1';

/**
 * A field's type: `s` string, `n` number, `b` boolean, `a` anything, `q`
 * a number or a string (int-or-string, quantities), a type name, a list
 * (`[T]`), a map (`{ m: T }`), or an enum (`{ e: values }`).
 */
type FieldType = string | [FieldType] | { readonly m: FieldType } | { readonly e: readonly string[] };

/** Generates the module's text from the cdk8s import's text. */
export function generateCrdFields(source = readFileSync(CRD_IMPORT_FILE, 'utf8')): string {
  const release = /at release (v\d+\.\d+\.\d+)/.exec(source)?.[1];
  if (release === undefined) throw new Error('crd-fields: the import names no operator release in its header');
  const file = ts.createSourceFile('opentelemetry.io.ts', source, ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  const enums = new Map<string, string[]>();
  const intOrString = new Set<string>();
  const jsonKeys = new Map<string, Map<string, string>>();
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
    if (ts.isEnumDeclaration(statement)) {
      enums.set(
        statement.name.text,
        statement.members.map((m) => (m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : '')),
      );
    }
    if (ts.isClassDeclaration(statement) && statement.name) {
      const statics = statement.members.flatMap((m) => (ts.isMethodDeclaration(m) && m.name ? [m.name.getText()] : []));
      if (statics.includes('fromNumber') && statics.includes('fromString')) intOrString.add(statement.name.text);
    }
    if (ts.isFunctionDeclaration(statement) && statement.name?.text.startsWith('toJson_')) {
      const keys = new Map<string, string>();
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name)) {
          const member = findMember(node.initializer);
          if (member !== undefined) keys.set(member, node.name.text);
        }
        ts.forEachChild(node, visit);
      };
      visit(statement);
      jsonKeys.set(statement.name.text.slice('toJson_'.length), keys);
    }
  }

  const typeOf = (node: ts.TypeNode): FieldType => {
    if (node.kind === ts.SyntaxKind.StringKeyword) return 's';
    if (node.kind === ts.SyntaxKind.NumberKeyword) return 'n';
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return 'b';
    if (node.kind === ts.SyntaxKind.AnyKeyword) return 'a';
    if (ts.isArrayTypeNode(node)) return [typeOf(node.elementType)];
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index?.type) return { m: typeOf(index.type) };
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (enums.has(name)) return { e: enums.get(name) ?? [] };
      if (intOrString.has(name)) return 'q';
      if (interfaces.has(name)) return name.slice(PREFIX.length) || 'Props';
      // A date-time string in the manifest (toJson writes toISOString()).
      if (name === 'Date') return 's';
    }
    throw new Error(`crd-fields: no field type for ${node.getText()}`);
  };

  const table: Record<string, Record<string, [FieldType, 0 | 1]>> = {};
  const pending = ['Spec'];
  while (pending.length > 0) {
    const short = pending.pop() as string;
    if (short in table) continue;
    const name = `${PREFIX}${short}`;
    const declaration = interfaces.get(name);
    if (declaration === undefined) throw new Error(`crd-fields: no interface ${name}`);
    const keys = jsonKeys.get(name) ?? new Map();
    const fields: Record<string, [FieldType, 0 | 1]> = {};
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member) || member.type === undefined) continue;
      const prop = member.name.getText();
      const type = typeOf(member.type);
      fields[keys.get(prop) ?? prop] = [type, member.questionToken ? 0 : 1];
      for (const ref of references(type)) pending.push(ref);
    }
    table[short] = fields;
  }
  const sorted = Object.fromEntries(
    Object.keys(table)
      .sort()
      .map((key) => [key, table[key]]),
  );
  return [
    `// Generated by tools/crd-fields.ts from imports/opentelemetry.io.ts (cdk8s import of the OpenTelemetry`,
    `// Operator's OpenTelemetryCollector CRD at release ${release}). Do not edit; regenerate with \`npm run import\`.`,
    '',
    '/** The operator release whose CRD the table is generated from. */',
    `export const OPENTELEMETRY_COLLECTOR_CRD_RELEASE = '${release}';`,
    '',
    '/**',
    ' * A field type: `s` string, `n` number, `b` boolean, `a` anything, `q` a number or a',
    ' * string, a type of the table by name, a list `[T]`, a map `{ m: T }`, an enum `{ e: values }`.',
    ' */',
    'export type CrdFieldType = string | [CrdFieldType] | { readonly m: CrdFieldType } | { readonly e: readonly string[] };',
    '',
    "/** The spec's types, by name (`Spec` first): each field's JSON key, its type, and 1 when it is required. */",
    `export const OPENTELEMETRY_COLLECTOR_SPEC_TYPES: Readonly<Record<string, Readonly<Record<string, readonly [CrdFieldType, 0 | 1]>>>> = ${JSON.stringify(sorted)};`,
    '',
  ].join('\n');
}

/** The `obj.<member>` an initializer reads, if any. */
function findMember(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'obj') {
    return node.name.text;
  }
  return ts.forEachChild(node, findMember);
}

/** The type names a field type refers to. */
function references(type: FieldType): string[] {
  if (typeof type === 'string') return type.length > 1 ? [type] : [];
  if (Array.isArray(type)) return references(type[0]);
  if ('m' in type) return references(type.m);
  return [];
}
