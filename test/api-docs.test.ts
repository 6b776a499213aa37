import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { API_DOC_FILE, generateApiDoc } from '../tools/api-docs';

test('docs/API.md is what TypeDoc generates from the code now (run `npm run docs`)', () => {
  const fresh = generateApiDoc();
  expect(readFileSync(API_DOC_FILE, 'utf8') === fresh, 'docs/API.md is stale: run `npm run docs` and commit it').toBe(
    true,
  );
  // The reference covers the constructs and their props.
  for (const name of [
    'FargateContainerInsightsCollector',
    'FargateContainerInsightsCollectorProps',
    'FargateContainerInsightsOperatorCollector',
    'FargateLogging',
    'SampleGoWebapp',
    'AdotVersion',
  ]) {
    expect(fresh).toContain(`### ${name}\n`);
  }
});
