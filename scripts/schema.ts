import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetJsonSchema } from '../src/fleet-spec';
import { ROOT } from './stage';

/**
 * `npm run schema`: writes clusters.schema.json, the JSON schema of a clusters
 * file for editors, from the field tables the validation uses. The tests fail
 * when the committed file is out of date.
 */

/** The schema file's path and text. */
export const SCHEMA_FILE = join(ROOT, 'clusters.schema.json');
export const schemaText = (): string => `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log('clusters.schema.json written.');
}
