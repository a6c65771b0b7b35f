/**
 * core/http-node.ts against two loopback servers (two origins): redirects as fetch follows them, credentials
 * never carried to another origin, bodies resent only where fetch resends them, and the answer's head and body
 * as core/http reads them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSelfSignedCert } from '../testing/registry/self-signed-cert.js';
import { repoRoot } from '../testing/paths.js';
import { sendNode, type NodeRequest } from './http-node.js';

interface Seen {
  server: 'a' | 'b';
  method: string;
  url: string;
  authorization?: string;
  cookie?: string;
  contentType?: string;
  body: string;
}

let seen: Seen[] = [];
let a: http.Server;
let b: http.Server;
let baseA: string;
let baseB: string;

function serve(name: 'a' | 'b'): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ server: name, method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie, contentType: req.headers['content-type'], body });
      const redirect = /^\/(30[12378])(?:\/(.*))?$/.exec(req.url ?? '');
      if (redirect) {
        // /307/b/x redirects to server b's /x; /307/x to this server's /x.
        const rest = redirect[2] ?? 'done';
        const location = rest.startsWith('b/') ? `${baseB}/${rest.slice(2)}` : rest.startsWith('file') ? 'file:///etc/passwd' : `/${rest}`;
        res.writeHead(Number(redirect[1]), { location }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-twice': ['one', 'two'] }).end(`${name}:${req.method}:${body}`);
    });
  });
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  a = serve('a');
  b = serve('b');
  baseA = await listen(a);
  baseB = await listen(b);
});
afterAll(async () => {
  for (const s of [a, b]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});
beforeEach(() => {
  seen = [];
});

const send = (url: string, extra: Partial<NodeRequest> = {}) => sendNode({ url, method: 'GET', headers: {}, signal: AbortSignal.timeout(10_000), redirect: 'follow', ...extra });

async function text(res: Awaited<ReturnType<typeof sendNode>>): Promise<string> {
  const reader = res.body!.getReader();
  let out = '';
  for (let r = await reader.read(); !r.done; r = await reader.read()) out += Buffer.from(r.value!).toString('utf8');
  return out;
}

describe('sendNode', () => {
  it.each([
    // [path, method, expected method at the target, body resent]
    ['/301/x', 'GET', 'GET', false],
    ['/302/x', 'POST', 'GET', false],
    ['/303/x', 'PUT', 'GET', false],
    ['/307/x', 'PUT', 'PUT', true],
    ['/308/x', 'POST', 'POST', true],
    ['/301/x', 'PUT', 'PUT', true],
  ])('%s after %s: the target sees %s (body resent: %s), the answer names the last URL', async (where, method, targetMethod, resent) => {
    const res = await send(`${baseA}${where}`, method === 'GET' ? {} : { method, body: 'payload', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${baseA}/x`);
    expect(await text(res)).toBe(`a:${targetMethod}:${resent ? 'payload' : ''}`);
    expect(seen.map((s) => s.method)).toEqual([method, targetMethod]);
    expect(seen[1]!.contentType).toBe(resent ? 'text/plain' : undefined);
  });

  it('keeps credentials on the same origin and drops them for another one', async () => {
    const headers = { Authorization: 'Bearer secret-token', Cookie: 'c=1', Accept: 'application/json' };
    await send(`${baseA}/302/y`, { headers });
    expect(seen[1]).toMatchObject({ server: 'a', authorization: 'Bearer secret-token', cookie: 'c=1' });
    seen = [];
    const res = await send(`${baseA}/307/b/z`, { headers });
    expect(res.url).toBe(`${baseB}/z`);
    expect(seen[1]).toMatchObject({ server: 'b', url: '/z', authorization: undefined, cookie: undefined });
  });

  it('manual returns the redirect itself; error and a streamed body fail on one; other schemes are refused', async () => {
    const manual = await send(`${baseA}/302/x`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([302, '/x']);
    await manual.body?.cancel();
    await expect(send(`${baseA}/302/x`, { redirect: 'error' })).rejects.toMatchObject({ message: 'fetch failed', cause: { message: 'unexpected redirect' } });
    async function* chunks(): AsyncIterable<Uint8Array> {
      yield Buffer.from('streamed');
    }
    await expect(send(`${baseA}/307/x`, { method: 'PUT', chunks: chunks() })).rejects.toMatchObject({ cause: { message: 'unexpected redirect' } });
    await expect(send(`${baseA}/302/file`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/HTTP\(S\) scheme/) as string } });
    expect(seen.filter((s) => s.url === '/x')).toEqual([]);
  });

  it('stops after 20 redirects', async () => {
    await expect(send(`${baseA}/302/302/302`)).resolves.toMatchObject({ status: 200 });
    const loop = http.createServer((_req, res) => res.writeHead(302, { location: '/again' }).end());
    const base = await listen(loop);
    try {
      await expect(send(`${base}/start`)).rejects.toMatchObject({ cause: { message: 'redirect count exceeded' } });
    } finally {
      loop.closeAllConnections();
      await new Promise((resolve) => loop.close(resolve));
    }
  });

  it('reads headers by any case (repeated ones joined), HEAD has no body, a refused connection is a fetch failure', async () => {
    const res = await send(`${baseA}/h`);
    expect([res.ok, res.headers.get('Content-Type'), res.headers.get('x-twice'), res.headers.get('x-none')]).toEqual([true, 'text/plain', 'one, two', null]);
    expect(await text(res)).toBe('a:GET:');
    const head = await send(`${baseA}/h`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, null]);
    const closed = http.createServer();
    const port = (await listen(closed)).split(':').pop();
    await new Promise((resolve) => closed.close(resolve));
    await expect(send(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });
});

describe('sendNode over https', () => {
  it('verifies the certificate: refused when untrusted, answered when the CA is trusted (NODE_EXTRA_CA_CERTS)', async () => {
    const cert = createSelfSignedCert('localhost');
    const server = https.createServer({ key: cert.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: cert.certPem }, (_req, res) => res.end('over tls'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-http-node-'));
    try {
      await expect(send(url)).rejects.toMatchObject({ message: 'fetch failed', cause: { code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) as string } });
      // Trust is read at process start: a child process with the CA added answers.
      await fs.writeFile(path.join(dir, 'ca.pem'), cert.certPem);
      const script = `import { sendNode } from ${JSON.stringify(path.join(repoRoot, 'pipeline/core/http-node.ts'))};
const res = await sendNode({ url: ${JSON.stringify(url)}, method: 'GET', headers: {}, signal: AbortSignal.timeout(10000), redirect: 'follow' });
const reader = res.body.getReader(); let out = '';
for (let r = await reader.read(); !r.done; r = await reader.read()) out += Buffer.from(r.value).toString();
process.stdout.write(res.status + ' ' + out);`;
      await fs.writeFile(path.join(dir, 'probe.mts'), script);
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', path.join(dir, 'probe.mts')], { cwd: repoRoot, env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') } }, (error, out, err) => (error ? reject(new Error(`${error.message} ${err}`)) : resolve(out)));
      });
      expect(stdout).toBe('200 over tls');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
