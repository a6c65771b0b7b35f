/**
 * OCI tag lists against a loopback registry front: the anonymous Bearer dance (401 challenge, token
 * realm, retry with the token), `Link` pagination, `_` read as `+`, and refusals.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../../core/http.js';
import { createFetcher } from '../fetcher.js';
import type { SourceContext } from '../types.js';
import { ociSource, registryOf } from './oci.js';

let server: http.Server;
let url: string;
const seen: string[] = [];
let garbage = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push(`${u.pathname}${u.search} ${req.headers.authorization ?? '-'}`);
    if (u.pathname === '/token') {
      const ok = u.searchParams.get('service') === 'reg.test' && u.searchParams.get('scope') === 'repository:charts/cilium:pull';
      return void res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { token: 'anon-token' } : { error: 'bad scope' }));
    }
    if (req.headers.authorization !== 'Bearer anon-token') {
      return void res.writeHead(401, { 'www-authenticate': `Bearer realm="${url}/token",service="reg.test",scope="repository:charts/cilium:pull"` }).end();
    }
    if (garbage) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    if (u.searchParams.get('last') === '1.17.4') {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'charts/cilium', tags: ['1.17.7', '1.18.0-pre.1', 'latest'] }));
    }
    res.writeHead(200, { 'content-type': 'application/json', link: '</v2/charts/cilium/tags/list?n=1000&last=1.17.4>; rel="next"' }).end(JSON.stringify({ name: 'charts/cilium', tags: ['1.16.6', '1.17.4', '1.17.5_build.1'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function ctx(): SourceContext {
  return {
    fetcher: createFetcher({ http: createHttp({ retries: 0 }), mirrors: { 'https://quay.example/': `${url}/` } }),
    githubApi: 'http://127.0.0.1:9',
    maxRateLimitWaitMs: 0,
    helmCharts: {},
    now: () => new Date(),
    sleep: async () => undefined,
  };
}

describe('ociSource', () => {
  it('does the Bearer dance, follows Link pages and reads _ as +', async () => {
    const tags = await ociSource.list({ kind: 'oci', repository: 'oci://quay.example/charts/cilium' }, ctx());
    expect(tags.map((t) => t.version)).toEqual(['1.16.6', '1.17.4', '1.17.5+build.1', '1.17.7', '1.18.0-pre.1', 'latest']);
    expect(seen.filter((s) => s.startsWith('/token')).length).toBe(1);
    expect(seen.at(-1)).toBe('/v2/charts/cilium/tags/list?n=1000&last=1.17.4 Bearer anon-token');
  });

  it('refuses an answer that is not a tag list', async () => {
    garbage = true;
    await expect(ociSource.list({ kind: 'oci', repository: 'oci://quay.example/charts/cilium' }, ctx())).rejects.toMatchObject({ code: 'UPSTREAM_GARBAGE', exitCode: 2 });
    garbage = false;
  });

  it.each([
    ['docker.io/kindest/node', 'https://registry-1.docker.io', 'kindest/node'],
    ['kindest/node', 'https://registry-1.docker.io', 'kindest/node'],
    ['alpine', 'https://registry-1.docker.io', 'library/alpine'],
    ['oci://ghcr.io/org/charts/x', 'https://ghcr.io', 'org/charts/x'],
    ['localhost:5000/x/y', 'https://localhost:5000', 'x/y'],
  ])('registryOf(%s)', (ref, base, name) => {
    expect(registryOf(ref)).toEqual({ base, name });
  });
});
