import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

test('npm pack ships only the compiled library, its types, the clusters file schema, the README, the guides and the licence', () => {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts=false'], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const [pack] = JSON.parse(run.stdout) as Array<{ files: Array<{ path: string }> }>;
  const paths = pack.files.map((f) => f.path).sort();
  expect(paths).toContain('lib/index.js');
  expect(paths).toContain('lib/index.d.ts');
  expect(paths).toContain('lib/collector/fargate-container-insights-collector.d.ts');
  // The bin and the worker thread it starts.
  expect(paths).toContain('lib/cli.js');
  expect(paths).toContain('lib/fleet/fleet-worker.js');
  expect(paths).toContain('clusters.schema.json');
  // The README links to the guides and the API reference, and the licence ships with the code.
  expect(paths).toContain('docs/API.md');
  expect(paths).toContain('LICENSE');
  for (const path of paths) {
    expect(path, path).toMatch(
      /^(lib\/([a-z-]+\/)?[a-z-]+\.(js|d\.ts)|clusters\.schema\.json|README\.md|docs\/[a-zA-Z-]+\.md|LICENSE|package\.json)$/,
    );
  }
});
