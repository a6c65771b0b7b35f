/**
 * Plan and build bench over a generated repository of 200 stack versions (100 stacks × 2 Kubernetes minors,
 * copies of stacks/docker/scs with their charts in a chart cache). A no-op `csp plan` (every release already
 * in the ledger) is timed against `sha256sum` over the same files; one full build against the same baseline.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildBundles, planBuild } from '../release/index.js';
import { run } from '../core/run.js';
import { chartsDir, repoRoot } from '../testing/paths.js';
import { compare, type BenchFigure } from './harness.js';

const STACKS = 100;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** stacks/docker/scs<i>/ for i < STACKS, each with a distinct file so every stack hashes differently. */
async function generate(root: string): Promise<{ stackDirs: string[]; cache: string }> {
  const source = path.join(repoRoot, 'stacks/docker/scs');
  const stackDirs: string[] = [];
  for (let i = 0; i < STACKS; i += 1) {
    const dir = path.join(root, 'stacks/docker', `scs${i}`);
    await fs.cp(source, dir, { recursive: true });
    const csctl = path.join(dir, 'csctl.yaml');
    await fs.writeFile(csctl, (await fs.readFile(csctl, 'utf8')).replace('clusterStackName: scs', `clusterStackName: scs${i}`));
    await fs.writeFile(path.join(dir, 'cluster-class/values.yaml'), `${await fs.readFile(path.join(dir, 'cluster-class/values.yaml'), 'utf8')}# stack ${i}\n`);
    stackDirs.push(dir);
  }
  const cache = path.join(root, 'cache');
  for (const [name, version] of [['cilium', '1.17.4'], ['metrics-server', '3.12.2']] as const) {
    await fs.mkdir(path.join(cache, 'by-name', name), { recursive: true });
    await fs.copyFile(path.join(chartsDir, `${name}-${version}.tgz`), path.join(cache, 'by-name', name, `${version}.tgz`));
  }
  return { stackDirs, cache };
}

/** Runs the bench; the temp repository is removed afterwards. */
export async function planBench(): Promise<BenchFigure[]> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-plan-bench-'));
  try {
    const { stackDirs, cache } = await generate(root);
    const ledgerDir = path.join(root, 'releases');
    const input = { stackDirs, cwd: root, mode: 'stable' as const, chartCacheDir: cache, ledgerDir };
    const files = [...(await listFiles(path.join(root, 'stacks'))), ...(await listFiles(cache))];
    const sha256sum = async () => {
      await run('sha256sum', files, { cwd: root });
    };

    const buildStart = performance.now();
    const planned = await planBuild(input);
    const built = await buildBundles({ planned, outDir: path.join(root, 'out'), ledgerDir, created: '1970-01-01T00:00:00Z' });
    const buildMs = performance.now() - buildStart;
    const written = built.targets.filter((t) => t.action === 'written').length;
    const baselineMs = (await compare('x', sha256sum, 'x', sha256sum, { runs: 3 })).ms;

    const noop = async () => {
      const { plan } = await planBuild(input);
      if (plan.targets.some((t) => t.action !== 'none')) throw new Error('bench: the no-op plan wants to release something');
    };
    const planFigure = await compare(`no-op csp plan, ${stackDirs.length * 2} stack versions`, noop, `sha256sum over the same ${files.length} files`, sha256sum, {
      runs: 5,
      goal: 2,
      note: 'goal also < 1 s absolute',
    });
    return [
      planFigure,
      {
        name: `full csp build, ${written} bundles + OCI layout + ledger`,
        ms: buildMs,
        baselineMs,
        baseline: `sha256sum over the same ${files.length} files`,
        ratio: baselineMs > 0 ? buildMs / baselineMs : Infinity,
        note: 'single cold run; static checks only (rendering is measured by render.bench)',
      },
    ];
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
