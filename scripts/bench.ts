import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { AdotVersion } from '../src/config/adot-version';
import { ROOT } from '../tools/stage';

/**
 * `npm run bench`: how long the compiled fleet command takes for 1, 100 and
 * 1000 clusters, and how much memory it needs, against the targets:
 *
 * - 1000 clusters in at most 5 s;
 * - t(1000) / t(100) at most 12 (linear, not quadratic, growth);
 * - one cluster in at most 0.5 s;
 * - 1000 clusters with a CloudFormation template each (an OIDC issuer) in
 *   at most 1.5 times the same fleet without;
 * - with `--baseline <checkout>` (a built worktree of an older commit), each
 *   fleet without templates no slower than the baseline's, measured in the
 *   same run, runs alternating.
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
const TEMPLATE_SIZES = [1, 100, 1000] as const;
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
  /** The checkout measured: this one, or the baseline's. */
  readonly root: string;
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
function fleetCommand(
  root: string,
  rssReport: string,
  file: string,
  output: string,
  prerequisites: string,
): readonly string[] {
  return [
    '--require',
    rssReport,
    join(root, 'lib', 'src', 'cli.js'),
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
    const child = spawnSync(process.execPath, [...fleetCommand(ROOT, rss, file, output, prerequisites)], {
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

/**
 * Measures the fleet of `clusters` in each checkout of `roots`, their runs
 * alternating (this one, the baseline, this one, ...), so that a busy moment
 * of the machine falls on both.
 */
function measure(work: string, roots: readonly string[], clusters: number, templates = false): Measurement[] {
  const file = join(work, `clusters-${clusters}${templates ? '-templates' : ''}.yaml`);
  writeFileSync(file, clustersFile(clusters, templates));
  // Preloaded into the measured process: its peak resident set size, worker threads included.
  const rssReport = join(work, 'rss.cjs');
  const rssFile = join(work, 'rss.txt');
  writeFileSync(
    rssReport,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const runs = roots.map(() => ({ seconds: [] as number[], peaks: [] as number[], summary: '' }));
  for (let run = 0; run < RUNS; run++) {
    roots.forEach((root, r) => {
      const of = runs[r] as (typeof runs)[number];
      // New folders each run: every run writes a fresh synthesis, and removing
      // the previous run's files (slow on a file system mounted with `discard`)
      // is not counted. `rerun` below measures replacing an existing output.
      const output = join(work, `out-${clusters}-${run}-${r}`);
      const prerequisites = join(work, `pre-${clusters}-${run}-${r}`);
      // Flush what earlier runs wrote, so a run does not pay for their writeback.
      spawnSync('sync');
      const start = performance.now();
      const child = spawnSync(process.execPath, [...fleetCommand(root, rssReport, file, output, prerequisites)], {
        encoding: 'utf8',
      });
      of.seconds.push((performance.now() - start) / 1000);
      if (child.status !== 0) throw new Error(`fleet of ${clusters} in ${root} failed: ${child.stderr}`);
      of.peaks.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
      of.summary = child.stdout.trim();
      rmSync(output, { recursive: true, force: true });
      rmSync(prerequisites, { recursive: true, force: true });
    });
  }
  return roots.map((root, r) => {
    const { seconds, peaks, summary } = runs[r] as (typeof runs)[number];
    return {
      root,
      clusters,
      templates,
      seconds: median(seconds),
      fastest: Math.min(...seconds),
      slowest: Math.max(...seconds),
      peakMiB: Math.max(...peaks),
      files: summary,
    };
  });
}

/** `--baseline <checkout>`: another checkout (a worktree of an older commit), built, measured beside this one. */
function baselineOf(args: readonly string[]): string | undefined {
  const at = args.indexOf('--baseline');
  if (at === -1) return undefined;
  const root = args[at + 1];
  if (root === undefined || !existsSync(join(root, 'lib', 'src', 'cli.js'))) {
    console.error(
      `Invalid --baseline ${JSON.stringify(root ?? '')}: expected a built checkout of this repository (lib/src/cli.js), e.g. git worktree add ../base <commit> && (cd ../base && npm ci && npm run build).`,
    );
    process.exit(2);
  }
  return resolve(root);
}

function main(): void {
  const baseline = baselineOf(process.argv.slice(2));
  const roots = baseline === undefined ? [ROOT] : [ROOT, baseline];
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
      for (const m of measure(work, roots, clusters, templates)) {
        results.push(m);
        const label = `${m.clusters}${m.templates ? ', templates' : ''}${m.root === ROOT ? '' : ' (baseline)'}`;
        console.log(
          `| ${label} | ${m.seconds.toFixed(2)} s | ${m.fastest.toFixed(2)} - ${m.slowest.toFixed(2)} s | ${Math.round(m.peakMiB)} MiB | ${((m.seconds / m.clusters) * 1000).toFixed(1)} ms |`,
        );
      }
    }
    const again = rerun(work, join(work, 'clusters-1000.yaml'));
    console.log(
      `\n1000 clusters again, replacing the previous output (its 5,000-odd files deleted): ${again.toFixed(2)} s`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const time = (n: number, templates = false, root = ROOT) =>
    results.find((m) => m.clusters === n && m.templates === templates && m.root === root)?.seconds ?? Number.NaN;
  const ratio = time(1000) / time(100);
  const templates = time(1000, true) / time(1000);
  console.log(`\n100 clusters with templates / without: ${(time(100, true) / time(100)).toFixed(1)}`);
  const checks: (readonly [string, boolean])[] = [
    [
      `1000 clusters: ${time(1000).toFixed(2)} s (target ≤ ${TARGETS.seconds1000} s)`,
      time(1000) <= TARGETS.seconds1000,
    ],
    [`t(1000) / t(100): ${ratio.toFixed(1)} (target ≤ ${TARGETS.ratio})`, ratio <= TARGETS.ratio],
    [`1 cluster: ${time(1).toFixed(2)} s (target ≤ ${TARGETS.seconds1} s)`, time(1) <= TARGETS.seconds1],
    [
      `1000 clusters with templates / without: ${templates.toFixed(2)} (target ≤ ${TARGETS.templates})`,
      templates <= TARGETS.templates,
    ],
  ];
  if (baseline !== undefined) {
    // The templates are new since older baselines: compare what both can do, the fleets without.
    for (const n of SIZES) {
      const [now, then] = [time(n), time(n, false, baseline)];
      checks.push([
        `${n} clusters, this checkout / the baseline: ${(now / then).toFixed(2)} (${now.toFixed(2)} s / ${then.toFixed(2)} s, target ≤ 1)`,
        now <= then,
      ]);
    }
  }
  console.log('');
  for (const [line, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${line}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main();
