/**
 * Integration against docker-registry 2.8.2: a release whose cluster-class archive is larger than the upload
 * chunk threshold and any read buffer is streamed in one PUT and stored byte-equal; a layout blob whose bytes
 * do not match its digest is refused before the registry holds it, and nothing is tagged or recorded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHttp } from '../core/http.js';
import { runCli } from '../testing/cli.js';
import { assembleRelease } from './__fixtures__/release.js';
import { usePublishRegistry } from './__fixtures__/registry-cases.js';
import { digestFile } from './oci/digest.js';
import { createRegistry } from './oci/repository.js';
import { loadRelease } from './release-source.js';
import type { ImageManifest } from './oci/types.js';

const ctx = usePublishRegistry('none');
const direct = () => createRegistry(ctx.registry.host, { http: createHttp({ retries: 0 }) });
const MiB = 1024 * 1024;

beforeEach(() => {
  ctx.proxy.setRules([]);
  ctx.proxy.reset();
});

async function layoutManifest(layoutDir: string, digest: string): Promise<ImageManifest> {
  return JSON.parse(await fs.readFile(path.join(layoutDir, 'blobs/sha256', digest.slice(7)), 'utf8')) as ImageManifest;
}

describe('integration: streamed publish to docker-registry 2.8.2', () => {
  it('streams a 24 MiB archive in one PUT (no PATCH chunks) and the registry holds the same bytes', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'big'), { classSize: 24 * MiB + 5 });
    const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/big`, '--ledger', path.join(release.outDir, 'releases')], ctx.tmp, ctx.env);
    expect(res.code, res.stderr).toBe(0);
    const manifest = await layoutManifest(release.layoutDir, release.digest);
    const big = manifest.layers.find((l) => l.size > 16 * MiB)!;
    expect(big).toBeDefined();
    const uploads = ctx.proxy.requests.filter((r) => r.path.includes('/blobs/uploads/'));
    expect(uploads.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(uploads.filter((r) => r.method === 'PUT' && r.bytesIn === big.size)).toHaveLength(1);
    const file = path.join(ctx.tmp, 'big-download.bin');
    await direct().repository('kaas/big').downloadBlob(big.digest, big.size, file);
    expect(await digestFile(file)).toEqual({ digest: big.digest, size: big.size });
    expect((await direct().repository('kaas/big').headManifest(release.releaseName))?.digest).toBe(release.digest);
  });

  it.each([
    ['a streamed (24 MiB) layer', 24 * MiB + 5],
    ['a small layer', 40_000],
  ])('refuses %s whose layout bytes do not match the digest (OCI_BLOB_MISMATCH): not stored, not tagged, not recorded', async (_name, classSize) => {
    const release = await assembleRelease(path.join(ctx.tmp, `tampered-${classSize}`), { classSize, classSeed: `tampered-${classSize}` });
    const manifest = await layoutManifest(release.layoutDir, release.digest);
    const layer = manifest.layers.find((l) => l.size === classSize)!;
    // Same size, last byte flipped: only the digest can tell.
    const blob = path.join(release.layoutDir, 'blobs/sha256', layer.digest.slice(7));
    const handle = await fs.open(blob, 'r+');
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, layer.size - 1);
    await handle.write(Buffer.from([last[0]! ^ 0xff]), 0, 1, layer.size - 1);
    await handle.close();
    const ledger = path.join(release.outDir, 'releases');
    const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/tampered`, '--ledger', ledger], ctx.tmp, ctx.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/OCI_BLOB_MISMATCH blob content does not match its descriptor/);
    const repo = direct().repository('kaas/tampered');
    expect(await repo.blobExists(layer.digest)).toBe(false);
    expect(await repo.headManifest(release.releaseName)).toBeNull();
    // The registry never received the whole body of the wrong bytes.
    expect(ctx.proxy.requests.some((r) => r.method === 'PUT' && r.bytesIn >= layer.size)).toBe(false);
    expect(await fs.readdir(ledger).catch(() => [])).toEqual([]);
  });

  it('a release-folder archive hard-linked to its layout blob (as csp build writes it) publishes the same bytes', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'linked'), { classSize: 24 * MiB + 5, classSeed: 'linked', linkClass: true });
    const manifest = await layoutManifest(release.layoutDir, release.digest);
    const big = manifest.layers.find((l) => l.size > 16 * MiB)!;
    const [own, blob] = await Promise.all([fs.stat(path.join(release.releaseDir, big.annotations!['org.opencontainers.image.title']!)), fs.stat(path.join(release.layoutDir, 'blobs/sha256', big.digest.slice(7)))]);
    expect(own.ino).toBe(blob.ino);
    const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/linked`, '--ledger', path.join(release.outDir, 'releases')], ctx.tmp, ctx.env);
    expect(res.code, res.stderr).toBe(0);
    const file = path.join(ctx.tmp, 'linked-download.bin');
    await direct().repository('kaas/linked').downloadBlob(big.digest, big.size, file);
    expect(await digestFile(file)).toEqual({ digest: big.digest, size: big.size });
  });

  it('a hard-linked archive changed in place (folder and layout alike) is refused by the upload: not stored, not tagged, not recorded', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'linked-tampered'), { classSize: 24 * MiB + 5, classSeed: 'linked-tampered', linkClass: true });
    const manifest = await layoutManifest(release.layoutDir, release.digest);
    const big = manifest.layers.find((l) => l.size > 16 * MiB)!;
    // The release check leaves a file that is its layout blob to the readers, which check what they read.
    const handle = await fs.open(path.join(release.releaseDir, big.annotations!['org.opencontainers.image.title']!), 'r+');
    await handle.write(Buffer.from('X'), 0, 1, 1000);
    await handle.close();
    const ledger = path.join(release.outDir, 'releases');
    const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/linked-tampered`, '--ledger', ledger], ctx.tmp, ctx.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/OCI_BLOB_MISMATCH blob content does not match its descriptor/);
    const repo = direct().repository('kaas/linked-tampered');
    expect(await repo.blobExists(big.digest)).toBe(false);
    expect(await repo.headManifest(release.releaseName)).toBeNull();
    expect(await fs.readdir(ledger).catch(() => [])).toEqual([]);
  });

  it.each([
    ['with a big (≥ 32 MiB, uploaded in the background) blob, once its bytes go out', 33 * MiB + 5, true],
    ['without one, before the first upload', 40_000, false],
  ])('starts the caller\'s checks (ready) %s, once, and awaits them before the manifest', async (_name, classSize, streamed) => {
    const release = await assembleRelease(path.join(ctx.tmp, `ready-${classSize}`), { classSize, classSeed: `ready-${classSize}` });
    const loaded = await loadRelease(release.releaseDir, release.layoutDir);
    const repo = createRegistry(ctx.proxy.host, { http: createHttp({ retries: 0 }) }).repository(`kaas/ready-${classSize}`);
    const seen: { sessions: number; manifests: number }[] = [];
    let finish: () => void = () => undefined;
    const ready = (): Promise<void> => {
      // Upload sessions the registry was asked for so far (a big blob streams only after its session started).
      seen.push({
        sessions: ctx.proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('/blobs/uploads/')).length,
        manifests: ctx.proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/')).length,
      });
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const pushed = repo.publish({ manifest: loaded.manifest, blobs: loaded.blobs, tag: loaded.releaseName, ready });
    // The manifest waits for the checks: nothing is tagged until they settle, even once every blob is up.
    for (let waited = 0; !ctx.proxy.requests.some((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/') && r.bytesIn >= classSize); waited += 50) {
      if (waited > 60_000) throw new Error('the cluster-class blob was never uploaded');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await repo.headManifest(loaded.releaseName)).toBeNull();
    finish();
    expect((await pushed).status).toBe('pushed');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.manifests).toBe(0);
    if (streamed) expect(seen[0]!.sessions).toBeGreaterThanOrEqual(1);
    else expect(seen[0]!.sessions).toBe(0);
  });
});
