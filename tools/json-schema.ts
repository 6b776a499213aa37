import Ajv from 'ajv';

/**
 * JSON schema helpers shared by the custom resource schemas (crd-schemas.ts)
 * and the prerequisite schemas (prerequisite-schemas.ts): closed objects, and
 * one strict Ajv that reports every error by its path.
 */

/** A JSON schema. */
export type Schema = Readonly<Record<string, unknown>>;

/**
 * An object with exactly these properties allowed (`additionalProperties:
 * false`), so a misspelt or unsupported field fails.
 *
 * @param required the required properties, or `'all'`
 */
export function object(properties: Readonly<Record<string, Schema>>, required: readonly string[] | 'all' = []): Schema {
  return {
    type: 'object',
    properties,
    required: required === 'all' ? Object.keys(properties) : required,
    additionalProperties: false,
  };
}

const ajv = new Ajv({ allErrors: true, strict: true });

/** Compiles a schema into a check that returns the errors as one line (`/path message; ...`), or undefined when valid. */
export function schemaCheck(schema: Schema): (data: unknown) => string | undefined {
  const validate = ajv.compile(schema);
  return (data) =>
    validate(data) ? undefined : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}
