/**
 * Issue 16's large-payload build row: `csp build stacks/docker/scs --k8s 1.32` (one bundle) of the payload repository (a 200 MiB file in
 * the cluster-class chart) against `tar czf` of the same stack folder and the chart cache files it packs, spawned
 * alternately; the build must stay within 2× the time and 300 MB peak RSS.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BenchFigure } from './harness.js';
import { inTmp, resetter } from './cli.bench.js';
import { PAYLOAD_BYTES, payloadRepository } from './payload.js';
import { compareProcesses, csp } from './process.js';

/** The limits a build of the payload stack needs: one stack file and one chart file of 200 MiB (defaults 10/5 MiB). */
export const payloadLimits: Record<string, string> = {
  CSP_LIMIT_STACK_FILE_BYTES: String(256 * 1024 * 1024),
  CSP_LIMIT_CHART_FILE_BYTES: String(256 * 1024 * 1024),
  CSP_LIMIT_CHART_BYTES: String(512 * 1024 * 1024),
};

/** The one target built: the row is about one bundle (the stack has two minors; each bundle packs the payload). */
export const PAYLOAD_MINOR = '1.32';

/** `csp build` of one bundle of the 200 MiB-payload stack against `tar czf` of its files. */
export function buildPayloadBench(): Promise<BenchFigure[]> {
  return inTmp(async (tmp) => {
    const root = path.join(tmp, 'repo');
    await payloadRepository(root);
    const reset = await resetter(root);
    const archive = path.join(tmp, 'baseline.tgz');
    const tarCzf = { argv: ['tar', 'czf', archive, 'stacks/docker/scs', '.csp-cache/charts'], cwd: root };
    return [
      await compareProcesses(`csp build, one bundle of stacks/docker/scs (--k8s ${PAYLOAD_MINOR}) with a ${PAYLOAD_BYTES / 1024 / 1024} MiB payload`, csp(['build', 'stacks/docker/scs', '--k8s', PAYLOAD_MINOR], root, payloadLimits), 'tar czf of the same files', tarCzf, {
        goal: 2,
        maxRss: 300 * 1024 * 1024,
        prepare: reset,
        prepareBaseline: () => fs.rm(archive, { force: true }),
      }),
    ];
  });
}
