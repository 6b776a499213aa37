import { writeFileSync } from 'node:fs';
import { CRD_IMPORT_FILE, CRD_IMPORT_RELEASE, generateCrdImport } from '../tools/crd-import';

/**
 * `npm run import -- <crd file> [release]`: regenerates
 * imports/opentelemetry.io.ts from the OpenTelemetry Operator's
 * `opentelemetrycollectors` CRD (default release: the one the committed file
 * names).
 */
const [crdFile, release = CRD_IMPORT_RELEASE] = process.argv.slice(2);
if (crdFile === undefined) {
  console.error('usage: npm run import -- <opentelemetrycollectors CRD file> [release tag]');
  process.exit(2);
}
try {
  writeFileSync(CRD_IMPORT_FILE, generateCrdImport(crdFile, release));
  console.log(`imports/opentelemetry.io.ts written from ${crdFile} (${release}).`);
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  console.error('imports/opentelemetry.io.ts was left unchanged.');
  process.exit(1);
}
