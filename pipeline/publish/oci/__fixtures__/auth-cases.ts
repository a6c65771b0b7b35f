/**
 * Test cases shared by the htpasswd and token registry test files: publish/pull with credentials, skopeo
 * with --creds, docker config.json, refused credentials, and a sentinel secret that must never leak.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttp } from '../../../core/http.js';
import { createLog } from '../../../core/log.js';
import type { Credentials } from '../auth.js';
import { createRegistry, openRepository } from '../repository.js';
import { startFaultProxy, type FaultProxy } from '../../../testing/registry/fault-proxy.js';
import { defaultFiles, sampleArtifact } from './sample-artifact.js';
import { skopeoRawManifest } from '../../../testing/registry/skopeo.js';
import { startRegistry, type RegistryAuth, type TestRegistry } from '../../../testing/registry/start-registry.js';

/** What the cases share; filled in `beforeAll`. */
export interface AuthContext {
  registry: TestRegistry;
  proxy: FaultProxy;
  tmp: string;
  logLines: string[];
  http: ReturnType<typeof createHttp>;
  /** Sentinel password of the extra user `sentinel` (valid in token mode only through its own checks). */
  sentinel: string;
}

export const SENTINEL = 'S3ntinel-p@ss/w0rd+never-printed';

/** Starts the registry (one per test file) behind a counting proxy and registers cleanup. */
export function useAuthRegistry(auth: RegistryAuth): AuthContext {
  const ctx = { logLines: [] as string[], sentinel: SENTINEL, http: createHttp({ retries: 1, backoffMs: 1, sleep: async () => undefined }) } as AuthContext;
  beforeAll(async () => {
    ctx.registry = await startRegistry({ auth, users: [{ username: 'reader', password: 'reader-pw-123', actions: ['pull'] }] });
    ctx.proxy = await startFaultProxy(ctx.registry.url);
    ctx.tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-oci-auth-'));
  });
  afterAll(async () => {
    await ctx.proxy?.close();
    await ctx.registry?.stop();
    if (ctx.tmp) await fs.rm(ctx.tmp, { recursive: true, force: true });
  });
  return ctx;
}

/** A registry client through the proxy with a capturing verbose log that knows no secrets. */
export function clientFor(ctx: AuthContext, credentials?: Credentials) {
  const log = createLog({ write: (line) => ctx.logLines.push(line), verbose: true });
  return createRegistry(ctx.proxy.host, { http: ctx.http, credentials, log, sleep: async () => undefined });
}

/** Every string a thrown error exposes: message, details, fields and the cause chain. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(String(e), JSON.stringify(e), (e as Error).stack ?? '', (e as { details?: string }).details ?? '');
  }
  return parts.join('\n');
}

/** Asserts that no form of `secret` (plain, URL-encoded, base64 alone or of user:secret) occurs in `text`. */
export function expectNoSecret(text: string, secret: string, username = 'csp-user'): void {
  for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`${username}:${secret}`).toString('base64')]) {
    expect(text.includes(form), `secret form ${form.slice(0, 4)}… leaked`).toBe(false);
  }
}

/** The cases both auth modes must pass. */
export function authCases(ctx: AuthContext): void {
  it('publishes with credentials, pulls back byte-equal and skopeo --creds sees the same manifest', async () => {
    const repo = clientFor(ctx, ctx.registry.credentials).repository('kaas/cluster-stacks');
    const artifact = sampleArtifact();
    expect((await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' })).status).toBe('pushed');
    const fetched = await repo.getManifest('v1');
    expect(Buffer.from(fetched!.bytes).equals(Buffer.from(artifact.manifest))).toBe(true);
    for (const blob of artifact.blobs) expect(Buffer.from(await repo.getBlob(blob.descriptor.digest)).equals(Buffer.from((blob.source as { bytes: Uint8Array }).bytes))).toBe(true);
    const raw = await skopeoRawManifest(`${ctx.registry.host}/kaas/cluster-stacks:v1`, ctx.registry.credentials);
    expect(raw.equals(Buffer.from(artifact.manifest))).toBe(true);
    ctx.proxy.reset();
    const again = await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(again).toMatchObject({ status: 'unchanged', bytesSent: 0 });
    expect(ctx.proxy.bytesIn()).toBe(0);
  });

  it('answers a challenge once per client, never re-sending blob bodies to get a 401', async () => {
    const repo = clientFor(ctx, ctx.registry.credentials).repository('kaas/once');
    const artifact = sampleArtifact(defaultFiles('once'));
    ctx.proxy.reset();
    await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    const refused = ctx.proxy.requests.filter((r) => r.outcome === 401);
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(refused.every((r) => r.bytesIn === 0)).toBe(true);
  });

  it('mounts blobs across repositories with credentials', async () => {
    const client = clientFor(ctx, ctx.registry.credentials);
    const artifact = sampleArtifact(defaultFiles('mount'));
    await client.repository('kaas/src').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    const result = await client.repository('kaas/dst').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1', mountFrom: ['kaas/src'] });
    expect(result.blobs.map((b) => b.action)).toEqual(['mounted', 'mounted', 'mounted', 'mounted']);
  });

  it('keeps the referrers fallback index with credentials', async () => {
    const repo = clientFor(ctx, ctx.registry.credentials).repository('kaas/referred');
    const subject = sampleArtifact(defaultFiles('referred'));
    await repo.publish({ manifest: subject.manifest, blobs: subject.blobs, tag: 'v1' });
    const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject.digest, size: subject.manifest.length };
    const sigs = ['a', 'b'].map((n) => sampleArtifact([{ name: `${n}.sig.json`, mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }], { artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', subject: descriptor }));
    for (const sig of sigs) expect((await repo.pushReferrer(subject.digest, sig.manifest, sig.blobs)).via).toBe('fallback-tag');
    expect((await repo.listReferrers(subject.digest)).map((d) => d.digest)).toEqual(sigs.map((s) => s.digest));
  });

  it('reads credentials from a docker config.json', async () => {
    const { username, password } = ctx.registry.credentials!;
    const file = path.join(ctx.tmp, 'config.json');
    await fs.writeFile(file, JSON.stringify({ auths: { [`http://${ctx.proxy.host}`]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }));
    const repo = await openRepository(`${ctx.proxy.host}/kaas/cluster-stacks:v1`, { http: ctx.http, dockerConfig: file });
    expect(await repo.headManifest('v1')).not.toBeNull();
  });

  it('fails as a user error without credentials', async () => {
    const artifact = sampleArtifact(defaultFiles('anon'));
    const error = await clientFor(ctx).repository('kaas/anon').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 1 });
    expect(['OCI_UNAUTHORIZED', 'OCI_DENIED']).toContain((error as { code: string }).code);
  });

  it('never shows a rejected password or a working one in errors or logs', async () => {
    ctx.logLines.length = 0;
    const artifact = sampleArtifact(defaultFiles('sentinel'));
    const error = await clientFor(ctx, { username: 'csp-user', password: ctx.sentinel }).repository('kaas/sentinel').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 1 });
    expect(['OCI_CREDENTIALS_REJECTED', 'OCI_AUTH_FAILED']).toContain((error as { code: string }).code);
    expectNoSecret(errorText(error), ctx.sentinel);
    const ok = await clientFor(ctx, ctx.registry.credentials).repository('kaas/sentinel').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(ok.status).toBe('pushed');
    expect(ctx.logLines.length).toBeGreaterThan(5);
    const logs = ctx.logLines.join('\n');
    expectNoSecret(logs, ctx.sentinel);
    expectNoSecret(logs, ctx.registry.credentials!.password);
    expect(logs).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{20,}/);
  });
}
