/**
 * Whole-process publish bench (issue 16): spawned `csp publish` of the 200 MiB-payload bundle against a spawned
 * `skopeo copy` of the same manifest from the build's OCI layout, each run into a fresh docker-registry
 * (started and stopped outside the timed region), with peak RSS against `node -e 0` measured in the same run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { startRegistry } from '../testing/registry/start-registry.js';
import type { BenchFigure } from './harness.js';
import { inTmp, node0 } from './cli.bench.js';
import { payloadLimits, PAYLOAD_MINOR } from './payload.bench.js';
import { payloadRepository } from './payload.js';
import { compareProcesses, csp, spawnOnce, type Spawned } from './process.js';

/** Peak RSS allowed above `node -e 0` (issue 16). */
const RSS_HEADROOM = 64 * 1024 * 1024;

/** Builds the payload bundle as the build-payload row does (`csp build --k8s`, raised file limits): one release. */
async function buildPayloadBundle(root: string): Promise<{ releaseDir: string; layoutDir: string; releaseName: string }> {
  await payloadRepository(root);
  await spawnOnce(csp(['build', 'stacks/docker/scs', '--k8s', PAYLOAD_MINOR], root, payloadLimits));
  const out = path.join(root, 'out');
  const releases = (await fs.readdir(out, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== 'oci-layout' && !e.name.startsWith('.'));
  if (releases.length !== 1) throw new Error(`bench: expected one release in ${out}, found ${releases.map((e) => e.name).join(', ')}`);
  const releaseName = releases[0]!.name;
  return { releaseDir: path.join(out, releaseName), layoutDir: path.join(out, 'oci-layout'), releaseName };
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
      // The registry fsyncs each 124 MB blob to a virtual disk: its time varies run to run for both tools alike,
      // so this row takes more runs than the others for a stable median.
      runs: 9,
      maxRss: nodeBaseline + RSS_HEADROOM,
      note: `node -e 0 peak RSS ${(nodeBaseline / 1024 / 1024).toFixed(0)} MB; each run into a fresh docker-registry`,
      prepare: () => fs.writeFile(record, built),
    });
    return [figure];
  });
}
