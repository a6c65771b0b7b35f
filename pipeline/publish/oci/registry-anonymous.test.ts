/** Integration: the client against a real docker-registry 2.8.2 without auth, cross-checked with skopeo. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../../core/http.js';
import { startFaultProxy, type FaultProxy } from '../../testing/registry/fault-proxy.js';
import { bytesFor, defaultFiles, sampleArtifact } from './__fixtures__/sample-artifact.js';
import { skopeoListTags, skopeoRawManifest } from '../../testing/registry/skopeo.js';
import { startRegistry, type TestRegistry } from '../../testing/registry/start-registry.js';
import { sha256Digest } from './digest.js';
import { referrersTag } from './reference.js';
import { createRegistry, openRepository, type Registry } from './repository.js';

let registry: TestRegistry;
let proxy: FaultProxy;
let client: Registry;
let tmp: string;
const http = createHttp({ retries: 2, backoffMs: 1, sleep: async () => undefined });

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy(registry.url);
  client = createRegistry(proxy.host, { http, chunkSize: 1024 * 1024, sleep: async () => undefined, backoffMs: 1 });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-oci-'));
});

afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('integration: publishing to docker-registry 2.8.2 (anonymous)', () => {
  it('publishes a bundle and reads it back byte-equal; skopeo sees the same manifest', async () => {
    const repo = client.repository('kaas/cluster-stacks');
    const artifact = sampleArtifact();
    const result = await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'openstack-scs-1-30-v1' });
    expect(result.status).toBe('pushed');
    expect(result.digest).toBe(artifact.digest);
    expect(result.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded']);
    expect(result.bytesSent).toBe(artifact.blobs.reduce((n, b) => n + b.descriptor.size, 0));

    const fetched = await repo.getManifest('openstack-scs-1-30-v1');
    expect(Buffer.from(fetched!.bytes).equals(Buffer.from(artifact.manifest))).toBe(true);
    expect(fetched!.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    for (const blob of artifact.blobs) {
      const bytes = await repo.getBlob(blob.descriptor.digest);
      expect(Buffer.from(bytes).equals(Buffer.from((blob.source as { bytes: Uint8Array }).bytes))).toBe(true);
    }
    const raw = await skopeoRawManifest(`${registry.host}/kaas/cluster-stacks:openstack-scs-1-30-v1`);
    expect(raw.equals(Buffer.from(artifact.manifest))).toBe(true);
    expect(sha256Digest(raw)).toBe(artifact.digest);
    expect(await repo.headManifest('openstack-scs-1-30-v1')).toEqual({ digest: artifact.digest, size: artifact.manifest.length, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
  });

  it('re-publishing the same artifact is a no-op that sends no blob bytes', async () => {
    const repo = client.repository('kaas/cluster-stacks');
    const artifact = sampleArtifact();
    await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'repush-v1' });
    proxy.reset();
    const again = await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'repush-v1' });
    expect(again.status).toBe('unchanged');
    expect(again.bytesSent).toBe(0);
    expect(proxy.bytesIn()).toBe(0);
    expect(proxy.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('refuses a different manifest under an existing tag and leaves the tag alone', async () => {
    const repo = client.repository('kaas/cluster-stacks');
    const first = sampleArtifact(defaultFiles('a'));
    const second = sampleArtifact(defaultFiles('b'));
    await repo.publish({ manifest: first.manifest, blobs: first.blobs, tag: 'immutable-v1' });
    const error = await repo.publish({ manifest: second.manifest, blobs: second.blobs, tag: 'immutable-v1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OCI_TAG_EXISTS', exitCode: 1 });
    expect((error as { details: string }).details).toMatch(/immutable/);
    expect((await repo.headManifest('immutable-v1'))?.digest).toBe(first.digest);
    expect(await repo.blobExists(second.blobs[3]!.descriptor.digest)).toBe(false);
  });

  it('dry run only looks: reports what it would upload and pushes nothing', async () => {
    const repo = client.repository('kaas/dry');
    const artifact = sampleArtifact(defaultFiles('dry'));
    proxy.reset();
    const plan = await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1', dryRun: true });
    expect(plan.status).toBe('would-push');
    expect(plan.blobs.every((b) => b.action === 'would-upload')).toBe(true);
    expect(proxy.requests.every((r) => r.method === 'HEAD')).toBe(true);
    expect(await repo.headManifest('v1')).toBeNull();
  });

  it('uploads a multi-MB file in ordered chunks and downloads it again by ranges', async () => {
    const repo = createRegistry(proxy.host, { http, chunkSize: 1024 * 1024, sleep: async () => undefined, backoffMs: 1, streamUploads: false }).repository('kaas/big');
    const file = path.join(tmp, 'big.bin');
    const bytes = bytesFor('big', 3_500_000);
    await fs.writeFile(file, bytes);
    const descriptor = { mediaType: 'application/vnd.scs.cluster-addon.layer.v1.tar+gzip', digest: sha256Digest(bytes), size: bytes.length };
    proxy.reset();
    const result = await repo.pushBlob({ descriptor, source: { path: file } });
    expect(result).toMatchObject({ action: 'uploaded', bytesSent: bytes.length, sessions: 1 });
    expect(proxy.requests.filter((r) => r.method === 'PATCH').map((r) => r.bytesIn)).toEqual([1048576, 1048576, 1048576, 354272]);
    expect(proxy.requests.filter((r) => r.method === 'PUT').map((r) => r.bytesIn)).toEqual([0]);
    expect(proxy.bytesIn()).toBe(bytes.length);
    const out = path.join(tmp, 'big.out');
    await repo.downloadBlob(descriptor.digest, descriptor.size, out);
    expect((await fs.readFile(out)).equals(bytes)).toBe(true);
    expect((await repo.pushBlob({ descriptor, source: { path: file } })).action).toBe('skipped');
  });

  it('streams a multi-MB file in one PUT (no buffered chunks) and refuses a file that changed on disk', async () => {
    const repo = client.repository('kaas/streamed');
    const file = path.join(tmp, 'streamed.bin');
    const bytes = bytesFor('streamed', 3_300_000);
    await fs.writeFile(file, bytes);
    const descriptor = { mediaType: 'application/vnd.scs.cluster-addon.layer.v1.tar+gzip', digest: sha256Digest(bytes), size: bytes.length };
    proxy.reset();
    expect(await repo.pushBlob({ descriptor, source: { path: file } })).toMatchObject({ action: 'uploaded', bytesSent: bytes.length, sessions: 1 });
    expect(proxy.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(proxy.requests.filter((r) => r.method === 'PUT').map((r) => r.bytesIn)).toEqual([bytes.length]);
    expect(Buffer.from(await repo.getBlob(descriptor.digest)).equals(bytes)).toBe(true);
    const changed = Buffer.from(bytesFor('streamed-2', 3_300_000));
    await fs.writeFile(file, changed);
    const error = await client.repository('kaas/streamed-2').pushBlob({ descriptor, source: { path: file } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OCI_BLOB_MISMATCH', exitCode: 1 });
    expect(await client.repository('kaas/streamed-2').blobExists(descriptor.digest)).toBe(false);
  });

  it('refuses a blob whose bytes do not match its descriptor before sending anything', async () => {
    const repo = client.repository('kaas/bad');
    const bytes = new TextEncoder().encode('hello');
    proxy.reset();
    const error = await repo.pushBlob({ descriptor: { mediaType: 'x', digest: sha256Digest('other'), size: 5 }, source: { bytes } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OCI_BLOB_MISMATCH' });
    expect(proxy.bytesIn()).toBe(0);
  });

  it('mounts blobs from another repository instead of uploading them', async () => {
    const artifact = sampleArtifact(defaultFiles('mount'));
    await client.repository('kaas/source').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    proxy.reset();
    const result = await client.repository('kaas/target').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1', mountFrom: ['kaas/source'] });
    expect(result.blobs.map((b) => b.action)).toEqual(['mounted', 'mounted', 'mounted', 'mounted']);
    expect(result.bytesSent).toBe(0);
    expect(proxy.bytesIn()).toBe(artifact.manifest.length);
    const fromMissing = await client.repository('kaas/target2').publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1', mountFrom: ['kaas/nowhere'] });
    expect(fromMissing.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded']);
  });

  it('lists every tag (2.8.2 answers n= with one full page)', async () => {
    const repo = client.repository('kaas/tags');
    const artifact = sampleArtifact(defaultFiles('tags'));
    const tags = ['v1', 'v2', 'v3', 'v4', 'v5'];
    for (const tag of tags) await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag });
    proxy.reset();
    // 2.8.2 ignores n= on tags/list (no Link): one page with everything. Paging itself: referrers-api.test.ts.
    expect((await repo.listTags(2)).sort()).toEqual(tags);
    expect(proxy.requests.filter((r) => r.path.includes('/tags/list')).map((r) => r.path)).toEqual(['/v2/kaas/tags/tags/list?n=2']);
    expect((await repo.listTags()).sort()).toEqual(tags);
    expect(await client.repository('kaas/never-pushed').listTags()).toEqual([]);
    expect((await skopeoListTags(`${registry.host}/kaas/tags`)).sort()).toEqual(tags);
  });

  it('keeps referrers in the sha256-<hex> fallback index (2.8.2 has no referrers API)', async () => {
    const repo = client.repository('kaas/signed');
    const subject = sampleArtifact(defaultFiles('signed'));
    await repo.publish({ manifest: subject.manifest, blobs: subject.blobs, tag: 'v1' });
    const subjectDescriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject.digest, size: subject.manifest.length };
    const sig = sampleArtifact([{ name: 'bundle.json', mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }], {
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      subject: subjectDescriptor,
      annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope' },
    });
    const prov = sampleArtifact([{ name: 'provenance.json', mediaType: 'application/vnd.in-toto+json' }], { artifactType: 'application/vnd.in-toto+json', subject: subjectDescriptor });

    expect(await repo.listReferrers(subject.digest)).toEqual([]);
    const first = await repo.pushReferrer(subject.digest, sig.manifest, sig.blobs);
    expect(first).toMatchObject({ via: 'fallback-tag', alreadyListed: false, digest: sig.digest });
    const signatures = repo.signatures();
    expect(signatures.name).toBe('kaas/signed-signatures');
    const firstIndex = await signatures.getManifest(referrersTag(subject.digest));
    await repo.pushReferrer(subject.digest, prov.manifest, prov.blobs);
    // The superseded index version is deleted by digest, as ORAS does.
    expect(await signatures.getManifest(firstIndex!.digest)).toBeNull();
    expect((await repo.pushReferrer(subject.digest, sig.manifest, sig.blobs)).alreadyListed).toBe(true);

    const all = await repo.listReferrers(subject.digest);
    expect(all.map((d) => d.digest)).toEqual([sig.digest, prov.digest]);
    expect(all[0]).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sig.digest,
      size: sig.manifest.length,
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope' },
    });
    expect((await repo.listReferrers(subject.digest, 'application/vnd.in-toto+json')).map((d) => d.digest)).toEqual([prov.digest]);
    const index = await signatures.getManifest(referrersTag(subject.digest));
    expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    // The release repository keeps only its own tags; the fallback index lives in the companion repository.
    expect(await skopeoListTags(`${registry.host}/kaas/signed`)).toEqual(['v1']);
    expect(await skopeoListTags(`${registry.host}/kaas/signed-signatures`)).toEqual([referrersTag(subject.digest)]);

    await repo.deleteReferrer(subject.digest, prov.digest);
    expect((await repo.listReferrers(subject.digest)).map((d) => d.digest)).toEqual([sig.digest]);
    expect(await signatures.getManifest(prov.digest)).toBeNull();
  });

  it('deletes manifests by digest and opens repositories from oci:// references', async () => {
    const repo = await openRepository(`oci://${proxy.host}/kaas/delete-me:v1`, { http });
    expect(repo.reference).toEqual({ registry: proxy.host, repository: 'kaas/delete-me', tag: 'v1' });
    const artifact = sampleArtifact(defaultFiles('delete'));
    await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(await repo.deleteManifest(artifact.digest)).toBe(true);
    expect(await repo.headManifest('v1')).toBeNull();
    expect(await repo.deleteManifest(artifact.digest)).toBe(false);
  });
});
