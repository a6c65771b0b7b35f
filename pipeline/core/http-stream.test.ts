/**
 * Streamed request bodies (blob uploads) against loopback servers: a source that reuses one buffer arrives
 * byte-equal, an upload the server stops reading ends at the idle timeout, redirects are not followed, and an
 * early answer (before the body was read) is readable.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttp, type StreamBody } from './http.js';
import { configureLimits } from './limits.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let seen: { method: string; url: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  configureLimits({});
  seen = [];
});

/** `count` chunks of `size` bytes, all written into ONE buffer (each chunk different), like a file read loop. */
function reusedBuffer(count: number, size: number): StreamBody & { digest: () => string } {
  const hash = crypto.createHash('sha256');
  return {
    digest: () => hash.copy().digest('hex'),
    async *open() {
      const buffer = Buffer.alloc(size);
      for (let i = 0; i < count; i++) {
        buffer.fill(i % 251);
        buffer.writeUInt32BE(i, 0);
        hash.update(buffer);
        yield buffer;
      }
    },
  };
}

function hashingServer(status = 201): Handler {
  return (req, res) => {
    const hash = crypto.createHash('sha256');
    req.on('data', (d: Buffer) => hash.update(d));
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(hash.digest('hex'));
    });
  };
}

describe('core/http streamed request bodies', () => {
  it('sends every chunk of a source that reuses one buffer byte-equal (each is flushed before the next is read)', async () => {
    handler = hashingServer();
    const body = reusedBuffer(48, 1 << 20);
    const res = await createHttp({ retries: 0 }).request({ url: `${base}/upload`, method: 'PUT', headers: { 'content-length': String(48 << 20) }, body });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe(body.digest());
    expect(res.url).toBe(`${base}/upload`);
  });

  it('resends the stream from the start on a retried attempt', async () => {
    let attempt = 0;
    handler = (req, res) => {
      attempt++;
      if (attempt === 1) {
        req.resume();
        req.on('end', () => {
          res.writeHead(503);
          res.end();
        });
        return;
      }
      hashingServer()(req, res);
    };
    const body = reusedBuffer(4, 64 * 1024);
    const res = await createHttp({ retries: 1, backoffMs: 1 }).request({ url: `${base}/retry`, method: 'PUT', body });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe(crypto.createHash('sha256').update(Buffer.concat(await collect(body))).digest('hex'));
  });

  it('ends an upload the server stops reading at the idle timeout, without retrying it', async () => {
    configureLimits({}, { httpIdleMs: 300 });
    handler = (req) => req.pause(); // never reads, never answers
    const started = Date.now();
    const error = await createHttp({ retries: 3, backoffMs: 1 }).request({ url: `${base}/stall`, method: 'PUT', body: reusedBuffer(1024, 1 << 20) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_IDLE_TIMEOUT', exitCode: 2 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(seen).toHaveLength(1);
  });

  it.each([301, 303, 307, 308])('does not follow a %i redirect of a streamed request (it could not resend the body)', async (status) => {
    handler = (req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/moved') {
          res.writeHead(status, { location: '/elsewhere' });
          res.end();
        } else hashingServer()(req, res);
      });
    };
    const error = await createHttp({ retries: 0 }).request({ url: `${base}/moved`, method: 'PUT', body: reusedBuffer(2, 1024) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_UNREACHABLE' });
    expect(String((error as Error).message)).toMatch(/unexpected redirect/);
    expect(seen.map((r) => r.url)).toEqual(['/moved']);
  });

  it('returns an answer the server sends before reading the body (e.g. 401), with its body', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="x"' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    };
    const res = await createHttp({ retries: 0 }).request({ url: `${base}/early`, method: 'PUT', body: reusedBuffer(64, 1 << 20) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="x"');
    expect(await res.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED' }] });
  });
});

async function collect(body: StreamBody): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of body.open()) out.push(Buffer.from(chunk));
  return out;
}
