/**
 * Publish bench against a real docker-registry 2.8.2 on loopback: (1) bytes sent when re-publishing after one
 * component changed, against the size of the changed layers plus the manifest (goal 1.0×); (2) push time of a
 * 200 MB blob by our client against `skopeo copy` of the same blob in the same run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { run } from '../core/run.js';
import { assembleRelease } from '../publish/__fixtures__/release.js';
import { publishRelease } from '../publish/index.js';
import { createRegistry } from '../publish/oci/repository.js';
import { digestFile, sha256Digest } from '../publish/oci/digest.js';
import { parsePrivateKey, generateKeyPair } from '../sign/index.js';
import { startFaultProxy } from '../testing/registry/fault-proxy.js';
import { startRegistry } from '../testing/registry/start-registry.js';
import type { BenchFigure } from './harness.js';

const BIG = 200 * 1024 * 1024;

/** Both publish figures; needs /usr/bin/docker-registry and skopeo. */
export async function publishBench(): Promise<BenchFigure[]> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-publish-bench-'));
  const registry = await startRegistry({ auth: 'none' });
  const proxy = await startFaultProxy(registry.url);
  try {
    return [...(await republishFigures(tmp, proxy)), await throughputFigure(tmp)];
  } finally {
    await proxy.close();
    await registry.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function republishFigures(tmp: string, proxy: Awaited<ReturnType<typeof startFaultProxy>>): Promise<BenchFigure[]> {
  const deps = { http: createHttp(), log: createLog({ write: () => undefined }), now: () => new Date() };
  const target = { kind: 'oci' as const, reference: `oci://${proxy.host}/bench/stacks` };
  const sizes = { classSize: 3 * 1024 * 1024, addonSize: 12 * 1024 * 1024 };
  const v1 = await assembleRelease(path.join(tmp, 'v1'), { releaseName: 'openstack-scs-1-30-v1', classSeed: 'class-1', ...sizes });
  await publishRelease({ releaseDir: v1.releaseDir, layoutDir: v1.layoutDir, targets: [target], signing: null, build: { builderId: 'bench' } }, deps);
  const figures: BenchFigure[] = [];
  for (const signed of [false, true]) {
    // v2/v3: only the cluster-class archive changed (plus the small files naming the version).
    const next = await assembleRelease(path.join(tmp, `v${signed ? 3 : 2}`), { releaseName: `openstack-scs-1-30-v${signed ? 3 : 2}`, classSeed: `class-${signed ? 3 : 2}`, ...sizes });
    const before = new Set<string>();
    for (const [, data] of v1.files) before.add(sha256Digest(data));
    const changed = [...next.files.values()].filter((d) => !before.has(sha256Digest(d))).reduce((n, d) => n + d.length, 0);
    const manifestBytes = (await fs.stat(path.join(next.layoutDir, 'blobs', 'sha256', next.digest.slice(7)))).size;
    const signing = signed ? { kind: 'key' as const, privateKey: parsePrivateKey(generateKeyPair().privateKeyPem) } : null;
    proxy.reset();
    const start = performance.now();
    await publishRelease({ releaseDir: next.releaseDir, layoutDir: next.layoutDir, targets: [target], signing, build: { builderId: 'bench' } }, deps);
    const ms = performance.now() - start;
    const sent = proxy.bytesIn();
    const ideal = changed + manifestBytes;
    figures.push({
      name: `re-publish after one component changed${signed ? ' (signed)' : ''}: ${sent} bytes sent`,
      ms,
      baselineMs: ms,
      baseline: `changed layers + manifest ${ideal} bytes`,
      ratio: sent / ideal,
      ...(signed ? {} : { goal: 1.0 }),
      note: signed ? `signature, provenance and SBOM referrers add ${sent - ideal} bytes (bundles, referrer manifests, fallback index rewrites)` : `${changed} bytes of changed layers of ${[...next.files.values()].reduce((n, d) => n + d.length, 0)}; the time is the publish wall time, not a ratio`,
    });
  }
  return figures;
}

async function throughputFigure(tmp: string): Promise<BenchFigure> {
  // One random 200 MB layer in an OCI layout that skopeo reads; our client pushes the same files.
  const layout = path.join(tmp, 'big-layout');
  const blobs = path.join(layout, 'blobs', 'sha256');
  await fs.mkdir(blobs, { recursive: true });
  const bigFile = path.join(tmp, 'big.bin');
  const handle = await fs.open(bigFile, 'w');
  for (let off = 0; off < BIG; off += 8 * 1024 * 1024) await handle.write(crypto.randomBytes(Math.min(8 * 1024 * 1024, BIG - off)));
  await handle.close();
  const { digest } = await digestFile(bigFile);
  await fs.copyFile(bigFile, path.join(blobs, digest.slice(7)));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digest] } }));
  const configDigest = sha256Digest(config);
  await fs.writeFile(path.join(blobs, configDigest.slice(7)), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: BIG }],
  }));
  const manifestDigest = sha256Digest(manifest);
  await fs.writeFile(path.join(blobs, manifestDigest.slice(7)), manifest);
  await fs.writeFile(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await fs.writeFile(path.join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'big' } }] }));

  // A fresh registry per push: the registry keeps blobs once for all repositories, and skopeo's blob-info
  // cache would otherwise mount the blob from an earlier run instead of uploading it.
  const ours = async (host: string) => {
    await createRegistry(host, { http: createHttp() }).repository('bench/ours').publish({
      manifest,
      blobs: [
        { descriptor: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, source: { bytes: config } },
        { descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: BIG }, source: { path: bigFile } },
      ],
      tag: 'big',
    });
  };
  const skopeo = async (host: string) => {
    const res = await run('skopeo', ['copy', '--dest-tls-verify=false', '--preserve-digests', `oci:${layout}:big`, `docker://${host}/bench/skopeo:big`], { cwd: tmp, allowFailure: true, timeoutMs: 600_000 });
    if (res.exitCode !== 0) throw new Error(`skopeo copy failed: ${res.stderr.slice(-400)}`);
  };
  const timed = async (fn: (host: string) => Promise<void>): Promise<number> => {
    const registry = await startRegistry({ auth: 'none' });
    try {
      const start = performance.now();
      await fn(registry.host);
      return performance.now() - start;
    } finally {
      await registry.stop();
    }
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 3; i++) {
    b.push(await timed(skopeo));
    a.push(await timed(ours));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
  const ms = median(a);
  const baselineMs = median(b);
  return {
    name: 'push a 200 MB blob (csp OCI client, file streamed in one PUT)',
    ms,
    baselineMs,
    baseline: 'skopeo copy of the same blob',
    ratio: ms / baselineMs,
    note: `median of 3 alternating runs, each into a fresh docker-registry on loopback; ${((BIG / 1024 / 1024) / (ms / 1000)).toFixed(0)} MiB/s vs ${((BIG / 1024 / 1024) / (baselineMs / 1000)).toFixed(0)} MiB/s`,
  };
}
