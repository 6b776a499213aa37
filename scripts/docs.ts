import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { API_DOC_FILE, generateApiDoc } from '../tools/api-docs';

/** `npm run docs`: regenerates docs/API.md from the TSDoc of the public API. */
try {
  const text = generateApiDoc();
  mkdirSync(dirname(API_DOC_FILE), { recursive: true });
  writeFileSync(API_DOC_FILE, text);
  console.log('docs/API.md written.');
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  console.error('docs/API.md was left unchanged.');
  process.exit(1);
}
