import { writeFileSync } from 'node:fs';
import { CRD_FIELDS_FILE, generateCrdFields } from '../tools/crd-fields';
import { CRD_IMPORT_FILE, CRD_IMPORT_RELEASE, generateCrdImport } from '../tools/crd-import';

/**
 * `npm run import -- <crd file> [release]`: regenerates
 * imports/opentelemetry.io.ts from the OpenTelemetry Operator's
 * `opentelemetrycollectors` CRD (default release: the one the committed file
 * names), then the `validate` command's field table from it
 * (packages/cdk8s-fargate-container-insights-cli/src/cli/opentelemetry-collector-fields.ts). Without a CRD file, only the
 * table, from the committed imports.
 */
const [crdFile, release = CRD_IMPORT_RELEASE] = process.argv.slice(2);
try {
  if (crdFile !== undefined) {
    writeFileSync(CRD_IMPORT_FILE, generateCrdImport(crdFile, release));
    console.log(`imports/opentelemetry.io.ts written from ${crdFile} (${release}).`);
  }
  writeFileSync(CRD_FIELDS_FILE, generateCrdFields());
  console.log(
    'packages/cdk8s-fargate-container-insights-cli/src/cli/opentelemetry-collector-fields.ts written from imports/opentelemetry.io.ts.',
  );
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  console.error('The files not named above were left unchanged.');
  process.exit(1);
}
