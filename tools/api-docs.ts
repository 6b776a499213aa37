import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * docs/API.md, the API reference, generated from the TSDoc of the public API
 * (src/index.ts) by TypeDoc with typedoc-plugin-markdown, configured in
 * typedoc.json. An undocumented export is an error (`treatWarningsAsErrors`
 * with `validation.notDocumented`). Written by `npm run docs`, checked for
 * drift by the tests.
 */

const ROOT = join(__dirname, '..');

/** The committed reference's path. */
export const API_DOC_FILE = join(ROOT, 'docs', 'API.md');

/** The reference as TypeDoc generates it now; throws with TypeDoc's output when it reports any warning or error. */
export function generateApiDoc(): string {
  const out = mkdtempSync(join(tmpdir(), 'api-docs-'));
  try {
    const run = spawnSync('npx', ['typedoc', '--out', out, '--logLevel', 'Warn'], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(`typedoc exited with ${run.status ?? run.signal}:\n${run.stdout}${run.stderr}`);
    }
    return readFileSync(join(out, 'API.md'), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
