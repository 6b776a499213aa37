import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';

/**
 * Checks a CloudFormation template against the AWS CDK's own database of
 * resource types (`@aws-cdk/aws-service-spec`, built from the CloudFormation
 * registry schemas): every resource type exists, every property is one of
 * its type's, every required property is there, and every value has the
 * property's type. Intrinsic functions (`Ref`, `Fn::*`) stand for any value:
 * CloudFormation resolves them, and the template's own parameters and rules
 * are checked by CloudFormation before it creates anything.
 */

let database: SpecDatabase | undefined;

/** The database, loaded once (about 0.6 s). */
function spec(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

/** A template's resources section, as far as we read it. */
interface Template {
  readonly Resources?: Readonly<Record<string, { readonly Type?: unknown; readonly Properties?: unknown }>>;
}

/** An intrinsic function or reference: one key, `Ref` or `Fn::...`. */
function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
}

/** The problems of one value against its property type, each with its path. */
function checkValue(db: SpecDatabase, type: PropertyType, value: unknown, path: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'string':
    case 'date-time':
      return typeof value === 'string' ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
    case 'number':
    case 'integer':
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        ? []
        : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? []
        : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'json':
      return typeof value === 'object' || typeof value === 'string' ? [] : [`${path}: expected JSON`];
    case 'null':
      return value === null ? [] : [`${path}: expected null`];
    case 'tag':
      return checkProperties(
        { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } },
        value,
        path,
        db,
      );
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => checkValue(db, type.element, item, `${path}[${i}]`))
        : [`${path}: expected a list, got ${JSON.stringify(value)}`];
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, item]) => checkValue(db, type.element, item, `${path}.${key}`))
        : [`${path}: expected a map, got ${JSON.stringify(value)}`];
    case 'union': {
      const fits = type.types.some((member) => checkValue(db, member, value, path).length === 0);
      return fits ? [] : [`${path}: ${JSON.stringify(value)} fits none of its types`];
    }
    case 'ref':
      return checkProperties(db.get('typeDefinition', type.reference.$ref).properties, value, path, db);
  }
}

/** The problems of an object against a resource's or a structure's properties. */
function checkProperties(properties: ResourceProperties, value: unknown, path: string, db: SpecDatabase): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: expected an object, got ${JSON.stringify(value)}`];
  }
  const given = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, item] of Object.entries(given)) {
    const property = properties[name];
    if (property === undefined) problems.push(`${path}.${name}: no such property`);
    else problems.push(...checkValue(db, property.type, item, `${path}.${name}`));
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in given)) problems.push(`${path}.${name}: required, missing`);
  }
  return problems;
}

/** The template's problems against the CloudFormation resource types; none when it is valid. */
export function cloudFormationProblems(template: unknown): string[] {
  const db = spec();
  const resources = (template as Template).Resources;
  if (typeof resources !== 'object' || resources === null) return ['Resources: missing'];
  return Object.entries(resources).flatMap(([id, resource]) => {
    const type = resource.Type;
    const found = typeof type === 'string' ? db.lookup('resource', 'cloudFormationType', 'equals', type) : [];
    const definition = found[0];
    if (definition === undefined) return [`${id}: unknown resource type ${JSON.stringify(type)}`];
    return checkProperties(definition.properties, resource.Properties ?? {}, `${id} (${type})`, db);
  });
}
