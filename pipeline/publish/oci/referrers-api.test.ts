/** Paths docker-registry 2.8.2 lacks, against the in-process fake: referrers API, OCI-Subject, Link-paged tags. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../../core/http.js';
import { startFakeRegistry, type FakeRegistry } from '../../testing/registry/fake-registry.js';
import { defaultFiles, sampleArtifact } from './__fixtures__/sample-artifact.js';
import { bytesFor } from './__fixtures__/sample-artifact.js';
import { sha256Digest } from './digest.js';
import { referrersTag } from './reference.js';
import { createRegistry } from './repository.js';

const http = createHttp({ retries: 0 });
let withApi: FakeRegistry;
let hubLike: FakeRegistry;
let unfiltered: FakeRegistry;

beforeAll(async () => {
  withApi = await startFakeRegistry({ referrersPageSize: 1 });
  hubLike = await startFakeRegistry({ referrersApi: false, ociSubjectHeader: true });
  unfiltered = await startFakeRegistry({ filterArtifactType: false });
});

afterAll(async () => {
  await Promise.all([withApi?.close(), hubLike?.close(), unfiltered?.close()]);
});

async function subjectWithReferrers(host: string) {
  const repo = createRegistry(host, { http }).repository('kaas/stacks');
  const subject = sampleArtifact(defaultFiles('subject'));
  await repo.publish({ manifest: subject.manifest, blobs: subject.blobs, tag: 'v1' });
  const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject.digest, size: subject.manifest.length };
  const sig = sampleArtifact([{ name: 'bundle.json', mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }], { artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', subject: descriptor });
  const prov = sampleArtifact([{ name: 'prov.json', mediaType: 'application/vnd.in-toto+json' }], { artifactType: 'application/vnd.in-toto+json', subject: descriptor });
  const pushed = [await repo.pushReferrer(subject.digest, sig.manifest, sig.blobs), await repo.pushReferrer(subject.digest, prov.manifest, prov.blobs)];
  return { repo, subject, sig, prov, pushed };
}

describe('referrers API (fake registry)', () => {
  it('uses the API when the registry has it: no fallback tag, pages followed, filter applied by the server', async () => {
    const { repo, subject, sig, prov, pushed } = await subjectWithReferrers(withApi.host);
    expect(pushed.map((p) => p.via)).toEqual(['api', 'api']);
    expect(await repo.getManifest(referrersTag(subject.digest))).toBeNull();
    expect((await repo.listReferrers(subject.digest)).map((d) => d.digest).sort()).toEqual([sig.digest, prov.digest].sort());
    expect(withApi.requests.filter((r) => r.includes(`/referrers/${subject.digest}`)).length).toBe(2);
    const onlySigs = await repo.listReferrers(subject.digest, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(onlySigs).toEqual([expect.objectContaining({ digest: sig.digest, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' })]);
    expect(withApi.requests.filter((r) => r.includes('/referrers/sha256:0000')).length).toBe(1);
  });

  it('filters on the client when the registry ignores artifactType', async () => {
    const { repo, subject, prov } = await subjectWithReferrers(unfiltered.host);
    expect((await repo.listReferrers(subject.digest, 'application/vnd.in-toto+json')).map((d) => d.digest)).toEqual([prov.digest]);
  });

  it('falls back to the sha256-<hex> tag when OCI-Subject is sent but the API answers 404', async () => {
    const { repo, subject, sig, prov, pushed } = await subjectWithReferrers(hubLike.host);
    expect(pushed.map((p) => p.via)).toEqual(['fallback-tag', 'fallback-tag']);
    expect((await repo.listReferrers(subject.digest)).map((d) => d.digest)).toEqual([sig.digest, prov.digest]);
  });

  it('follows Link pages when listing tags', async () => {
    const repo = createRegistry(withApi.host, { http }).repository('kaas/paged');
    const artifact = sampleArtifact(defaultFiles('paged'));
    for (const tag of ['a', 'b', 'c', 'd', 'e']) await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag });
    const before = withApi.requests.length;
    expect(await repo.listTags(2)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(withApi.requests.slice(before)).toEqual([
      'GET /v2/kaas/paged/tags/list?n=2',
      'GET /v2/kaas/paged/tags/list?n=2&last=b',
      'GET /v2/kaas/paged/tags/list?n=2&last=d',
    ]);
  });
});

describe('spec paths on the fake registry', () => {
  it('follows relative Locations through a chunked upload', async () => {
    const repo = createRegistry(withApi.host, { http, chunkSize: 1000 }).repository('kaas/relative');
    const bytes = bytesFor('relative', 2500);
    const descriptor = { mediaType: 'application/octet-stream', digest: sha256Digest(bytes), size: bytes.length };
    const before = withApi.requests.length;
    expect(await repo.pushBlob({ descriptor, source: { bytes } })).toMatchObject({ action: 'uploaded', sessions: 1 });
    expect(withApi.requests.slice(before).map((r) => r.split(' ')[0])).toEqual(['HEAD', 'POST', 'PATCH', 'PATCH', 'PATCH', 'PUT']);
    expect(withApi.requests.at(-1)).toMatch(new RegExp(`^PUT /v2/kaas/relative/blobs/uploads/[0-9a-f-]+\\?digest=sha256%3A${descriptor.digest.slice(7)}$`));
    expect(Buffer.from(await repo.getBlob(descriptor.digest)).equals(bytes)).toBe(true);
  });

  it('discards a blob whose bytes do not match the digest it was asked for', async () => {
    const repo = createRegistry(withApi.host, { http }).repository('kaas/tampered');
    const digest = sha256Digest('original');
    withApi.tamperBlob('kaas/tampered', digest, Buffer.from('tampered'));
    await expect(repo.getBlob(digest)).rejects.toMatchObject({ code: 'OCI_BLOB_DIGEST_MISMATCH', exitCode: 2 });
  });
});
