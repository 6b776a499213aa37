import { writeFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaText } from '../tools/clusters-schema';

/** `npm run schema`: rewrites clusters.schema.json from the field tables the validation uses. */
writeFileSync(SCHEMA_FILE, schemaText());
console.log('clusters.schema.json written.');
