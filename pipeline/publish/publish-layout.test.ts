/** csp keys/publish/verify/pull on a local OCI layout: signatures as referrers, tamper cases, safe pulling, the ledger. */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { checkValue } from '../core/schema.js';
import { runCli } from '../testing/cli.js';
import { assembleRelease, type TestRelease } from './__fixtures__/release.js';
import { openLayout } from './layout-store.js';
import { publishRelease } from './publish-release.js';

let tmp: string;
let key: string;
let pub: string;
let otherPub: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-publish-layout-'));
  expect((await runCli(['keys', 'generate', '--out', 'keys/release'], tmp)).code).toBe(0);
  expect((await runCli(['keys', 'generate', '--out', 'keys/other'], tmp)).code).toBe(0);
  key = path.join(tmp, 'keys/release.key');
  pub = path.join(tmp, 'keys/release.pub');
  otherPub = path.join(tmp, 'keys/other.pub');
});

afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

/** A fresh build output with one release, published (signed) into its own layout. */
async function published(name: string, options: Parameters<typeof assembleRelease>[1] = {}): Promise<TestRelease> {
  const release = await assembleRelease(path.join(tmp, name), options);
  const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--key', key, '--ledger', path.join(release.outDir, 'releases')], tmp);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return release;
}

describe('csp keys generate', () => {
  it('writes a 0600 PKCS#8 P-256 private key and an SPKI public key, and never overwrites them', async () => {
    expect((await fs.stat(key)).mode & 0o777).toBe(0o600);
    const privateKey = crypto.createPrivateKey(await fs.readFile(key, 'utf8'));
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(await fs.readFile(key, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const publicKey = crypto.createPublicKey(await fs.readFile(pub, 'utf8'));
    expect(publicKey.export({ format: 'der', type: 'spki' })).toEqual(crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
    const again = await runCli(['keys', 'generate', '--out', 'keys/release'], tmp);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/KEY_EXISTS/);
  });
});

describe('publish to the local OCI layout', () => {
  it('attaches signature, provenance and SBOM as referrers, signs SHA256SUMS and records the ledger', async () => {
    const release = await published('basic');
    const store = await openLayout(release.layoutDir);
    const referrers = await store.referrers(release.digest);
    expect(referrers.map((r) => r.annotations?.['dev.sigstore.bundle.predicateType']).sort()).toEqual(['https://cyclonedx.org/bom', 'https://sigstore.dev/cosign/sign/v1', 'https://slsa.dev/provenance/v1']);
    expect(referrers.every((r) => r.artifactType === 'application/vnd.dev.sigstore.bundle.v0.3+json')).toBe(true);
    const bundle = JSON.parse((await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'), 'utf8')) as string) as { mediaType: string; messageSignature?: unknown };
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.messageSignature).toBeDefined();
    const record = parseYaml(await fs.readFile(path.join(release.outDir, 'releases', `${release.releaseName}.yaml`), 'utf8')) as Record<string, unknown>;
    expect(checkValue('release.schema.json', record)).toEqual([]);
    expect(record).toMatchObject({ name: release.releaseName, manifestDigest: release.digest, published: [{ target: 'oci-layout', digest: release.digest }] });
    expect((record.signatures as { kind: string }[]).map((s) => s.kind).sort()).toEqual(['provenance', 'sbom', 'sigstore-bundle']);
  });

  it('verifies and pulls byte-equal files; a second publish is a no-op', async () => {
    const release = await published('pull');
    const ref = `${release.layoutDir}:${release.releaseName}`;
    const verified = await runCli(['verify', ref, '--key', pub, '--json'], tmp);
    expect(verified.code).toBe(0);
    const result = JSON.parse(verified.stdout) as { digest: string; attestations: { kind: string }[]; files: { name: string }[] };
    expect(result.digest).toBe(release.digest);
    expect(result.attestations.map((a) => a.kind).sort()).toEqual(['other', 'provenance', 'signature']);
    const out = path.join(tmp, 'pulled');
    expect((await runCli(['pull', ref, '--key', pub, '--out', out], tmp)).code).toBe(0);
    expect((await fs.readdir(out)).sort()).toEqual([...release.files.keys()].sort());
    for (const [name, data] of release.files) expect((await fs.readFile(path.join(out, name))).equals(data)).toBe(true);
    const before = await fs.readFile(path.join(release.layoutDir, 'index.json'));
    const sumsSignature = await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'));
    const again = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--key', key, '--ledger', path.join(release.outDir, 'releases'), '--json'], tmp);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { releases: { targets: { status: string; attestations: { status: string }[] }[] }[] }).releases[0]!.targets[0]).toMatchObject({ status: 'unchanged' });
    expect((await fs.readFile(path.join(release.layoutDir, 'index.json'))).equals(before)).toBe(true);
    // The SHA256SUMS signature is kept (GitHub assets must not change between runs).
    expect((await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'))).equals(sumsSignature)).toBe(true);
  });

  it('refuses a release folder whose files differ from the manifest in the layout (exit 1)', async () => {
    const release = await published('stale');
    await fs.writeFile(path.join(release.releaseDir, 'metadata.yaml'), 'changed after the build\n');
    const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--key', key, '--ledger', path.join(tmp, 'l-stale')], tmp);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/RELEASE_DIR_STALE .*metadata\.yaml differs/);
  });

  it('refuses an existing release name with another digest in a target layout and leaves it alone', async () => {
    const first = await published('immutable-a');
    const second = await assembleRelease(path.join(tmp, 'immutable-b'), { classSeed: 'changed' });
    expect(second.digest).not.toBe(first.digest);
    const deps = { http: createHttp(), log: createLog({ write: () => undefined }), now: () => new Date('2025-02-01T00:00:00Z') };
    const target = { kind: 'oci-layout' as const, dir: first.layoutDir };
    const before = await fs.readFile(path.join(first.layoutDir, 'index.json'));
    const error = await publishRelease({ releaseDir: second.releaseDir, layoutDir: second.layoutDir, targets: [target], signing: null, build: { builderId: 'test' } }, deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PUBLISH_TAG_EXISTS', exitCode: 1 });
    expect((await fs.readFile(path.join(first.layoutDir, 'index.json'))).equals(before)).toBe(true);
    // The same bundle into a fresh layout is pushed, and a second time it is a no-op.
    const fresh = { kind: 'oci-layout' as const, dir: path.join(tmp, 'immutable-fresh') };
    const pushed = await publishRelease({ releaseDir: second.releaseDir, layoutDir: second.layoutDir, targets: [fresh], signing: null, build: { builderId: 'test' } }, deps);
    expect(pushed.targets[0]).toMatchObject({ status: 'pushed', digest: second.digest });
    const again = await publishRelease({ releaseDir: second.releaseDir, layoutDir: second.layoutDir, targets: [fresh], signing: null, build: { builderId: 'test' } }, deps);
    expect(again.targets[0]).toMatchObject({ status: 'unchanged', digest: second.digest });
  });

  it('refuses unsigned releases, wrong keys and private keys in place of public ones', async () => {
    const unsigned = await assembleRelease(path.join(tmp, 'unsigned'));
    const res = await runCli(['publish', unsigned.releaseDir, '--out', unsigned.outDir, '--ledger', path.join(unsigned.outDir, 'releases')], tmp);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/unsigned/);
    const ref = `${unsigned.layoutDir}:${unsigned.releaseName}`;
    const v = await runCli(['verify', ref, '--key', pub], tmp);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/VERIFY_UNSIGNED/);
    const signed = await published('wrong-key');
    const wrong = await runCli(['verify', `${signed.layoutDir}:${signed.releaseName}`, '--key', otherPub], tmp);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/VERIFY_SIGNATURE_INVALID/);
    const priv = await runCli(['verify', `${signed.layoutDir}:${signed.releaseName}`, '--key', key], tmp);
    expect(priv.code).toBe(1);
    expect(priv.stderr).toMatch(/KEY_IS_PRIVATE/);
    expect(priv.stderr + priv.stdout).not.toContain((await fs.readFile(key, 'utf8')).split('\n')[1]!);
  });
});

describe('csp publish options', () => {
  it('--all publishes every release folder the layout names; --dry-run writes nothing', async () => {
    const v1 = await assembleRelease(path.join(tmp, 'all'));
    await assembleRelease(path.join(tmp, 'all'), { releaseName: 'openstack-scs-1-30-v2', classSeed: 'v2' });
    await fs.mkdir(path.join(tmp, 'all', 'not-a-release'));
    const before = await fs.readFile(path.join(v1.layoutDir, 'index.json'));
    const dry = await runCli(['publish', '--all', '--out', v1.outDir, '--key', key, '--dry-run', '--json', '--ledger', path.join(v1.outDir, 'releases')], tmp);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout) as { releases: { releaseName: string; targets: { attestations: { status: string }[] }[] }[] };
    expect(planned.releases.map((r) => r.releaseName)).toEqual(['openstack-scs-1-30-v1', 'openstack-scs-1-30-v2']);
    expect(planned.releases.flatMap((r) => r.targets.flatMap((t) => t.attestations.map((a) => a.status)))).toEqual(Array(6).fill('would-attach'));
    expect((await fs.readFile(path.join(v1.layoutDir, 'index.json'))).equals(before)).toBe(true);
    await expect(fs.stat(path.join(v1.outDir, 'releases'))).rejects.toThrow();
    const real = await runCli(['publish', '--all', '--out', v1.outDir, '--key', key, '--ledger', path.join(v1.outDir, 'releases')], tmp);
    expect(real.code, real.stderr).toBe(0);
    // A ledger csp creates is marked as its output (.csp-output), so builds never read it as stack input.
    expect((await fs.readdir(path.join(v1.outDir, 'releases'))).sort()).toEqual(['.csp-output', 'openstack-scs-1-30-v1.yaml', 'openstack-scs-1-30-v2.yaml']);
    for (const name of ['openstack-scs-1-30-v1', 'openstack-scs-1-30-v2']) expect((await runCli(['verify', `${v1.layoutDir}:${name}`, '--key', pub], tmp)).code).toBe(0);
  });

  it('rejects bad target and signing arguments as user errors', async () => {
    const release = await assembleRelease(path.join(tmp, 'args'));
    const base = ['publish', release.releaseDir, '--out', release.outDir];
    for (const [extra, code] of [
      [['--to', 'ftp://x/y'], 'CLI_BAD_ARGUMENTS'],
      [['--key', key, '--keyless'], 'CLI_BAD_ARGUMENTS'],
      [['--keyless'], 'SIGN_NO_OIDC'],
      [['--to', 'oci://127.0.0.1:9/kaas/x:other-tag', '--key', key, '--skip-e2e'], 'PUBLISH_TARGET_INVALID'],
      [['--key', path.join(tmp, 'missing.key')], 'KEY_FILE_MISSING'],
    ] as const) {
      const res = await runCli([...base, ...extra], tmp);
      expect(res.code, `${extra.join(' ')}: ${res.stderr}`).toBe(1);
      expect(res.stderr).toContain(code);
    }
  });
});

describe('tampering with a published layout makes verify fail', () => {
  it('a changed layer', async () => {
    const release = await published('tamper-layer');
    const store = await openLayout(release.layoutDir);
    const name = [...release.files.keys()].find((n) => n.includes('cluster-class'))!;
    const digest = (await store.resolve(release.releaseName))!;
    const layer = (JSON.parse(digest.bytes.toString()) as { layers: { digest: string; annotations: Record<string, string> }[] }).layers.find((l) => l.annotations['org.opencontainers.image.title'] === name)!;
    const file = store.blobPath(layer.digest);
    const bytes = await fs.readFile(file);
    bytes[100] = bytes[100]! ^ 0xff;
    await fs.writeFile(file, bytes);
    const res = await runCli(['verify', `${release.layoutDir}:${release.releaseName}`, '--key', pub], tmp);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`VERIFY_LAYER_MISMATCH layer ${name.replace(/\./g, '\\.')}`));
    const out = path.join(tmp, 'tamper-layer-out');
    expect((await runCli(['pull', `${release.layoutDir}:${release.releaseName}`, '--key', pub, '--out', out], tmp)).code).toBe(1);
    expect(await fs.readdir(out)).toEqual([]);
  });

  it('a changed manifest under the same name (signatures moved along)', async () => {
    const release = await published('tamper-manifest');
    const store = await openLayout(release.layoutDir);
    const found = (await store.resolve(release.releaseName))!;
    const manifest = JSON.parse(found.bytes.toString()) as { annotations: Record<string, string> };
    manifest.annotations.kubernetesVersion = 'v1.99.0';
    const forged = Buffer.from(JSON.stringify(manifest));
    const forgedDigest = await store.writeBlob(forged);
    // Point the release name at the forged manifest and copy every referrer with subject rewritten.
    const indexFile = path.join(release.layoutDir, 'index.json');
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: { digest: string; size: number; annotations?: Record<string, string> }[] };
    for (const m of index.manifests) {
      if (m.digest === release.digest) Object.assign(m, { digest: forgedDigest, size: forged.length });
    }
    for (const r of await store.referrers(release.digest)) {
      const ref = JSON.parse((await store.manifest(r.digest))!.toString()) as { subject: { digest: string; size: number } };
      ref.subject = { ...ref.subject, digest: forgedDigest, size: forged.length };
      const bytes = Buffer.from(JSON.stringify(ref));
      index.manifests.push({ ...r, digest: await store.writeBlob(bytes), size: bytes.length });
    }
    await fs.writeFile(indexFile, JSON.stringify(index));
    const res = await runCli(['verify', `${release.layoutDir}:${release.releaseName}`, '--key', pub], tmp);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/VERIFY_SUBJECT_MISMATCH .*not for manifest sha256:/);
  });

  it('a signature of another digest attached to this bundle', async () => {
    const a = await published('tamper-foreign-a', { classSeed: 'a' });
    const b = await assembleRelease(path.join(tmp, 'tamper-foreign-a'), { releaseName: 'openstack-scs-1-30-v2', classSeed: 'b' });
    // b is in the same layout, unsigned; attach copies of a's attestations with subject = b.
    const store = await openLayout(b.layoutDir);
    for (const r of await store.referrers(a.digest)) {
      const ref = JSON.parse((await store.manifest(r.digest))!.toString()) as { subject: { digest: string; size: number } };
      ref.subject = { ...ref.subject, digest: b.digest, size: (await store.resolve(b.releaseName))!.bytes.length };
      await store.addManifest(Buffer.from(JSON.stringify(ref)));
    }
    const res = await runCli(['verify', `${b.layoutDir}:${b.releaseName}`, '--key', pub], tmp);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`VERIFY_SUBJECT_MISMATCH .* is signed for ${a.digest}, not for manifest ${b.digest}`));
  });
});

describe('pull refuses unsafe bundles', () => {
  it.each([['../escape.yaml'], ['/etc/passwd'], ['sub/dir.yaml'], ['..'], ['a\\b']])('a layer titled %j', async (title) => {
    const release = await assembleRelease(path.join(tmp, `unsafe-${crypto.randomBytes(3).toString('hex')}`));
    // Re-title one layer in a new manifest under a new name, signed normally.
    const store = await openLayout(release.layoutDir);
    const manifest = JSON.parse((await store.resolve(release.releaseName))!.bytes.toString()) as { layers: { annotations: Record<string, string> }[] };
    manifest.layers[0]!.annotations['org.opencontainers.image.title'] = title;
    await store.addManifest(Buffer.from(JSON.stringify(manifest)), 'openstack-scs-1-30-v9');
    const out = path.join(release.outDir, 'pulled');
    const res = await runCli(['pull', `${release.layoutDir}:openstack-scs-1-30-v9`, '--key', pub, '--out', out], tmp);
    // Content a registry or layout sends is an upstream failure, whatever its shape.
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/PULL_UNSAFE_NAME/);
    await expect(fs.stat(path.join(release.outDir, 'escape.yaml'))).rejects.toThrow();
  });

  it('never writes through a link in the output folder and honours --max-size', async () => {
    const release = await published('links');
    const out = path.join(tmp, 'links-out');
    await fs.mkdir(out);
    const victim = path.join(tmp, 'victim.txt');
    await fs.writeFile(victim, 'keep');
    await fs.symlink(victim, path.join(out, 'metadata.yaml'));
    const res = await runCli(['pull', `${release.layoutDir}:${release.releaseName}`, '--key', pub, '--out', out], tmp);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/PULL_TARGET_EXISTS .* as a link/);
    expect(await fs.readFile(victim, 'utf8')).toBe('keep');
    const small = await runCli(['pull', `${release.layoutDir}:${release.releaseName}`, '--key', pub, '--out', path.join(tmp, 'small'), '--max-size', '0.01'], tmp);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/PULL_TOO_LARGE/);
  });
});
