/**
 * Whole-process publish bench (issue 16): spawned `csp publish` of the 200 MiB-payload bundle against a spawned
 * `skopeo copy` of the same manifest from the build's OCI layout, each run into a fresh docker-registry
 * (started and stopped outside the timed region), with peak RSS against `node -e 0` measured in the same run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { buildBundles, planBuild } from '../release/index.js';
import { startRegistry } from '../testing/registry/start-registry.js';
import type { BenchFigure } from './harness.js';
import { inTmp, node0 } from './cli.bench.js';
import { payloadRepository } from './payload.js';
import { compareProcesses, csp, spawnOnce, type Spawned } from './process.js';

/** Peak RSS allowed above `node -e 0` (issue 16). */
const RSS_HEADROOM = 64 * 1024 * 1024;

/**
 * Builds the payload bundle with the release stage. `csp build` refuses it (a 200 MiB file is over the stack
 * walk's per-file limit and Helm's 5 MiB chart-file limit), so only that FILE_TOO_LARGE issue is dropped
 * from the plan; everything else is the real build.
 */
async function buildPayloadBundle(root: string): Promise<{ releaseDir: string; layoutDir: string; releaseName: string }> {
  const dir = await payloadRepository(root);
  const planned = await planBuild({ stackDirs: [dir], cwd: root, mode: 'stable', chartCacheDir: path.join(root, '.csp-cache/charts'), ledgerDir: path.join(root, 'releases') });
  const oversized = (i: { code: string }) => i.code !== 'FILE_TOO_LARGE';
  planned.plan.issues = planned.plan.issues.filter(oversized);
  for (const t of planned.plan.targets) t.issues = t.issues.filter(oversized);
  const built = await buildBundles({ planned, outDir: path.join(root, 'out'), ledgerDir: path.join(root, 'releases'), created: '1970-01-01T00:00:00Z' });
  const target = built.targets.find((t) => t.dir);
  if (!target?.dir) throw new Error('bench: the payload build wrote no release');
  return { releaseDir: target.dir, layoutDir: built.ociLayout, releaseName: target.releaseName };
}

/** `csp publish` of the payload bundle against `skopeo copy` of it, time and peak RSS. */
export function publishProcessBench(): Promise<BenchFigure[]> {
  return inTmp(async (tmp) => {
    const root = path.join(tmp, 'repo');
    const { releaseDir, layoutDir, releaseName } = await buildPayloadBundle(root);
    // Every publish adds its publication to releases/<name>.yaml: restore the built record before each run.
    const record = path.join(root, 'releases', `${releaseName}.yaml`);
    const built = await fs.readFile(record);
    const withRegistry = (argv: (host: string) => string[]) => async (): Promise<Spawned> => {
      const registry = await startRegistry({ auth: 'none' });
      return { argv: argv(registry.host), cwd: root, cleanup: () => registry.stop() };
    };
    const publish = withRegistry((host) => csp(['publish', path.relative(root, releaseDir), '--to', `oci://${host}/bench/csp`, '--skip-e2e']).argv);
    const skopeo = withRegistry((host) => ['skopeo', 'copy', '--dest-tls-verify=false', '--preserve-digests', `oci:${layoutDir}:${releaseName}`, `docker://${host}/bench/skopeo:${releaseName}`]);
    const nodeRss: number[] = [];
    for (let i = 0; i < 5; i++) nodeRss.push((await spawnOnce(node0)).maxRss);
    const nodeBaseline = nodeRss.sort((a, b) => a - b)[2] ?? 0;
    const figure = await compareProcesses(`csp publish of the ${releaseName} payload bundle (unsigned, --skip-e2e)`, publish, 'skopeo copy from the OCI layout', skopeo, {
      goal: 1.2,
      maxRss: nodeBaseline + RSS_HEADROOM,
      note: `node -e 0 peak RSS ${(nodeBaseline / 1024 / 1024).toFixed(0)} MB; each run into a fresh docker-registry`,
      prepare: () => fs.writeFile(record, built),
    });
    return [figure];
  });
}
