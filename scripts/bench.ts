import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { AdotVersion } from '../src/config/adot-version';
import { ROOT } from '../tools/stage';

/**
 * `npm run bench`: how long the compiled fleet command takes for 1, 100 and
 * 1000 clusters, and how much memory it needs, against the targets:
 *
 * - 1000 clusters in at most 5 s;
 * - t(1000) / t(100) at most 12 (linear, not quadratic, growth);
 * - one cluster in at most 0.5 s;
 * - 100 clusters with a CloudFormation template each (an OIDC issuer) in at
 *   most 1.5 times the same fleet without.
 *
 * Each size runs `node lib/src/cli.js fleet <clusters.yaml>` (after `npm run
 * build`) RUNS times in a fresh process and output folder; the wall time is
 * the median, from spawn to exit, so it includes starting Node and loading
 * the modules; peak memory is the largest maximum resident set size. The
 * fleet has every option in use: Argo CD and Flux objects, every tenth
 * cluster with the sample application, some with several replicas, an
 * older ADOT version or pod health; it writes each cluster's prerequisites too. Exits 1 when a
 * target is missed.
 */

const SIZES = [1, 100, 1000] as const;
/** The fleet sizes measured again with a CloudFormation template for every cluster (an OIDC issuer each). */
const TEMPLATE_SIZES = [1, 100] as const;
const RUNS = 3;
const TARGETS = { seconds1000: 5, ratio: 12, seconds1: 0.5, templates: 1.5 };

/** An OIDC issuer of the region, as EKS names them: what gives a cluster its CloudFormation template. */
function issuer(region: string, i: number): string {
  return `https://oidc.eks.${region}.amazonaws.com/id/${i.toString(16).toUpperCase().padStart(32, '0')}`;
}

function clustersFile(count: number, templates = false): string {
  const versions = AdotVersion.SUPPORTED;
  const lines = [
    'defaults:',
    '  region: eu-west-1',
    'clusters:',
    ...Array.from({ length: count }, (_, i) => {
      const name = `cluster-${String(i).padStart(4, '0')}`;
      return [
        `  - name: ${name}`,
        `    serviceAccountRoleArn: arn:aws:iam::111122223333:role/${name}-adot-collector`,
        ...(i % 10 === 0 ? ['    sampleApp: true'] : []),
        ...(i % 7 === 0 ? [`    replicas: ${2 + (i % 3)}`] : []),
        ...(i % 5 === 0 ? [`    adotVersion: ${versions[i % versions.length]}`] : []),
        ...(i % 3 === 0 ? ['    region: us-east-1'] : []),
        ...(templates ? [`    oidcIssuer: ${issuer(i % 3 === 0 ? 'us-east-1' : 'eu-west-1', i)}`] : []),
        // Pod health on every fourth cluster, the cluster profile on every eighth.
        ...(i % 4 === 0 ? ['    podHealth:', `      profile: ${i % 8 === 0 ? 'cluster' : 'full'}`] : []),
      ].join('\n');
    }),
    'gitops:',
    '  repoURL: https://github.com/example-org/platform-manifests.git',
    '  path: dist',
    '  argoCd: {}',
    '  flux: {}',
  ];
  return `${lines.join('\n')}\n`;
}

interface Measurement {
  readonly clusters: number;
  /** Every cluster with a CloudFormation template. */
  readonly templates: boolean;
  readonly seconds: number;
  readonly fastest: number;
  readonly slowest: number;
  readonly peakMiB: number;
  readonly files: string;
}

/** The arguments of one measured run of the compiled fleet command. */
function fleetCommand(rssReport: string, file: string, output: string, prerequisites: string): readonly string[] {
  return [
    '--require',
    rssReport,
    join(ROOT, 'lib', 'src', 'cli.js'),
    'fleet',
    file,
    '--output',
    output,
    '--prerequisites',
    prerequisites,
  ];
}

/** Seconds to synthesize the fleet of `file` again over the output of a previous synthesis. */
function rerun(work: string, file: string): number {
  const [output, prerequisites, rss] = [join(work, 'rerun-out'), join(work, 'rerun-pre'), join(work, 'rss.cjs')];
  const run = () => {
    spawnSync('sync');
    const start = performance.now();
    const child = spawnSync(process.execPath, [...fleetCommand(rss, file, output, prerequisites)], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`fleet rerun failed: ${child.stderr}`);
    return (performance.now() - start) / 1000;
  };
  run();
  return run();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measure(work: string, clusters: number, templates = false): Measurement {
  const file = join(work, `clusters-${clusters}${templates ? '-templates' : ''}.yaml`);
  writeFileSync(file, clustersFile(clusters, templates));
  // Preloaded into the measured process: its peak resident set size, worker threads included.
  const rssReport = join(work, 'rss.cjs');
  const rssFile = join(work, 'rss.txt');
  writeFileSync(
    rssReport,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const seconds: number[] = [];
  const peaks: number[] = [];
  let summary = '';
  for (let run = 0; run < RUNS; run++) {
    // New folders each run: every run writes a fresh synthesis, and removing
    // the previous run's files (slow on a file system mounted with `discard`)
    // is not counted. `rerun` below measures replacing an existing output.
    const output = join(work, `out-${clusters}-${run}`);
    const prerequisites = join(work, `pre-${clusters}-${run}`);
    // Flush what earlier runs wrote, so a run does not pay for their writeback.
    spawnSync('sync');
    const start = performance.now();
    const child = spawnSync(process.execPath, [...fleetCommand(rssReport, file, output, prerequisites)], {
      encoding: 'utf8',
    });
    seconds.push((performance.now() - start) / 1000);
    if (child.status !== 0) throw new Error(`fleet of ${clusters} failed: ${child.stderr}`);
    peaks.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
    summary = child.stdout.trim();
    rmSync(output, { recursive: true, force: true });
    rmSync(prerequisites, { recursive: true, force: true });
  }
  return {
    clusters,
    templates,
    seconds: median(seconds),
    fastest: Math.min(...seconds),
    slowest: Math.max(...seconds),
    peakMiB: Math.max(...peaks),
    files: summary,
  };
}

function main(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  console.log(
    `Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  console.log(`median of ${RUNS} runs of \`node lib/src/cli.js fleet <clusters.yaml>\`, from spawn to exit:\n`);
  // In the project folder: the same file system users write their output to.
  const work = mkdtempSync(join(ROOT, '.bench-'));
  const results: Measurement[] = [];
  try {
    console.log('| clusters | wall time (median) | fastest - slowest | peak memory (max RSS) | per cluster |');
    console.log('| -------: | -----------------: | ----------------: | --------------------: | ----------: |');
    const sizes = [
      ...SIZES.map((clusters) => [clusters, false] as const),
      ...TEMPLATE_SIZES.map((clusters) => [clusters, true] as const),
    ];
    for (const [clusters, templates] of sizes) {
      const m = measure(work, clusters, templates);
      results.push(m);
      console.log(
        `| ${m.clusters}${m.templates ? ', templates' : ''} | ${m.seconds.toFixed(2)} s | ${m.fastest.toFixed(2)} - ${m.slowest.toFixed(2)} s | ${Math.round(m.peakMiB)} MiB | ${((m.seconds / m.clusters) * 1000).toFixed(1)} ms |`,
      );
    }
    const again = rerun(work, join(work, 'clusters-1000.yaml'));
    console.log(
      `\n1000 clusters again, replacing the previous output (its 5,000-odd files deleted): ${again.toFixed(2)} s`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const time = (n: number, templates = false) =>
    results.find((m) => m.clusters === n && m.templates === templates)?.seconds ?? Number.NaN;
  const ratio = time(1000) / time(100);
  const templates = time(100, true) / time(100);
  const checks = [
    [
      `1000 clusters: ${time(1000).toFixed(2)} s (target ≤ ${TARGETS.seconds1000} s)`,
      time(1000) <= TARGETS.seconds1000,
    ],
    [`t(1000) / t(100): ${ratio.toFixed(1)} (target ≤ ${TARGETS.ratio})`, ratio <= TARGETS.ratio],
    [`1 cluster: ${time(1).toFixed(2)} s (target ≤ ${TARGETS.seconds1} s)`, time(1) <= TARGETS.seconds1],
    [
      `100 clusters with templates / without: ${templates.toFixed(1)} (target ≤ ${TARGETS.templates})`,
      templates <= TARGETS.templates,
    ],
  ] as const;
  console.log('');
  for (const [line, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${line}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main();
