/** Integration: faults injected between the client and a real docker-registry 2.8.2 (500, 429, dropped connections). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../core/errors.js';
import { createHttp } from '../../core/http.js';
import { startFaultProxy, type FaultProxy } from '../../testing/registry/fault-proxy.js';
import { bytesFor, defaultFiles, sampleArtifact, type SampleArtifact } from './__fixtures__/sample-artifact.js';
import { startRegistry, type TestRegistry } from '../../testing/registry/start-registry.js';
import { sha256Digest } from './digest.js';
import { createRegistry, type Registry } from './repository.js';

let registry: TestRegistry;
let proxy: FaultProxy;
let viaProxy: Registry;
let direct: Registry;
const waits: number[] = [];
const sleep = async (ms: number): Promise<void> => void waits.push(ms);
const http = createHttp({ retries: 2, backoffMs: 1, sleep });
const CHUNK = 256 * 1024;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy(registry.url);
  viaProxy = createRegistry(proxy.host, { http, chunkSize: CHUNK, sleep, backoffMs: 5, uploadAttempts: 3 });
  direct = createRegistry(registry.host, { http: createHttp({ retries: 0 }) });
});

afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
});

beforeEach(() => {
  proxy.setRules([]);
  proxy.reset();
  waits.length = 0;
});

/** A bundle whose cluster-class layer is `size` bytes, unique per test. */
function bundle(seed: string, size: number): SampleArtifact {
  const files = defaultFiles(seed);
  files[2] = { ...files[2]!, bytes: bytesFor(seed, size) };
  return sampleArtifact(files);
}

const bigLayer = (a: SampleArtifact) => a.blobs[3]!.descriptor;

describe('integration: publishing through faults', () => {
  it('restarts the upload session from POST after a 500 on a PATCH', async () => {
    const artifact = bundle('patch-500', CHUNK * 3 + 10);
    proxy.setRules([{ method: 'PATCH', nth: 2, action: { kind: 'status', status: 500 } }]);
    const result = await viaProxy.repository('faults/a').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(result.status).toBe('pushed');
    const posts = proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('/blobs/uploads/'));
    expect(posts.length).toBe(artifact.blobs.length + 1);
    expect(proxy.requests.some((r) => r.method === 'DELETE')).toBe(true);
    // One chunk was sent and answered 500, another went out before: both count as bytes sent.
    expect(result.bytesSent).toBe(artifact.blobs.reduce((n, b) => n + b.descriptor.size, 0) + 2 * CHUNK);
    expect(proxy.bytesIn()).toBe(result.bytesSent + artifact.manifest.length);
    const pulled = await direct.repository('faults/a').getBlob(bigLayer(artifact).digest);
    expect(pulled.length).toBe(bigLayer(artifact).size);
  });

  it('recovers when the connection drops in the middle of a PATCH body', async () => {
    const artifact = bundle('patch-drop', CHUNK * 2 + 5);
    proxy.setRules([{ method: 'PATCH', nth: 1, action: { kind: 'drop', afterBytes: 1000 } }]);
    const result = await viaProxy.repository('faults/b').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(result.status).toBe('pushed');
    expect(proxy.requests.some((r) => r.outcome === 'dropped')).toBe(true);
    expect((await direct.repository('faults/b').headManifest('v1'))?.digest).toBe(artifact.digest);
  });

  it('recovers when the connection drops during a monolithic PUT', async () => {
    const artifact = bundle('put-drop', 3000);
    proxy.setRules([{ method: 'PUT', path: /\/blobs\/uploads\//, nth: 4, action: { kind: 'drop', afterBytes: 100 } }]);
    const result = await viaProxy.repository('faults/c').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(result.status).toBe('pushed');
    expect(proxy.requests.filter((r) => r.outcome === 'dropped').length).toBe(1);
    expect((await direct.repository('faults/c').getManifest('v1'))?.digest).toBe(artifact.digest);
  });

  it('notices a blob that was stored although the answer to its final PUT was lost', async () => {
    const artifact = bundle('lost-answer', 3000);
    proxy.setRules([{ method: 'PUT', path: /\/blobs\/uploads\//, nth: 4, action: { kind: 'drop-response' } }]);
    const result = await viaProxy.repository('faults/d').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(result.status).toBe('pushed');
    expect(proxy.requests.filter((r) => r.outcome === 'dropped').map((r) => r.method)).toEqual(['PUT']);
    const posts = proxy.requests.filter((r) => r.method === 'POST').length;
    expect(posts).toBe(artifact.blobs.length);
  });

  it('waits as told by Retry-After on a 429 during upload', async () => {
    const artifact = bundle('429', 3000);
    proxy.setRules([{ method: 'PUT', path: /\/blobs\/uploads\//, nth: 1, action: { kind: 'status', status: 429, retryAfter: '3' } }]);
    const result = await viaProxy.repository('faults/e').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(result.status).toBe('pushed');
    expect(waits).toContain(3000);
  });

  it('gives up with OCI_UPLOAD_FAILED when every PATCH fails, and no tag becomes visible', async () => {
    const artifact = bundle('always-500', CHUNK * 2);
    proxy.setRules([{ method: 'PATCH', nth: 1, times: 1000, action: { kind: 'status', status: 503 } }]);
    const error = await viaProxy.repository('faults/f').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'OCI_UPLOAD_FAILED', exitCode: 2, retriable: true });
    expect(proxy.requests.filter((r) => r.method === 'PATCH').length).toBe(3);
    expect(await direct.repository('faults/f').headManifest('v1')).toBeNull();
    expect(await direct.repository('faults/f').headManifest(artifact.digest)).toBeNull();
  });

  it('fails with an UpstreamError and no visible tag when the tag PUT keeps dropping', async () => {
    const artifact = bundle('tag-drop', 3000);
    proxy.setRules([{ method: 'PUT', path: /\/manifests\/v1$/, nth: 1, times: 1000, action: { kind: 'drop' } }]);
    const error = await viaProxy.repository('faults/g').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(await direct.repository('faults/g').headManifest('v1')).toBeNull();
    // Content went up first; publishing again later only needs the tag.
    proxy.setRules([]);
    proxy.reset();
    const again = await viaProxy.repository('faults/g').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(again.blobs.every((b) => b.action === 'skipped')).toBe(true);
    expect(again.bytesSent).toBe(0);
  });

  it('restarts a streamed file upload whose connection drops mid-body, and stores the right bytes', async () => {
    const bytes = bytesFor('stream-drop', CHUNK * 3 + 7);
    const file = path.join(os.tmpdir(), `csp-stream-drop-${process.pid}.bin`);
    await fs.writeFile(file, bytes);
    const descriptor = { mediaType: 'application/octet-stream', digest: sha256Digest(bytes), size: bytes.length };
    proxy.setRules([{ method: 'PUT', path: /\/blobs\/uploads\//, nth: 1, action: { kind: 'drop', afterBytes: CHUNK } }]);
    try {
      const result = await viaProxy.repository('faults/stream').pushBlob({ descriptor, source: { path: file } });
      expect(result).toMatchObject({ action: 'uploaded', sessions: 2 });
      expect(proxy.requests.filter((r) => r.outcome === 'dropped').length).toBe(1);
      expect(Buffer.from(await direct.repository('faults/stream').getBlob(descriptor.digest)).equals(bytes)).toBe(true);
    } finally {
      await fs.rm(file, { force: true });
    }
  });

  it('retries a manifest PUT answered 500 once (core/http retry)', async () => {
    const artifact = bundle('manifest-500', 3000);
    proxy.setRules([{ method: 'PUT', path: /\/manifests\/v1$/, nth: 1, action: { kind: 'status', status: 500 } }]);
    const result = await viaProxy.repository('faults/h').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(result.status).toBe('pushed');
    expect((await direct.repository('faults/h').headManifest('v1'))?.digest).toBe(artifact.digest);
  });
});
