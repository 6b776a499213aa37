import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { inReleaseWords } from '../src/config/release-dialect';
import { escapeDollars, renderCollectorConfig } from '../src/config/render';
import { buildConfig, loadCollectorConfig } from './support/collector';

const config = buildConfig();

describe('escapeDollars', () => {
  test.each([
    ['plain', 'plain'],
    ['^$', '^$$'],
    ['/api/v1/nodes/${1}/proxy', '/api/v1/nodes/$${1}/proxy'],
    ['$$', '$$$$'],
    ['container_$1', 'container_$$1'],
  ])('%j -> %j', (input, output) => {
    expect(escapeDollars(input)).toBe(output);
  });
});

describe('renderCollectorConfig', () => {
  const text = renderCollectorConfig(config, AdotVersion.DEFAULT);

  test('the collector reads back exactly the model', () => {
    expect(loadCollectorConfig(text)).toStrictEqual(
      JSON.parse(JSON.stringify(inReleaseWords(config, AdotVersion.DEFAULT))),
    );
  });

  test('every dollar sign in the file is escaped', () => {
    const runs = text.match(/\$+/g) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run.length % 2, run).toBe(0);
  });

  test('the Prometheus capture group and the regex anchors reach the collector as single dollars', () => {
    expect(text).toContain('replacement: /api/v1/nodes/$${1}/proxy/metrics/cadvisor');
    expect(text).toContain('include: ^new_container_(.*)$$');
    expect(text).toContain('new_name: container_$$1');
    expect(text).toMatch(/image: \^\$\$\n/);
  });

  test('rendering is deterministic', () => {
    expect(renderCollectorConfig(config, AdotVersion.DEFAULT)).toBe(text);
  });
});
