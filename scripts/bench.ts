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
 * Each size runs the compiled command, `fleet <clusters.yaml>` (after `npm run
 * build`) RUNS times in a fresh process and output folder, the runs of one
 * size's variants (without and with templates, the baseline) alternating so
 * that their ratios hold on a noisy machine; the wall time is
 * the median, from spawn to exit, so it includes starting Node and loading
 * the modules; peak memory is the largest maximum resident set size. The
 * fleet has every option in use: Argo CD and Flux objects, every tenth
 * cluster with the sample application, some with several replicas, an
 * older ADOT version or pod health; it writes each cluster's prerequisites too. Exits 1 when a
 * target is missed.
 */

const SIZES = [1, 100, 1000] as const;
/** The fleet sizes measured again with a CloudFormation template for every cluster (an OIDC issuer each). */
const TEMPLATE_SIZES: readonly number[] = [1, 100, 1000];
const RUNS = 5;
const TARGETS = { seconds1000: 5, ratio: 12, seconds1: 0.5, templates: 1.5 };

/** An OIDC issuer of the region, as EKS names them: what gives a cluster its CloudFormation template. */
function issuer(region: string, i: number): string {
  return `https://oidc.eks.${region}.amazonaws.com/id/${i.toString(16).toUpperCase().padStart(32, '0')}`;
}

/**
 * The fleet file of `count` clusters; `podHealth` false leaves pod health
 * out, for a baseline from before it (which refuses the field).
 */
function clustersFile(count: number, templates = false, podHealth = true): string {
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
        ...(podHealth && i % 4 === 0 ? ['    podHealth:', `      profile: ${i % 8 === 0 ? 'cluster' : 'full'}`] : []),
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
  /** Pod health on every fourth cluster (off to compare with a baseline from before it). */
  readonly podHealth: boolean;
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
  return ['--require', rssReport, cliOf(root), 'fleet', file, '--output', output, '--prerequisites', prerequisites];
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

/** One fleet to time: a checkout, a size, and what its clusters have. */
interface Variant {
  /** The checkout whose compiled CLI runs: this one, or the baseline. */
  readonly root: string;
  readonly clusters: number;
  readonly templates: boolean;
  readonly podHealth: boolean;
}

/**
 * Times each variant RUNS times, their runs alternating (the first variant,
 * the second, ..., the first again), so that a busy moment of the machine
 * or its disk falls on all of them and their ratio holds.
 */
function measure(work: string, variants: readonly Variant[]): Measurement[] {
  // Preloaded into the measured process: its peak resident set size, worker threads included.
  const rssReport = join(work, 'rss.cjs');
  const rssFile = join(work, 'rss.txt');
  writeFileSync(
    rssReport,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const files = variants.map((v) => {
    const file = join(
      work,
      `clusters-${v.clusters}${v.templates ? '-templates' : ''}${v.podHealth ? '' : '-no-pod-health'}.yaml`,
    );
    writeFileSync(file, clustersFile(v.clusters, v.templates, v.podHealth));
    return file;
  });
  const runs = variants.map(() => ({ seconds: [] as number[], peaks: [] as number[], summary: '' }));
  for (let run = 0; run < RUNS; run++) {
    variants.forEach((v, i) => {
      const of = runs[i] as (typeof runs)[number];
      // New folders each run: every run writes a fresh synthesis, and removing
      // the previous run's files (slow on a file system mounted with `discard`)
      // is not counted. `rerun` below measures replacing an existing output.
      const output = join(work, `out-${run}-${i}`);
      const prerequisites = join(work, `pre-${run}-${i}`);
      // Flush what earlier runs wrote, so a run does not pay for their writeback.
      spawnSync('sync');
      const start = performance.now();
      const child = spawnSync(
        process.execPath,
        [...fleetCommand(v.root, rssReport, files[i] as string, output, prerequisites)],
        { encoding: 'utf8' },
      );
      of.seconds.push((performance.now() - start) / 1000);
      if (child.status !== 0) throw new Error(`fleet of ${v.clusters} in ${v.root} failed: ${child.stderr}`);
      of.peaks.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
      of.summary = child.stdout.trim();
      rmSync(output, { recursive: true, force: true });
      rmSync(prerequisites, { recursive: true, force: true });
    });
  }
  return variants.map((v, i) => {
    const { seconds, peaks, summary } = runs[i] as (typeof runs)[number];
    return {
      ...v,
      seconds: median(seconds),
      fastest: Math.min(...seconds),
      slowest: Math.max(...seconds),
      peakMiB: Math.max(...peaks),
      files: summary,
    };
  });
}

/**
 * The compiled CLI of a checkout: the command-line package's `lib/cli.js`; in older commits the main package's
 * `lib/src/cli.js`, or `lib/cli.js` before the tools moved.
 */
function cliOf(root: string): string {
  const candidates = [
    join(root, 'packages', 'cdk8s-fargate-container-insights-cli', 'lib', 'cli.js'),
    join(root, 'lib', 'src', 'cli.js'),
  ];
  return candidates.find((cli) => existsSync(cli)) ?? join(root, 'lib', 'cli.js');
}

/** `--baseline <checkout>`: another checkout (a worktree of an older commit), built, measured beside this one. */
function baselineOf(args: readonly string[]): string | undefined {
  const at = args.indexOf('--baseline');
  if (at === -1) return undefined;
  const root = args[at + 1];
  if (root === undefined || !existsSync(cliOf(root))) {
    console.error(
      `Invalid --baseline ${JSON.stringify(root ?? '')}: expected a built checkout of this repository (packages/cdk8s-fargate-container-insights-cli/lib/cli.js, lib/src/cli.js or lib/cli.js), e.g. git worktree add ../base <commit> && (cd ../base && npm ci && npm run build).`,
    );
    process.exit(2);
  }
  return resolve(root);
}

function main(): void {
  const baseline = baselineOf(process.argv.slice(2));
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  console.log(
    `Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  console.log(`median of ${RUNS} runs of the compiled command's \`fleet <clusters.yaml>\`, from spawn to exit:\n`);
  // In the project folder: the same file system users write their output to.
  const work = mkdtempSync(join(ROOT, '.bench-'));
  const results: Measurement[] = [];
  try {
    console.log('| clusters | wall time (median) | fastest - slowest | peak memory (max RSS) | per cluster |');
    console.log('| -------: | -----------------: | ----------------: | --------------------: | ----------: |');
    for (const clusters of SIZES) {
      // Each size with and without templates, and beside the baseline the fleet it can read (no pod health).
      const group: Variant[] = [
        { root: ROOT, clusters, templates: false, podHealth: true },
        ...(TEMPLATE_SIZES.includes(clusters) ? [{ root: ROOT, clusters, templates: true, podHealth: true }] : []),
        ...(baseline === undefined
          ? []
          : [
              { root: ROOT, clusters, templates: false, podHealth: false },
              { root: baseline, clusters, templates: false, podHealth: false },
            ]),
      ];
      for (const m of measure(work, group)) {
        results.push(m);
        const label = `${m.clusters}${m.templates ? ', templates' : ''}${m.podHealth ? '' : ', no pod health'}${m.root === ROOT ? '' : ' (baseline)'}`;
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

  const time = (n: number, templates = false, root = ROOT, podHealth = true) =>
    results.find((m) => m.clusters === n && m.templates === templates && m.root === root && m.podHealth === podHealth)
      ?.seconds ?? Number.NaN;
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
    // What both can do: the fleets without templates or pod health. The target is the largest; the others are shown.
    for (const n of SIZES) {
      const [now, then] = [time(n, false, ROOT, false), time(n, false, baseline, false)];
      const line = `${n} clusters, this checkout / the baseline: ${(now / then).toFixed(2)} (${now.toFixed(2)} s / ${then.toFixed(2)} s${n === 1000 ? ', target ≤ 1' : ''})`;
      if (n === 1000) checks.push([line, now <= then]);
      else console.log(line);
    }
  }
  console.log('');
  for (const [line, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${line}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main();
