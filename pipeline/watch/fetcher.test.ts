/** The watch fetcher: --mirror prefix rewriting, conditional requests with the on-disk cache, one request per URL and run. */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../core/http.js';
import { createFetcher } from './fetcher.js';

let server: http.Server;
let base: string;
let body = 'v1.32.14\n';
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const etag = `"${Buffer.from(body).toString('base64')}"`;
    seen.push(`${req.url} ${req.headers['if-none-match'] ?? '-'}`);
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createFetcher', () => {
  it('mirrors, asks conditionally when cached, reuses 304 answers and notices changes', async () => {
    const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-fetcher-'));
    const make = () => createFetcher({ http: createHttp({ retries: 0 }), cacheDir, mirrors: { 'https://dl.k8s.io/release/': `${base}/mirror/` } });
    const cold = make();
    const [a, b] = await Promise.all([cold.text('https://dl.k8s.io/release/stable-1.32.txt', { what: 't' }), cold.text('https://dl.k8s.io/release/stable-1.32.txt', { what: 't' })]);
    expect([a.text, b.text]).toEqual(['v1.32.14\n', 'v1.32.14\n']);
    expect(cold.stats).toMatchObject({ requests: 1, conditional: 0, notModified: 0 });
    const warm = make();
    expect((await warm.text('https://dl.k8s.io/release/stable-1.32.txt', { what: 't' })).text).toBe('v1.32.14\n');
    expect(warm.stats).toMatchObject({ requests: 1, conditional: 1, notModified: 1 });
    body = 'v1.32.15\n';
    expect((await make().text('https://dl.k8s.io/release/stable-1.32.txt', { what: 't' })).text).toBe('v1.32.15\n');
    expect(seen.map((s) => s.split(' ')[0])).toEqual(['/mirror/stable-1.32.txt', '/mirror/stable-1.32.txt', '/mirror/stable-1.32.txt']);
    expect(seen.map((s) => s.split(' ')[1] !== '-')).toEqual([false, true, true]);
    await fs.rm(cacheDir, { recursive: true, force: true });
  });

  it('names the source and URL when it fails', async () => {
    const fetcher = createFetcher({ http: createHttp({ retries: 0 }) });
    await expect(fetcher.text('http://127.0.0.1:9/x', { what: 'Kubernetes 1.32' })).rejects.toMatchObject({ code: 'HTTP_UNREACHABLE', exitCode: 2, message: expect.stringMatching(/^Kubernetes 1\.32: GET http:\/\/127\.0\.0\.1:9\/x failed/) });
  });
});
