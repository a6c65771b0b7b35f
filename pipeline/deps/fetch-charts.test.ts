import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../core/errors.js';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { loadStack } from '../stack/index.js';
import { startChartRepo, type ChartRepo } from '../testing/chart-repo.js';
import { chartsDir } from '../testing/paths.js';
import { applyMirrors, fetchCharts, planChartRequests } from './index.js';

const minimal = path.join(import.meta.dirname, '..', 'stack', '__fixtures__', 'minimal');
let repo: ChartRepo;
let tmp: string;
const http = createHttp({ retries: 1, backoffMs: 1 });
const log = createLog({ write: () => undefined });

beforeAll(async () => {
  repo = await startChartRepo(chartsDir);
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-deps-'));
});
afterAll(async () => {
  await repo.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function minimalStack() {
  const { stack } = await loadStack(minimal, { cwd: path.dirname(minimal) });
  if (!stack) throw new Error('minimal stack did not load');
  return stack;
}

const mirrors = () => ({ 'https://helm.cilium.io/': repo.url, 'https://kubernetes-sigs.github.io/metrics-server/': repo.url });

describe('planChartRequests', () => {
  it('lists each chart once with every target that needs it', async () => {
    const requests = planChartRequests([await minimalStack()]);
    expect(requests.map((r) => `${r.name}@${r.version} ${r.neededBy.map((n) => n.kubernetes).join(',')}`)).toEqual([
      'cilium@1.17.4 1.31.9,1.32.5',
      'metrics-server@3.12.2 1.31.9,1.32.5',
    ]);
  });

  it.each([
    ['https://helm.cilium.io/', { 'https://helm.cilium.io': 'http://127.0.0.1:1/x' }, 'http://127.0.0.1:1/x/'],
    ['https://helm.cilium.io/sub/', { 'https://helm.cilium.io/': 'http://m/' }, 'http://m/sub/'],
    ['https://other/', { 'https://helm.cilium.io/': 'http://m/' }, 'https://other/'],
  ])('applyMirrors(%s)', (url, rules, expected) => {
    expect(applyMirrors(url, rules)).toBe(expected);
  });
});

describe('fetchCharts against a loopback chart repository', () => {
  it('downloads, verifies and stores by digest; a second run uses the cache', async () => {
    const cacheDir = path.join(tmp, 'cache1');
    const requests = planChartRequests([await minimalStack()]);
    const first = await fetchCharts({ requests, cacheDir, mirrors: mirrors() }, { http, log });
    expect(first.issues).toEqual([]);
    expect(first.charts.map((c) => c.action)).toEqual(['downloaded', 'downloaded']);
    for (const c of first.charts) {
      const stored = await fs.readFile(c.path);
      const original = await fs.readFile(path.join(chartsDir, `${c.name}-${c.version}.tgz`));
      expect(stored.equals(original)).toBe(true);
      expect(path.basename(c.path)).toBe(`${c.digest.slice(7)}.tgz`);
    }
    const before = repo.requests.filter((r) => r.endsWith('.tgz')).length;
    const second = await fetchCharts({ requests, cacheDir, mirrors: mirrors() }, { http, log });
    expect(second.charts.map((c) => c.action)).toEqual(['cached', 'cached']);
    expect(repo.requests.filter((r) => r.endsWith('.tgz')).length).toBe(before);
    const { stack } = await loadStack(minimal, { cwd: path.dirname(minimal), chartCacheDir: cacheDir });
    expect(stack?.addons.flatMap((a) => a.dependencies.map((d) => d.resolved?.source))).toEqual(['cache', 'cache']);
  });

  it('dry run decides without downloading', async () => {
    const requests = planChartRequests([await minimalStack()]);
    const result = await fetchCharts({ requests, cacheDir: path.join(tmp, 'dry'), mirrors: mirrors(), dryRun: true }, { http, log });
    expect(result.charts.map((c) => c.action)).toEqual(['would-download', 'would-download']);
    await expect(fs.stat(path.join(tmp, 'dry'))).rejects.toThrow();
  });

  it('reports an unknown version where it was asked for, with the versions that exist', async () => {
    const stack = await minimalStack();
    stack.addons[1]!.dependencies[0]!.version = '9.9.9';
    stack.targets[1]!.charts.cilium = '0.0.1';
    const requests = planChartRequests([stack]);
    const result = await fetchCharts({ requests, cacheDir: path.join(tmp, 'c2'), mirrors: mirrors() }, { http, log });
    const issues = result.issues.filter((i) => i.code === 'CHART_VERSION_NOT_FOUND');
    expect(issues.map((i) => i.location)).toEqual([
      { file: 'minimal/versions.yaml', line: 3, column: 15 },
      { file: 'minimal/cluster-addon/metrics-server/Chart.yaml', line: 5, column: 5 },
    ]);
    const issue = issues[0];
    expect(issue?.hint).toContain('1.17.4');
  });

  it('refuses an archive whose bytes differ from the index digest and stores nothing', async () => {
    const cacheDir = path.join(tmp, 'c3');
    repo.tamper('metrics-server-3.12.2.tgz', Buffer.from('not the chart'));
    try {
      const requests = planChartRequests([await minimalStack()]).filter((r) => r.name === 'metrics-server');
      const error = await fetchCharts({ requests, cacheDir, mirrors: mirrors() }, { http, log }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).code).toBe('CHART_DIGEST_MISMATCH');
      expect((error as UpstreamError).exitCode).toBe(2);
      await expect(fs.readdir(path.join(cacheDir, 'sha256'))).rejects.toThrow();
    } finally {
      repo.tamper('metrics-server-3.12.2.tgz', await fs.readFile(path.join(chartsDir, 'metrics-server-3.12.2.tgz')));
    }
  });

  it('checks a digest pinned in Chart.lock', async () => {
    const stack = await minimalStack();
    stack.addons[0]!.dependencies[0]!.lockedDigest = `sha256:${'0'.repeat(64)}`;
    const requests = planChartRequests([stack]);
    const result = await fetchCharts({ requests, cacheDir: path.join(tmp, 'c4'), mirrors: mirrors() }, { http, log });
    expect(result.issues.map((i) => i.code)).toEqual(['CHART_PIN_MISMATCH']);
  });

  it('fails with an upstream error when the repository is unreachable', async () => {
    const requests = planChartRequests([await minimalStack()]);
    const error = await fetchCharts({ requests, cacheDir: path.join(tmp, 'c5'), mirrors: { 'https://helm.cilium.io/': 'http://127.0.0.1:9/' } }, { http, log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
  });
});

describe('fetchCharts from a local folder of chart archives (--from)', () => {
  it('imports matching archives by their Chart.yaml without touching any repository', async () => {
    const cacheDir = path.join(tmp, 'local1');
    const requests = planChartRequests([await minimalStack()]);
    const before = repo.requests.length;
    // Unreachable repositories prove nothing is fetched over the network.
    const result = await fetchCharts({ requests, cacheDir, localDirs: [chartsDir], mirrors: { 'https://helm.cilium.io/': 'http://127.0.0.1:9/', 'https://kubernetes-sigs.github.io/metrics-server/': 'http://127.0.0.1:9/' } }, { http, log });
    expect(result.issues).toEqual([]);
    expect(result.charts.map((c) => c.action)).toEqual(['imported', 'imported']);
    expect(repo.requests.length).toBe(before);
    for (const c of result.charts) {
      const original = await fs.readFile(path.join(chartsDir, `${c.name}-${c.version}.tgz`));
      expect((await fs.readFile(path.join(cacheDir, 'by-name', c.name, `${c.version}.tgz`))).equals(original)).toBe(true);
    }
  });

  it('still applies a Chart.lock pin, and a dry run writes nothing', async () => {
    const stack = await minimalStack();
    stack.addons[0]!.dependencies[0]!.lockedDigest = `sha256:${'0'.repeat(64)}`;
    const cacheDir = path.join(tmp, 'local2');
    const result = await fetchCharts({ requests: planChartRequests([stack]), cacheDir, localDirs: [chartsDir], dryRun: true }, { http, log });
    expect(result.issues.map((i) => i.code)).toEqual(['CHART_PIN_MISMATCH']);
    expect(result.charts.map((c) => c.action)).toEqual(['would-import']);
    await expect(fs.readdir(cacheDir)).rejects.toThrow();
  });

  it('falls back to the repository for charts the folder lacks', async () => {
    const empty = await fs.mkdtemp(path.join(tmp, 'empty-'));
    const result = await fetchCharts({ requests: planChartRequests([await minimalStack()]), cacheDir: path.join(tmp, 'local3'), localDirs: [empty], mirrors: mirrors() }, { http, log });
    expect(result.charts.map((c) => c.action)).toEqual(['downloaded', 'downloaded']);
  });
});
