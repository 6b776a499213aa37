import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { buildCluster, estimateLines } from '../packages/cdk8s-fargate-container-insights-cli/src/app/app';
import {
  APP_VARIABLES,
  settingsFromEnvironment,
} from '../packages/cdk8s-fargate-container-insights-cli/src/app/app-settings';
import { run } from '../packages/cdk8s-fargate-container-insights-cli/src/cli';
import { parseCommandLine } from '../packages/cdk8s-fargate-container-insights-cli/src/cli/arguments';
import { FLEET_DASHBOARD_FILE } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet';
import {
  estimateFleet,
  formatFleetCollectors,
} from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-estimate';
import { parseFleet, readFleetFile } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-file';
import { fleetJsonSchema } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-spec';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { CONSOLE_DECLARATIONS, PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { defaultExpectedWorkloads, estimateCustomMetrics, estimatePerformanceLogs } from '../src/config/cost-estimate';
import { sizeCollector } from '../src/fargate/collector-sizing';
import { PREREQUISITE_FILES } from '../src/prerequisites/prerequisites';
import { readTree } from '../tools/folders';
import { parseManifest, validateManifest } from '../tools/manifests';

/**
 * The README, the guides under docs/ and CONTRIBUTING.md are true: each `ts`
 * block compiles and synthesizes, each shown message and table is what the
 * code gives, each `npm run` names a script, and each relative link and
 * anchor exists. docs/API.md is generated (api-docs.test.ts checks it); its
 * anchors are link targets here.
 */
const ROOT = join(__dirname, '..');
const GUIDES = readdirSync(join(ROOT, 'docs'))
  .filter((file) => file.endsWith('.md') && file !== 'API.md')
  .sort()
  .map((file) => `docs/${file}`);
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...GUIDES,
  'packages/cdk8s-fargate-container-insights-aws/README.md',
  'packages/cdk8s-fargate-container-insights-cli/README.md',
];
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const README = text('README.md');
/** Every document, one after the other, for the checks that look for a block wherever it is. */
const ALL = DOCS.map(text).join('\n');
const blocks = DOCS.flatMap((file) =>
  [...text(file).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({ file, code: m[1] as string })),
);

// Inside the project, so the examples resolve cdk8s from its node_modules.
const work = join(ROOT, '.readme-examples');
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const files = blocks.map(({ file, code }, i) => {
  const path = join(work, `example-${i}.ts`);
  // The package name resolves to this checkout's sources.
  writeFileSync(path, code.replaceAll("from 'cdk8s-fargate-container-insights'", "from '../src'"));
  return { doc: file, path };
});

describe('code examples', () => {
  test('the README and the guides have TypeScript examples', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  test('every example type-checks', () => {
    // The project's settings, whose paths resolve the companion package (and the main package it imports) to sources.
    const project = join(work, 'tsconfig.json');
    writeFileSync(
      project,
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noEmit: true },
        include: [],
        files: files.map((f) => f.path),
      }),
    );
    const tsc = spawnSync('npx', ['tsc', '-p', project], { cwd: ROOT, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  });

  test.each(files.map(({ doc, path }, i) => [i, doc, path]))(
    'example %i (%s) synthesizes a valid collector',
    (_, _doc, file) => {
      const outdir = mkdtempSync(join(tmpdir(), 'readme-'));
      try {
        const run = spawnSync('npx', ['tsx', file], {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, CDK8S_OUTDIR: outdir },
        });
        expect(run.status, run.stderr).toBe(0);
        const text = Object.entries(readTree(outdir))
          // The manifests; a fleet's prerequisites (eksctl, IAM) are checked by their own tests.
          .filter(([file]) => file.endsWith('.yaml') && !file.startsWith('prerequisites/'))
          .map(([, yaml]) => yaml)
          .join('---\n');
        // A collector in either mode, with its IRSA service account; every object valid.
        expect(text).toMatch(/kind: (StatefulSet|OpenTelemetryCollector)\n/);
        expect(text).toContain('eks.amazonaws.com/role-arn');
        for (const object of parseManifest(text)) validateManifest(object);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
  );

  test('the error example is the message the library gives', () => {
    const shown = /```text\n(ValidationError: .*)\n```/.exec(README)?.[1];
    expect(shown).toBeDefined();
    let message = '';
    try {
      new FargateContainerInsightsCollector(Testing.chart(), 'C', {
        clusterName: 'prod-eu',
        region: 'eu-west-1',
        serviceAccountRoleArn: 'arn:aws:iam::123:role/x',
      });
    } catch (error) {
      message = `${(error as Error).name}: ${(error as Error).message}`;
    }
    expect(message).toBe(shown);
  });
});

describe('shown output', () => {
  test("the fleet error example is the message for the guide's own clusters file, with the two mistakes it names", () => {
    const guide = text('docs/fleets-and-gitops.md');
    const shown =
      /```text\n(error: \d+ problems in the fleet:[\s\S]*?)\n[^\n]* (?:was|were) left unchanged\.\n```/.exec(
        guide,
      )?.[1];
    expect(shown).toBeDefined();
    const example = /```yaml\n(defaults:[\s\S]*?)```/.exec(guide)?.[1] ?? '';
    expect(guide.replace(/\s+/g, ' ')).toContain(
      'With `region: us-east` and `replica: 2` on the second cluster of the file above',
    );
    // The second cluster's region, and its replicas spelt without the s.
    const broken = example
      .replace('    region: us-east-1\n', '    region: us-east\n')
      .replace('    replicas: 2', '    replica: 2');
    expect(broken).not.toBe(example);
    expect(() => parseFleet(broken, 'clusters.yaml')).toThrow(shown?.replace(/^error: /, ''));
  });

  test("the fleets guide's field table lists every cluster field the validation knows", () => {
    const guide = text('docs/fleets-and-gitops.md');
    const listed = [...guide.matchAll(/^\| `(\w+)` +\| (?:yes|no) /gm)].map((m) => m[1]);
    const schema = fleetJsonSchema() as { properties: { clusters: { items: { properties: object } } } };
    expect(listed).toStrictEqual(Object.keys(schema.properties.clusters.items.properties));
  });

  test('the refused-folder example is the message the command gives for a note in dist/', async () => {
    const shown = /```text\n(error: Invalid output of clusters\.yaml "dist": [^\n]*)\n/.exec(ALL)?.[1];
    expect(shown).toBeDefined();
    const project = mkdtempSync(join(tmpdir(), 'docs-refused-'));
    const cwd = process.cwd();
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => {
      errors.push(line);
    });
    try {
      writeFileSync(
        join(project, 'clusters.yaml'),
        'clusters:\n  - { name: a, region: eu-west-1, serviceAccountRoleArn: "arn:aws:iam::111122223333:role/a" }\n',
      );
      mkdirSync(join(project, 'dist'));
      writeFileSync(join(project, 'dist', 'notes.md'), 'mine\n');
      process.chdir(project);
      expect(await run(['fleet', 'clusters.yaml'])).toBe(1);
    } finally {
      process.chdir(cwd);
      spy.mockRestore();
      rmSync(project, { recursive: true, force: true });
    }
    expect(errors[0]).toBe(shown);
  });

  test('the benchmark table has the rows the bench script prints: each size without and with templates, then beside the baseline', () => {
    const rows = [
      ...ALL.matchAll(
        /^\| ((?:1|100|1000)(?:, [a-z ]+)?(?: \(\w+\))?) +\| +([\d.]+) s \| +[\d.]+ - [\d.]+ s \| +(\d+) MiB/gm,
      ),
    ].map((m) => m[1]?.trim());
    expect(rows).toStrictEqual([
      '1',
      '1, templates',
      '100',
      '100, templates',
      '1000',
      '1000, templates',
      '1000, no pod health',
      '1000, no pod health (dc36be2)',
    ]);
  });
});

describe('metric costs', () => {
  test('the cost table is what estimateCustomMetrics gives for each profile and the console declarations alone', () => {
    const cell = ' +([\\d,]+) / \\$([\\d,.]+) +';
    const rows = [...ALL.matchAll(new RegExp(`^\\| +(\\d+) \\((\\d+)\\) +\\|${cell}\\|${cell}\\|${cell}\\|$`, 'gm'))];
    expect(rows.map((r) => r[1])).toStrictEqual(['10', '100', '1000']);
    const columns = [PROFILE_DECLARATIONS.reference, PROFILE_DECLARATIONS.console, CONSOLE_DECLARATIONS];
    for (const [, pods, namespaces, ...cells] of rows) {
      columns.forEach((declarations, i) => {
        const estimate = estimateCustomMetrics({
          declarations,
          namespaces: Number(namespaces),
          pods: Number(pods),
          workloads: defaultExpectedWorkloads(Number(pods), Number(namespaces)),
          podNamePer: 'workload',
        });
        expect(estimate.customMetrics).toBe(Number(cells[2 * i]?.replaceAll(',', '')));
        expect(estimate.monthlyUsd.toFixed(2)).toBe(cells[2 * i + 1]?.replaceAll(',', ''));
      });
    }
  });

  test('the custom metrics line is the one npm run synth prints for the default app', () => {
    expect(ALL).toContain(`\n${appBill()[1]}\n`);
  });
});

/** The bill `npm run synth` prints after synthesizing the app with these variables (the demo cluster by default). */
function appBill(env: Record<string, string> = {}): string[] {
  const settings = settingsFromEnvironment(env);
  return estimateLines(settings, buildCluster(settings, '/nonexistent'));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\\(.)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file has: its headings' slugs (numbered when repeated) and its `<a id>`s. */
function anchors(file: string): Set<string> {
  const found = new Set<string>();
  const counts = new Map<string, number>();
  const body = text(file).replace(/```[\s\S]*?```/g, '');
  for (const [, heading] of body.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading as string);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of body.matchAll(/<a id="([^"]+)"><\/a>/g)) found.add(id as string);
  return found;
}

describe('collector sizing', () => {
  test('the sizing table is what sizeCollector gives at 60 s scrapes', () => {
    const rows = [
      ...ALL.matchAll(
        /^\| +(\d+) \((\d+)\) \| +(\d+) \| ([\d.]+) vCPU, (\d+) GB +\| (\d+)m, (\d+) MiB +\| +\$([\d.]+) \|$/gm,
      ),
    ];
    expect(rows.map((r) => r[1])).toStrictEqual(['10', '100', '500', '1000', '3000']);
    for (const [, pods, replicas, each, vcpu, gb, millis, mib, usd] of rows) {
      const sizing = sizeCollector({
        expectedPods: Number(pods),
        replicas: Number(replicas),
        scrapeIntervalSeconds: 60,
      });
      expect(sizing.nodesPerReplica).toBe(Number(each));
      expect(sizing.fargateSize).toStrictEqual({ vcpu: Number(vcpu), memoryGiB: Number(gb) });
      expect([sizing.cpuMillis, sizing.memoryMiB]).toStrictEqual([Number(millis), Number(mib)]);
      expect(sizing.monthlyUsd.toFixed(2)).toBe(usd);
    }
  });

  test('the collector lines npm run synth prints are the ones the guide shows', () => {
    expect(ALL).toContain(`\n${appBill().find((line) => line.includes(' collector: '))}\n`);
    expect(ALL).toContain(`\n${appBill({ EXPECTED_PODS: '2500' }).find((line) => line.startsWith('Above '))}\n`);
    const { fleet } = readFleetFile(join(ROOT, 'examples', 'fleet', 'clusters.yaml'));
    expect(ALL).toContain(formatFleetCollectors(fleet, estimateFleet(fleet)));
  });
});

describe('the whole bill', () => {
  test('the table is what the estimates give for the reference profile, 30-day retention and one replica', () => {
    const money = ' +\\$([\\d,.]+) +';
    const rows = [
      ...ALL.matchAll(new RegExp(`^\\| +(\\d+) \\((\\d+)\\) +\\|${money}\\|${money}\\|${money}\\|${money}\\|$`, 'gm')),
    ];
    expect(rows.map((r) => r[1])).toStrictEqual(['10', '100', '1000']);
    for (const [, pods, namespaces, ...cells] of rows) {
      const metrics = estimateCustomMetrics({
        declarations: PROFILE_DECLARATIONS.reference,
        namespaces: Number(namespaces),
        pods: Number(pods),
        workloads: defaultExpectedWorkloads(Number(pods), Number(namespaces)),
        podNamePer: 'workload',
      });
      const logs = estimatePerformanceLogs({ pods: Number(pods), scrapeIntervalSeconds: 60, retentionDays: 30 });
      const sizing = sizeCollector({ expectedPods: Number(pods), replicas: 1, scrapeIntervalSeconds: 60 });
      const parts = [metrics.monthlyUsd, logs.ingestionUsd + logs.storageUsd, sizing.monthlyUsd];
      const shown = cells.map((c) => c.replaceAll(',', ''));
      expect(shown).toStrictEqual([...parts, parts[0] + parts[1] + parts[2]].map((n) => n.toFixed(2)));
    }
  });

  test('the bill npm run synth prints for the default app is the one the guide shows', () => {
    expect(ALL).toContain(`\n${appBill().join('\n')}\n`);
  });
});

describe('documents', () => {
  test('README.md is a front page: at most 20,000 characters', () => {
    expect(README.length).toBeLessThanOrEqual(20_000);
  });

  test('the README maps every guide, and the API reference', () => {
    for (const guide of [...GUIDES, 'docs/API.md']) expect(README, guide).toContain(`](${guide})`);
  });

  test.each(DOCS)('%s: every relative link and anchor exists', (file) => {
    const body = text(file).replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of body.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target as string)) continue; // https:, mailto:
      const [path, anchor] = (target as string).split('#') as [string, string | undefined];
      const linked = path === '' ? file : normalize(join(dirname(file), path));
      if (!existsSync(join(ROOT, linked))) broken.push(`${target}: no ${linked}`);
      else if (anchor !== undefined && linked.endsWith('.md') && !anchors(linked).has(anchor)) {
        broken.push(`${target}: no heading #${anchor} in ${linked}`);
      }
    }
    expect(broken).toStrictEqual([]);
  });

  test.each(DOCS)('%s: every `npm run` names a script of package.json', (file) => {
    const scripts = Object.keys(JSON.parse(text('package.json')).scripts as Record<string, string>);
    const named = [...text(file).matchAll(/npm run(?: -s| --silent)? ([a-z:-]+)/g)].map((m) => m[1] as string);
    for (const name of named) expect(scripts, `npm run ${name}`).toContain(name);
  });

  test.each(DOCS)('%s: every variable a shell example sets is one the app, the scripts or the tests read', (file) => {
    const readers = [
      'main.ts',
      'packages/cdk8s-fargate-container-insights-cli/src/fleet/cluster-settings.ts',
      ...[
        'packages/cdk8s-fargate-container-insights-cli/src/app',
        'scripts',
        'tools',
        'test/support',
        'test/conformance',
      ].flatMap((dir) => readdirSync(join(ROOT, dir)).map((f) => `${dir}/${f}`)),
    ]
      .map(text)
      .join('\n');
    const shell = [...text(file).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    for (const [, name] of shell.matchAll(/(?:^|[\s\\])([A-Z][A-Z0-9_]+)=/gm)) {
      expect(readers, `${file} sets ${name}`).toContain(name as string);
    }
  });

  test("the README's table of the app's variables lists each variable the app reads, from the settings table", () => {
    const section = README.slice(README.indexOf('| `CLUSTER_NAME`'));
    const table = section.slice(0, section.search(/\n\n/));
    const listed = [...table.matchAll(/^\| ([^|]+)\|/gm)].flatMap((row) =>
      [...(row[1] as string).matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1] as string),
    );
    expect([...listed].sort()).toStrictEqual([...APP_VARIABLES].sort());
  });

  test.each(DOCS)('%s: every command line of the package command is one it accepts', (file) => {
    const shell = [...text(file).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string).join('\n');
    for (const [, args] of shell.matchAll(/^\s*(?:npx )?cdk8s-fargate-container-insights\b([^#\n]*)/gm)) {
      const argv = (args as string)
        .trim()
        .split(/\s+/)
        .filter((a) => a !== '');
      expect(parseCommandLine(argv).kind, `${file}: cdk8s-fargate-container-insights ${argv.join(' ')}`).not.toBe(
        'usage error',
      );
    }
  });

  test('every prerequisites file the docs and the example fleet name is one this tool writes', () => {
    const written: readonly string[] = [...Object.values(PREREQUISITE_FILES), basename(FLEET_DASHBOARD_FILE)];
    for (const file of [...DOCS, 'examples/fleet/clusters.yaml']) {
      for (const [, name] of text(file).matchAll(/prerequisites\/(?:[\w<>.-]+\/)*([\w-]+\.(?:json|yaml))\b/g)) {
        expect(written, `${file} names prerequisites/.../${name}`).toContain(name);
      }
    }
  });

  test('cdk8s.yaml names no path outside the repository', () => {
    expect(text('cdk8s.yaml')).not.toMatch(/(^|\s)\/|\.\.\//m);
  });

  test('the anchors are read as GitHub writes them', () => {
    expect(slug('`npm run synth` and `cdk8s synth`')).toBe('npm-run-synth-and-cdk8s-synth');
    expect(slug('Operator mode (ADOT EKS add-on)')).toBe('operator-mode-adot-eks-add-on');
    expect(slug('V0\\_40\\_0')).toBe('v0_40_0');
  });
});
