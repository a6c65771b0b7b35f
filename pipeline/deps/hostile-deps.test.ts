/** csp deps against hostile names, indexes and archive folders: issues and warnings, no writes outside the cache. */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { chartsDir } from '../testing/paths.js';
import { fetchCharts, type ChartRequest } from './index.js';

let tmp: string;
const client = createHttp({ retries: 0 });
const log = createLog({ write: () => undefined });

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-hostile-deps-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function request(name: string, version: string, repository = 'http://127.0.0.1:1/'): ChartRequest {
  return { repository, name, version, neededBy: [{ stack: 's', addon: 'a', kubernetes: '1.32.5', location: { file: 'a/Chart.yaml', line: 5, column: 11 } }] };
}

describe('fetchCharts with hostile input', () => {
  it.each([
    ['../../escape', '1.0.0', /chart name "\.\.\/\.\.\/escape"/],
    ['cilium', '../../../escape', /version of cilium "\.\.\/\.\.\/\.\.\/escape"/],
  ])('name %s version %s is PATH_UNSAFE at the Chart.yaml position', async (name, version, message) => {
    const cacheDir = path.join(tmp, 'c1', 'cache');
    const result = await fetchCharts({ requests: [request(name, version)], cacheDir, localDirs: [chartsDir] }, { http: client, log });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ code: 'PATH_UNSAFE', location: { file: 'a/Chart.yaml', line: 5 } });
    expect(result.issues[0]?.message).toMatch(message);
    expect(await fs.readdir(path.join(tmp, 'c1')).catch(() => [])).toEqual([]);
  });

  it('an index digest that is a path is an upstream error (exit 2), nothing is stored', async () => {
    const server = http.createServer((req, res) => {
      res.end(req.url === '/index.yaml' ? 'apiVersion: v1\nentries:\n  x:\n    - name: x\n      version: 1.0.0\n      digest: "../../../escape"\n      urls: [x-1.0.0.tgz]\n' : 'tgz');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const repo = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const cacheDir = path.join(tmp, 'c2', 'cache');
      await expect(fetchCharts({ requests: [request('x', '1.0.0', repo)], cacheDir }, { http: client, log })).rejects.toMatchObject({ code: 'CHART_INDEX_INVALID', exitCode: 2 });
      expect(await fs.readdir(path.join(tmp, 'c2')).catch(() => [])).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('--from says which archives it skipped and why, and never imports one render would refuse', async () => {
    const from = path.join(tmp, 'from');
    const src = path.join(tmp, 'src');
    await fs.mkdir(path.join(src, 'linked'), { recursive: true });
    await fs.mkdir(from, { recursive: true });
    await fs.writeFile(path.join(src, 'linked', 'Chart.yaml'), 'apiVersion: v2\nname: linked\nversion: 1.0.0\n');
    await fs.symlink('/etc/passwd', path.join(src, 'linked', 'values.yaml'));
    execFileSync('tar', ['-czf', path.join(from, 'linked-1.0.0.tgz'), '-C', src, 'linked']);
    await fs.writeFile(path.join(from, 'garbage-1.0.0.tgz'), 'not gzip at all');
    await fs.copyFile(path.join(chartsDir, 'metrics-server-3.12.2.tgz'), path.join(from, 'metrics-server-3.12.2.tgz'));
    const result = await fetchCharts(
      { requests: [request('linked', '1.0.0', 'file:///nowhere/'), request('metrics-server', '3.12.2')], cacheDir: path.join(tmp, 'c3'), localDirs: [from] },
      { http: client, log },
    );
    const skipped = result.issues.filter((i) => i.code === 'CHART_ARCHIVE_SKIPPED').map((i) => i.message);
    expect(skipped).toEqual([
      expect.stringMatching(/skipped .*garbage-1\.0\.0\.tgz: TAR_CORRUPT not a gzip file/),
      expect.stringMatching(/skipped .*linked-1\.0\.0\.tgz: TAR_UNSUPPORTED_ENTRY entry "linked\/values\.yaml" is a symbolic link/),
    ]);
    expect(result.charts.map((c) => `${c.name} ${c.action}`)).toEqual(['metrics-server imported']);
    // The refused archive was not imported; its repository was consulted instead (not http here: an issue).
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['CHART_REPO_UNSUPPORTED']);
  });
});
