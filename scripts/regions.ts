import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRegionTable } from '../tools/aws-regions';

/**
 * `npm run regions`: writes src/core/aws-regions.ts, the AWS partitions and
 * their regions, from the partitions data the AWS SDK for JavaScript v3
 * resolves endpoints with (the @aws-sdk/core development dependency).
 * test/validation.test.ts checks that the committed file is what this writes.
 */
const target = join(__dirname, '..', 'src', 'core', 'aws-regions.ts');
const text = renderRegionTable();
if (readFileSync(target, { encoding: 'utf8', flag: 'a+' }) === text) {
  console.log(`${target} is up to date.`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
