/**
 * Hostile servers on loopback: endless and oversized bodies, compression bombs, slow drips, stalls,
 * redirect loops and circular pagination. Each ends quickly with a coded UpstreamError (exit 2), is
 * not retried as if it were a network error, and keeps the process's peak memory flat.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, listReleases, openGithubClient } from '../publish/index.js';
import { createLog } from './log.js';
import { configureLimits } from './limits.js';
import { createHttp } from './http.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let hits = 0;
let server: http.Server;
let base: string;
let closedPort: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  configureLimits({});
  hits = 0;
});

const client = createHttp({ retries: 4, backoffMs: 1 });
const peakMb = (): number => process.resourceUsage().maxRSS / 1024;

function endless(res: http.ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = (): void => {
    while (res.write(chunk));
    res.once('drain', pump);
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

describe('core/http against hostile servers', () => {
  it('stops an endless body at the size limit, once, without growing memory', async () => {
    handler = (_req, res) => endless(res);
    const before = peakMb();
    await expect(client.request({ url: `${base}/endless`, maxBytes: 4 * 1024 * 1024 })).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_LARGE', exitCode: 2 });
    expect(hits).toBe(1);
    expect(peakMb() - before).toBeLessThan(200);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
      res.write('x');
    };
    await expect(client.request({ url: `${base}/big`, maxBytes: 1024 })).rejects.toThrow(/104857600 bytes, over the 1024-byte limit/);
    expect(hits).toBe(1);
  });

  it('asks for identity encoding and refuses a gzip answer it did not ask for', async () => {
    let asked = '';
    handler = (req, res) => {
      asked = String(req.headers['accept-encoding']);
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(10 * 1024 * 1024)));
    };
    await expect(client.request({ url: `${base}/bomb` })).rejects.toMatchObject({ code: 'HTTP_UNEXPECTED_ENCODING' });
    expect(asked).toBe('identity');
    expect(hits).toBe(1);
  });

  it('ends a slow drip at the deadline and a stall at the idle timeout, naming which', async () => {
    configureLimits({}, { httpIdleMs: 300, httpDeadlineMs: 1200 });
    handler = (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
    };
    await expect(client.request({ url: `${base}/drip` })).rejects.toThrow(/not finished after 1\.2 s \(deadline\)/);
    expect(hits).toBe(1);
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('x');
    };
    await expect(client.request({ url: `${base}/stall` })).rejects.toMatchObject({ code: 'HTTP_IDLE_TIMEOUT', message: expect.stringMatching(/no data for 0\.3 s \(idle timeout\)/) });
    expect(hits).toBe(2);
  });

  it.each([
    ['a redirect loop', () => `${base}/loop`, 'HTTP_REDIRECT_LOOP', /redirect/],
    ['a file:// address', () => 'file:///etc/passwd', 'HTTP_URL_UNSUPPORTED', /only http:\/\/ and https:\/\//],
    ['a closed port', () => `http://127.0.0.1:${closedPort}/x`, 'HTTP_UNREACHABLE', /failed after 2 attempts: .*ECONNREFUSED/],
  ])('%s has its own code and message', async (_what, url, code, message) => {
    handler = (_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    };
    await expect(createHttp({ retries: 1, backoffMs: 1 }).request({ url: url() })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe('registry pagination', () => {
  it('a Link: next pointing back to itself is OCI_PAGINATION_LOOP after one page, not 10,000 requests', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: '</v2/kaas/loop/tags/list?n=1>; rel="next"' });
      res.end(JSON.stringify({ name: 'kaas/loop', tags: ['v1'] }));
    };
    const repo = createRegistry(new URL(base).host, { http: client }).repository('kaas/loop');
    await expect(repo.listTags(1)).rejects.toMatchObject({ code: 'OCI_PAGINATION_LOOP', exitCode: 2 });
    expect(hits).toBe(1);
  });

  it('endless distinct pages stop at the page limit with OCI_TOO_MANY_PAGES', async () => {
    configureLimits({}, { httpPages: 5 });
    let n = 0;
    handler = (_req, res) => {
      n++;
      res.writeHead(200, { 'content-type': 'application/json', link: `</v2/kaas/many/tags/list?n=1&last=t${n}>; rel="next"` });
      res.end(JSON.stringify({ name: 'kaas/many', tags: [`t${n}`] }));
    };
    const repo = createRegistry(new URL(base).host, { http: client }).repository('kaas/many');
    await expect(repo.listTags(1)).rejects.toMatchObject({ code: 'OCI_TOO_MANY_PAGES' });
    expect(hits).toBe(5);
  });

  it('GitHub release pages that loop are GITHUB_PAGINATION_LOOP, not an endless list', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: `<${base}${req.url}>; rel="next"` });
      res.end('[]');
    };
    const gh = await openGithubClient({ owner: 'o', repo: 'r', baseUrl: base, log: createLog({ write: () => undefined }), retryBaseMs: 1 });
    await expect(listReleases(gh)).rejects.toMatchObject({ code: 'GITHUB_PAGINATION_LOOP', exitCode: 2 });
    expect(hits).toBe(2);
  });
});
