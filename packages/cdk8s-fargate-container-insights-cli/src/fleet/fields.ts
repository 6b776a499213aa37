import { ValidationError } from 'cdk8s-fargate-container-insights';
import {
  invalidInput,
  showValue,
  unknownFieldMessage,
  validateInteger,
} from 'cdk8s-fargate-container-insights/internal';

/** A location in the input, as keys and indexes: `['clusters', 2, 'region']`. */
export type InputPath = readonly (string | number)[];

/** How a path reads in a message: `clusters[2].region`. */
export function pathLabel(path: InputPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** One problem with the input: where, and what. */
export interface Issue {
  readonly path: InputPath;
  readonly message: string;
  /** Points at the key rather than its value (unknown fields). */
  readonly atKey?: boolean;
}

export type FieldType = 'string' | 'integer' | 'boolean' | 'object' | 'list';

export interface Field {
  readonly type: FieldType;
  readonly required?: boolean;
  /** What the field means, for the JSON schema (editors show it). */
  readonly description: string;
  /** Throws a ValidationError naming `input` when the value is not accepted. */
  readonly check?: (input: string, value: never) => unknown;
  /** What `check` accepts, as far as a JSON schema can say it. */
  readonly schema?: Readonly<Record<string, unknown>>;
}

export const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  list: 'a list',
};

function pattern(regex: RegExp, accepted: string) {
  return (input: string, value: string) => {
    if (!regex.test(value)) invalidInput(input, value, accepted);
  };
}

/** A field that takes one of `values`. */
export function oneOf(
  type: 'string' | 'integer',
  description: string,
  values: readonly (string | number)[],
  accepted: string,
): Field {
  const check = (input: string, value: string | number) => {
    if (!values.includes(value)) invalidInput(input, value, accepted);
  };
  return { type, description, check, schema: { enum: values } };
}

/** A whole-number field from `minimum` to `maximum`: the check and the schema from the one pair of bounds. */
export function wholeNumber(description: string, minimum: number, maximum: number): Field {
  const check = (input: string, value: number) => validateInteger(input, value, minimum, maximum);
  return { type: 'integer', description, check, schema: { minimum, maximum } };
}

/** A string field checked by `check`, whose values match `regex`. */
export function text(
  description: string,
  regex: RegExp,
  check: (input: string, value: string) => unknown,
  required = false,
): Field {
  return { type: 'string', description, required, check, schema: { pattern: regex.source } };
}

/** A string field checked against `regex`, with `accepted` in the error. */
export function matching(description: string, regex: RegExp, accepted: string, required = false): Field {
  return text(description, regex, pattern(regex, accepted), required);
}

function typeOf(value: unknown): FieldType | 'null' | 'other' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'other';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return 'other';
}

/**
 * Checks the fields of one mapping against their specification: unknown
 * fields, missing required ones (unless `inherited` has them), types, and each
 * field's own check. Returns the issues; never throws.
 */
export function checkFields(
  value: unknown,
  path: InputPath,
  fields: Readonly<Record<string, Field>>,
  issues: Issue[],
  inherited: Readonly<Record<string, unknown>> = {},
): value is Record<string, unknown> {
  if (typeOf(value) !== 'object') {
    issues.push({
      path,
      message: `Invalid ${path.length === 0 ? 'clusters file' : pathLabel(path)} ${showValue(value)}: expected ${TYPE_NAMES.object} (${Object.keys(fields).join(', ')}).`,
    });
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in fields)) {
      issues.push({
        path: [...path, key],
        atKey: true,
        message: unknownFieldMessage(pathLabel([...path, key]), key, Object.keys(fields)),
      });
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    const fieldPath = [...path, key];
    const input = pathLabel(fieldPath);
    const fieldValue = record[key];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required && inherited[key] === undefined) {
        issues.push({ path, message: `Missing field ${input}: expected ${TYPE_NAMES[field.type]}.` });
      }
      continue;
    }
    if (typeOf(fieldValue) !== field.type) {
      issues.push({
        path: fieldPath,
        message: `Invalid ${input} ${showValue(fieldValue)}: expected ${TYPE_NAMES[field.type]}.`,
      });
      continue;
    }
    try {
      field.check?.(input, fieldValue as never);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push({ path: fieldPath, message: error.message });
    }
  }
  return true;
}

export function withoutNulls(value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null));
}

const JSON_TYPES: Readonly<Record<FieldType, string>> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  object: 'object',
  list: 'array',
};

/** A JSON schema object for a table of fields; `nested` gives the schema of object and list fields. */
export function objectSchema(
  fields: Readonly<Record<string, Field>>,
  nested: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
  inherited: readonly string[] = [],
): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.entries(fields)
      .filter(([key, field]) => field.required && !inherited.includes(key))
      .map(([key]) => key),
    properties: Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [
        key,
        { description: field.description, type: JSON_TYPES[field.type], ...field.schema, ...nested[key] },
      ]),
    ),
  };
}

export function fail(issues: readonly Issue[], where: (issue: Issue) => string): never {
  const shown = issues.slice(0, 20).map((issue) => `${where(issue)}${issue.message}`);
  if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more.`);
  const header = issues.length === 1 ? '' : `${issues.length} problems in the fleet:\n  `;
  throw new ValidationError(`${header}${shown.join('\n  ')}`);
}
