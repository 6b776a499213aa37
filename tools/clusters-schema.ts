import { join } from 'node:path';
import { fleetJsonSchema } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-spec';

/**
 * clusters.schema.json, the JSON schema of a clusters file for editors, from
 * the field tables the validation uses: written by `npm run schema`, checked
 * for drift by the tests.
 */

/** The schema file's path. */
export const SCHEMA_FILE = join(
  __dirname,
  '..',
  'packages/cdk8s-fargate-container-insights-cli',
  'clusters.schema.json',
);

/** The schema file's text, as `npm run schema` writes it. */
export const schemaText = (): string => `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
