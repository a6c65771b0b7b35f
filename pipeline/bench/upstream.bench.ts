/**
 * Upstream bench: `csp upstream check` over every stack of stacks/ against the loopback upstream (dl.k8s.io,
 * chart indexes, docker-registry for kindest/node, fake GitHub), cold cache against warm cache (warm may
 * send only conditional requests to cacheable sources; counted), and max RSS of a process streaming a
 * 60 MB Helm index against the same process without it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { run } from '../core/run.js';
import { discoverStacks } from '../stack/index.js';
import { startFakeGithub } from '../testing/github-fake/server.js';
import { repoRoot } from '../testing/paths.js';
import { pushTags } from '../testing/registry/push-tags.js';
import { startRegistry } from '../testing/registry/start-registry.js';
import { startUpstream } from '../testing/upstream.js';
import { newerState } from '../watch/__fixtures__/world.js';
import { checkUpstream } from '../watch/index.js';
import { compare, type BenchFigure } from './harness.js';

/** The index size; both child processes run with a 48 MB V8 heap, which a buffered 60 MB index could not fit. */
const INDEX_BYTES = 60 * 1024 * 1024;

export async function upstreamBench(): Promise<BenchFigure[]> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-upstream-bench-'));
  const [registry, upstream, github] = await Promise.all([startRegistry({ auth: 'none' }), startUpstream(newerState()), startFakeGithub({ token: 'bench-token-0123456789', repos: ['kubernetes-sigs/cluster-api'] })]);
  try {
    await pushTags(registry.url, 'kindest/node', ['v1.31.9', 'v1.31.14', 'v1.32.5']);
    github.store.seedRelease({ owner: 'kubernetes-sigs', repo: 'cluster-api', tagName: 'v1.10.4' });
    const stackDirs = await discoverStacks(path.join(repoRoot, 'stacks'));
    const input = { stackDirs, cwd: repoRoot, mirrors: { ...upstream.mirrors(), 'https://registry-1.docker.io/': `${registry.url}/` }, githubApi: github.apiUrl };
    const deps = { http: createHttp(), log: createLog({ write: () => undefined }), now: () => new Date() };
    const warmDir = path.join(tmp, 'warm');
    let cold = 0;
    const coldRun = await checkUpstream({ ...input, cacheDir: warmDir }, deps);
    const warmRun = await checkUpstream({ ...input, cacheDir: warmDir }, deps);
    const cacheable = upstream.requests.length;
    const figures = [
      await compare(
        `upstream check, ${stackDirs.length} stacks, warm cache`,
        () => checkUpstream({ ...input, cacheDir: warmDir }, deps),
        'cold cache',
        () => checkUpstream({ ...input, cacheDir: path.join(tmp, `cold-${cold++}`) }, deps),
        {
          runs: 5,
          note: `cold run: ${coldRun.stats.requests} requests, ${coldRun.stats.bytes} body bytes; warm run: ${warmRun.stats.requests} requests, ${warmRun.stats.conditional} conditional, ${warmRun.stats.notModified} answered 304, ${warmRun.stats.bytes} body bytes; unconditional ones are OCI tag lists and GitHub listings (${cacheable} upstream requests seen in total)`,
        },
      ),
    ];
    const url = `${upstream.url}/charts/cilium/index.yaml`;
    const child = async (mode: string, bytes: number) => {
      upstream.state.bigIndex.cilium = bytes;
      const res = await run(process.execPath, ['--max-old-space-size=48', '--import', 'tsx', path.join(repoRoot, 'pipeline/bench/upstream-rss.ts'), mode, url], { cwd: repoRoot, timeoutMs: 300_000 });
      return JSON.parse(res.stdout) as { maxRssKb: number; bytes: number; versions: number };
    };
    const base = await child('baseline', INDEX_BYTES);
    const small = await child('index', INDEX_BYTES / 10);
    const big = await child('index', INDEX_BYTES);
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    figures.push({
      name: `max RSS streaming a ${(big.bytes / 1048576).toFixed(0)} MB Helm index`,
      ms: big.maxRssKb / 1024,
      baselineMs: small.maxRssKb / 1024,
      baseline: `a ${(small.bytes / 1048576).toFixed(0)} MB index`,
      ratio: big.maxRssKb / small.maxRssKb,
      note: `values in MB, not ms; process without any index ${mb(base.maxRssKb)} MB; growth over it ${mb(big.maxRssKb - base.maxRssKb)} MB for ${(big.bytes / 1048576).toFixed(0)} MB vs ${mb(small.maxRssKb - base.maxRssKb)} MB for ${(small.bytes / 1048576).toFixed(0)} MB (V8 heap capped at 48 MB); ${big.versions} cilium versions found`,
    });
    return figures;
  } finally {
    await Promise.all([registry.stop(), upstream.close(), github.close()]);
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
