/**
 * Whole-process benches (issue 16): what a user waits for, spawned as `node bin/csp.js` (run `npm run build`
 * first), alternating with a baseline, median of ≥ 5 runs, peak RSS and the load average beside each figure.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildBundles, planBuild } from '../release/index.js';
import { chartsDir, crdsDir, repoRoot } from '../testing/paths.js';
import type { BenchFigure } from './harness.js';
import { compareProcesses, csp, type Spawned } from './process.js';
import { renderedStream } from './validate.bench.js';

/** A repository with `count` renamed copies of stacks/docker/scs and their charts in the default chart cache. */
export async function repository(root: string, count: number): Promise<string[]> {
  const source = path.join(repoRoot, 'stacks/docker/scs');
  const dirs: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = count === 1 ? 'scs' : `scs${i}`;
    const dir = path.join(root, 'stacks/docker', name);
    await fs.cp(source, dir, { recursive: true });
    const csctl = path.join(dir, 'csctl.yaml');
    await fs.writeFile(csctl, (await fs.readFile(csctl, 'utf8')).replace('clusterStackName: scs', `clusterStackName: ${name}`));
    dirs.push(dir);
  }
  for (const [name, version] of [['cilium', '1.17.4'], ['metrics-server', '3.12.2']] as const) {
    await fs.mkdir(path.join(root, '.csp-cache/charts/by-name', name), { recursive: true });
    await fs.copyFile(path.join(chartsDir, `${name}-${version}.tgz`), path.join(root, '.csp-cache/charts/by-name', name, `${version}.tgz`));
  }
  return dirs;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/**
 * Removes what a build wrote (OUT and ledger records added since this call), so every measured build does
 * the same work. Call it right after the repository (and any ledger it starts with) is made.
 */
export async function resetter(root: string): Promise<() => Promise<void>> {
  const ledger = path.join(root, 'releases');
  await fs.mkdir(ledger, { recursive: true });
  const before = new Set(await fs.readdir(ledger));
  return async () => {
    for (const f of await fs.readdir(ledger)) if (!before.has(f)) await fs.rm(path.join(ledger, f));
    await fs.rm(path.join(root, 'out'), { recursive: true, force: true });
  };
}

/** `node -e 0`: the floor of every whole-process figure. */
export const node0: Spawned = { argv: [process.execPath, '-e', '0'] };

/** Runs `fn` in a fresh temporary folder (removed afterwards); needs a built dist/. */
export async function inTmp(fn: (tmp: string) => Promise<BenchFigure[]>): Promise<BenchFigure[]> {
  await fs.access(path.join(repoRoot, 'dist/pipeline/cli/main.js')).catch(() => {
    throw new Error('bench: run `npm run build` first (the whole-process benches spawn bin/csp.js)');
  });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-cli-bench-'));
  try {
    return await fn(tmp);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** `csp --help` and `csp lint --help` against `node -e 0`. */
export function startupBench(): Promise<BenchFigure[]> {
  return inTmp(async () => [
    await compareProcesses('csp --help', csp(['--help']), 'node -e 0', node0, { runs: 9, goal: 2 }),
    await compareProcesses('csp lint --help', csp(['lint', '--help']), 'node -e 0', node0, { runs: 9, goal: 2 }),
  ]);
}

/** A no-op `csp plan` over 200 stack versions against `sha256sum` of the same files. */
export function planProcessBench(): Promise<BenchFigure[]> {
  return inTmp(async (tmp) => {
    const planRoot = path.join(tmp, 'plan');
    const planDirs = await repository(planRoot, 100);
    const cache = path.join(planRoot, '.csp-cache/charts');
    const planned = await planBuild({ stackDirs: planDirs, cwd: planRoot, mode: 'stable', chartCacheDir: cache, ledgerDir: path.join(planRoot, 'releases') });
    await buildBundles({ planned, outDir: path.join(planRoot, 'out'), ledgerDir: path.join(planRoot, 'releases'), created: '1970-01-01T00:00:00Z' });
    const planFiles = [...(await listFiles(path.join(planRoot, 'stacks'))), ...(await listFiles(cache))];
    const sha256sum: Spawned = { argv: ['sha256sum', ...planFiles], cwd: planRoot };
    return [
      // The warm-up run stores the answer in .csp-cache/plan/: the measured runs are plan-cache hits.
      await compareProcesses(`no-op csp plan, ${planDirs.length * 2} stack versions`, csp(['plan'], planRoot), `sha256sum of the same ${planFiles.length} files`, sha256sum, {
        goal: 4,
        maxMs: 500,
      }),
      // What a user waits for after an edit elsewhere: the same plan with the plan cache emptied (no goal).
      await compareProcesses(`no-op csp plan, ${planDirs.length * 2} stack versions, plan cache emptied`, csp(['plan'], planRoot), `sha256sum of the same ${planFiles.length} files`, sha256sum, {
        note: 'cold: the plan cache is removed before every run',
        prepare: () => fs.rm(path.join(planRoot, '.csp-cache/plan'), { recursive: true, force: true }),
      }),
    ];
  });
}

/** Builds with rendering: 10 copies against one stack, build against render, one change in 50 stacks. */
export function buildProcessBench(): Promise<BenchFigure[]> {
  return inTmp(async (tmp) => {
    const figures: BenchFigure[] = [];
    const one = path.join(tmp, 'one');
    await repository(one, 1);
    const resetOne = await resetter(one);
    const ten = path.join(tmp, 'ten');
    await repository(ten, 10);
    const resetTen = await resetter(ten);
    figures.push(
      await compareProcesses('csp build, 10 copies of stacks/docker/scs (rendering)', csp(['build'], ten), 'csp build of the one stack', csp(['build', 'stacks/docker/scs'], one), {
        goal: 2,
        prepare: resetTen,
        prepareBaseline: resetOne,
      }),
    );
    figures.push(
      await compareProcesses('csp build stacks/docker/scs', csp(['build', 'stacks/docker/scs'], one), 'csp render of the same stack', csp(['render', 'stacks/docker/scs'], one), {
        goal: 1.3,
        note: "csp render is unseeded: its TLS keys are random (native RSA), a build's are seeded",
        prepare: resetOne,
      }),
    );
    const fifty = path.join(tmp, 'fifty');
    const fiftyDirs = await repository(fifty, 50);
    const fiftyPlan = await planBuild({ stackDirs: fiftyDirs, cwd: fifty, mode: 'stable', chartCacheDir: path.join(fifty, '.csp-cache/charts'), ledgerDir: path.join(fifty, 'releases') });
    await buildBundles({ planned: fiftyPlan, outDir: path.join(fifty, 'out'), ledgerDir: path.join(fifty, 'releases'), created: '1970-01-01T00:00:00Z' });
    const values = path.join(fiftyDirs[7] as string, 'cluster-addon/metrics-server/values.yaml');
    await fs.writeFile(values, (await fs.readFile(values, 'utf8')).replace('fullnameOverride: metrics-server', 'fullnameOverride: metrics-server\n  replicas: 2'));
    const reset = await resetter(fifty);
    figures.push(
      await compareProcesses('csp build (50 stacks, one addon value changed)', csp(['build'], fifty), 'csp build of that stack alone', csp(['build', 'stacks/docker/scs7'], fifty), {
        goal: 1.2,
        prepare: reset,
        prepareBaseline: reset,
      }),
    );
    return figures;
  });
}

/** `csp validate --rendered` of 10k objects against a spawned parse-only of the same stream. */
export function validateProcessBench(): Promise<BenchFigure[]> {
  return inTmp(async (tmp) => {
    const stream = await renderedStream(10_000);
    const file = path.join(tmp, 'rendered.yaml');
    await fs.writeFile(file, stream.text);
    const parseOnly: Spawned = { argv: [process.execPath, '--input-type=module', '-e', `import fs from 'node:fs'; import { parseAllDocuments } from 'yaml'; parseAllDocuments(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));`] };
    // One ClusterClass per copy: csp validate reports CLASS_NOT_UNIQUE and exits 1, after checking every object.
    const validate = { ...csp(['validate', '--rendered', file, '--crds', crdsDir], tmp), okCodes: [0, 1] };
    return [await compareProcesses(`csp validate --rendered, ${stream.objects} objects`, validate, 'yaml parseAllDocuments of the same stream', parseOnly, { goal: 1.5 })];
  });
}
