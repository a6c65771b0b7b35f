/**
 * Integration against docker-registry 2.8.2 (anonymous): the CLI round trip, immutability, tamper cases on the
 * registry's own storage, and faults injected by a proxy while publishing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UpstreamError } from '../core/errors.js';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { startFakeGithub } from '../testing/github-fake/server.js';
import { runCli } from '../testing/cli.js';
import { repoRoot } from '../testing/paths.js';
import { fixtureChartCache } from '../testing/workspace.js';
import { parsePrivateKey } from '../sign/index.js';
import { assembleRelease } from './__fixtures__/release.js';
import { publishCases, usePublishRegistry } from './__fixtures__/registry-cases.js';
import { createRegistry } from './oci/repository.js';
import { referrersTag } from './oci/reference.js';
import { parseReleaseName } from '../version/index.js';
import { skopeoListTags } from '../testing/registry/skopeo.js';
import { publishRelease } from './publish-release.js';

const ctx = usePublishRegistry('none');
const direct = () => createRegistry(ctx.registry.host, { http: createHttp({ retries: 0 }) });

beforeEach(() => {
  ctx.proxy.setRules([]);
  ctx.proxy.reset();
});

async function publishSigned(name: string, repo: string, options: Parameters<typeof assembleRelease>[1] = {}) {
  const release = await assembleRelease(path.join(ctx.tmp, name), options);
  const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/${repo}`, '--key', ctx.key, '--ledger', path.join(release.outDir, 'releases')], ctx.tmp, ctx.env);
  expect(res.code, res.stderr).toBe(0);
  return release;
}

describe('integration: csp publish to docker-registry 2.8.2 (anonymous)', () => {
  publishCases(ctx, 'kaas/cluster-stacks', 'none');

  it('re-publishing the same release sends no blob bytes; a different bundle under the name is refused (exit 1)', async () => {
    const release = await publishSigned('repeat', 'kaas/repeat');
    ctx.proxy.reset();
    const again = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/repeat`, '--key', ctx.key, '--json', '--ledger', path.join(release.outDir, 'releases')], ctx.tmp, ctx.env);
    expect(again.code).toBe(0);
    const target = (JSON.parse(again.stdout) as { releases: { targets: { status: string; bytesSent: number; attestations: { status: string }[] }[] }[] }).releases[0]!.targets[0]!;
    expect(target.status).toBe('unchanged');
    expect(target.bytesSent).toBe(0);
    expect(target.attestations.every((a) => a.status === 'already-signed')).toBe(true);
    expect(ctx.proxy.bytesIn()).toBe(0);
    expect(ctx.proxy.requests.every((r) => r.method === 'HEAD' || r.method === 'GET')).toBe(true);

    const changed = await assembleRelease(path.join(ctx.tmp, 'repeat-changed'), { classSeed: 'other content' });
    const refused = await runCli(['publish', changed.releaseDir, '--out', changed.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/repeat`, '--key', ctx.key, '--ledger', path.join(changed.outDir, 'releases')], ctx.tmp, ctx.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/OCI_TAG_EXISTS .*already points at/);
    expect((await direct().repository('kaas/repeat').headManifest(release.releaseName))?.digest).toBe(release.digest);
  });

  it('a release folder whose bytes differ from the layout (same size) is refused before the tag exists: blobs may go up, nothing is visible or recorded', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'stale-bytes'));
    const metadata = path.join(release.releaseDir, 'metadata.yaml');
    const text = await fs.readFile(metadata);
    text[text.length - 2] = text[text.length - 2] === 0x61 ? 0x62 : 0x61; // one byte, same size: only the hash can tell
    await fs.writeFile(metadata, text);
    const ledger = path.join(release.outDir, 'releases-stale');
    for (const signed of [false, true]) {
      const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/stale-bytes`, ...(signed ? ['--key', ctx.key] : []), '--ledger', ledger], ctx.tmp, ctx.env);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toMatch(/RELEASE_DIR_STALE .*metadata\.yaml differs/);
      expect(await direct().repository('kaas/stale-bytes').headManifest(release.releaseName)).toBeNull();
      expect(ctx.proxy.requests.some((r) => r.method === 'PUT' && r.path.includes('/manifests/'))).toBe(false);
    }
    expect(await fs.readdir(ledger).catch(() => [])).toEqual([]);
    await expect(fs.access(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'))).rejects.toThrow();
  });

  it('after signed publishes of several releases, every tag of the release repository is a release name CSO parses; verify finds every signature', async () => {
    const names = ['openstack-scs-1-30-v1', 'openstack-scs-1-30-v2', 'openstack-scs-1-31-v1'];
    for (const [i, releaseName] of names.entries()) await publishSigned(`tags-${i}`, 'kaas/tags-only', { releaseName, classSeed: releaseName });
    const tags = await skopeoListTags(`${ctx.registry.host}/kaas/tags-only`);
    expect(tags.sort()).toEqual([...names].sort());
    for (const tag of tags) expect(parseReleaseName(tag), tag).toBeDefined();
    // The sha256-<hex> fallback indexes sit in the companion repository.
    const companion = await skopeoListTags(`${ctx.registry.host}/kaas/tags-only-signatures`);
    expect(companion).toHaveLength(names.length);
    for (const tag of companion) expect(tag).toMatch(/^sha256-[0-9a-f]{64}$/);
    for (const releaseName of names) {
      const res = await runCli(['verify', `${ctx.proxy.host}/kaas/tags-only:${releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
      expect(res.code, res.stderr).toBe(0);
    }
  });

  it('a re-run completes attestations per kind: a missing provenance is attached, the existing signature kept', async () => {
    const release = await publishSigned('partial', 'kaas/partial');
    const repo = direct().repository('kaas/partial');
    const kindsOf = async () => (await repo.listReferrers(release.digest)).map((d) => d.annotations?.['dev.sigstore.bundle.predicateType'] ?? '').sort();
    const before = await kindsOf();
    const provenance = (await repo.listReferrers(release.digest)).find((d) => d.annotations?.['dev.sigstore.bundle.predicateType']?.includes('slsa.dev/provenance'))!;
    const signature = (await repo.listReferrers(release.digest)).find((d) => d.annotations?.['dev.sigstore.bundle.predicateType']?.includes('cosign/sign'))!;
    await repo.deleteReferrer(release.digest, provenance.digest);
    expect((await kindsOf()).length).toBe(before.length - 1);
    const again = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/partial`, '--key', ctx.key, '--json', '--ledger', path.join(release.outDir, 'releases')], ctx.tmp, ctx.env);
    expect(again.code, again.stderr).toBe(0);
    const target = (JSON.parse(again.stdout) as { releases: { targets: { attestations: { kind: string; digest: string; status: string }[] }[] }[] }).releases[0]!.targets[0]!;
    expect(target.attestations.find((a) => a.kind === 'provenance')?.status).toBe('attached');
    expect(target.attestations.find((a) => a.kind === 'signature')).toEqual({ kind: 'signature', digest: signature.digest, status: 'already-signed' });
    expect(target.attestations.filter((a) => a.status === 'attached')).toHaveLength(1);
    expect(await kindsOf()).toEqual(before);
    const verified = await runCli(['verify', `${ctx.proxy.host}/kaas/partial:${release.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(verified.code, verified.stderr).toBe(0);
  });

  it('CSP_SIGNATURE_REPOSITORY names the companion repository for publish, verify and pull', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'sig-elsewhere'));
    const env = { ...ctx.env, CSP_SIGNATURE_REPOSITORY: 'kaas/all-signatures' };
    const pub = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/sig-elsewhere`, '--key', ctx.key, '--ledger', path.join(release.outDir, 'r')], ctx.tmp, env);
    expect(pub.code, pub.stderr).toBe(0);
    expect(await skopeoListTags(`${ctx.registry.host}/kaas/sig-elsewhere`)).toEqual([release.releaseName]);
    expect(await skopeoListTags(`${ctx.registry.host}/kaas/all-signatures`)).toEqual([referrersTag(release.digest)]);
    const ref = `${ctx.proxy.host}/kaas/sig-elsewhere:${release.releaseName}`;
    expect((await runCli(['verify', ref, '--key', ctx.pub], ctx.tmp, env)).code).toBe(0);
    const elsewhere = await runCli(['verify', ref, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/VERIFY_UNSIGNED/);
  });

  it('verify fails on a layer changed in the registry storage', async () => {
    // Unique addon bytes: the registry stores blobs once for all repositories, and this test corrupts one.
    const release = await publishSigned('t-layer', 'kaas/t-layer', { addonSeed: 'only-in-t-layer' });
    const name = [...release.files.keys()].find((n) => n.includes('cluster-addon'))!;
    const hex = (await import('node:crypto')).createHash('sha256').update(release.files.get(name)!).digest('hex');
    const data = path.join(ctx.registry.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    const bytes = await fs.readFile(data);
    bytes[10] = bytes[10]! ^ 0x01;
    await fs.writeFile(data, bytes);
    const res = await runCli(['verify', `${ctx.proxy.host}/kaas/t-layer:${release.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`VERIFY_LAYER_MISMATCH layer ${name}`);
  });

  it('verify fails when the tag is moved to a changed manifest, even with the referrers index copied along', async () => {
    const release = await publishSigned('t-manifest', 'kaas/t-manifest');
    const repo = direct().repository('kaas/t-manifest');
    const original = (await repo.getManifest(release.releaseName))!;
    const forged = JSON.parse(Buffer.from(original.bytes).toString()) as { annotations: Record<string, string> };
    forged.annotations.kubernetesVersion = 'v1.31.0';
    const forgedBytes = Buffer.from(JSON.stringify(forged));
    const pushed = await repo.pushManifest(release.releaseName, forgedBytes);
    const signatures = repo.signatures();
    const index = (await signatures.getManifest(referrersTag(release.digest)))!;
    await signatures.pushManifest(referrersTag(pushed.digest), index.bytes);
    const res = await runCli(['verify', `${ctx.proxy.host}/kaas/t-manifest:${release.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/VERIFY_SUBJECT_MISMATCH referrer .* has subject sha256:[0-9a-f]{64}, not sha256:/);
    // Without the copied index the forged manifest is simply unsigned.
    await signatures.deleteManifest((await signatures.headManifest(referrersTag(pushed.digest)))!.digest);
    const unsigned = await runCli(['verify', `${ctx.proxy.host}/kaas/t-manifest:${release.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toMatch(/VERIFY_UNSIGNED/);
  });

  it('verify fails with the wrong key and with a signature of another digest', async () => {
    const a = await publishSigned('t-foreign-a', 'kaas/t-foreign', { classSeed: 'a' });
    expect((await runCli(['keys', 'generate', '--out', 'k/other'], ctx.tmp, ctx.env)).code).toBe(0);
    const wrong = await runCli(['verify', `${ctx.proxy.host}/kaas/t-foreign:${a.releaseName}`, '--key', path.join(ctx.tmp, 'k/other.pub')], ctx.tmp, ctx.env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/VERIFY_SIGNATURE_INVALID signature check failed/);

    const b = await assembleRelease(path.join(ctx.tmp, 't-foreign-b'), { releaseName: 'openstack-scs-1-30-v2', classSeed: 'b' });
    expect((await runCli(['publish', b.releaseDir, '--out', b.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/t-foreign`, '--ledger', path.join(b.outDir, 'r')], ctx.tmp, ctx.env)).code).toBe(0);
    const repo = direct().repository('kaas/t-foreign');
    const bManifest = (await repo.getManifest(b.releaseName))!;
    for (const d of await repo.listReferrers(a.digest)) {
      const referrer = JSON.parse(Buffer.from((await repo.signatures().getManifest(d.digest))!.bytes).toString()) as { subject: object };
      referrer.subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: bManifest.digest, size: bManifest.bytes.length };
      await repo.pushReferrer(bManifest.digest, Buffer.from(JSON.stringify(referrer)));
    }
    const res = await runCli(['verify', `${ctx.proxy.host}/kaas/t-foreign:${b.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`is signed for ${a.digest}, not for manifest ${b.digest}`);
  });
});

describe('integration: csp build → publish → verify → pull (stacks/docker/scs)', () => {
  it('publishes what csp build wrote, and pull gives back the release folder byte for byte', async () => {
    const work = path.join(ctx.tmp, 'from-build');
    await fs.mkdir(work);
    const cache = await fixtureChartCache(path.join(work, 'cache'));
    const build = await runCli(['build', path.join(repoRoot, 'stacks/docker/scs'), '--k8s', '1.31', '--chart-cache', cache, '--out', 'out', '--ledger', 'releases'], work, ctx.env);
    expect(build.code, build.stderr).toBe(0);
    const name = (await fs.readdir(path.join(work, 'out'))).find((n) => n.startsWith('docker-scs-1-31-'))!;
    const pub = await runCli(['publish', '--all', '--skip-e2e', '--to', `oci://${ctx.proxy.host}/kaas/built`, '--key', ctx.key], work, ctx.env);
    expect(pub.code, pub.stderr).toBe(0);
    const pull = await runCli(['pull', `${ctx.proxy.host}/kaas/built:${name}`, '--key', ctx.pub, '--out', 'pulled'], work, ctx.env);
    expect(pull.code, pull.stderr).toBe(0);
    const built = (await fs.readdir(path.join(work, 'out', name))).filter((f) => !f.endsWith('.sigstore.json')).sort();
    expect(built).toContain('sbom.cdx.json');
    expect((await fs.readdir(path.join(work, 'pulled'))).sort()).toEqual(built);
    for (const f of built) expect((await fs.readFile(path.join(work, 'pulled', f))).equals(await fs.readFile(path.join(work, 'out', name, f))), f).toBe(true);
    const record = parseYaml(await fs.readFile(path.join(work, 'releases', `${name}.yaml`), 'utf8')) as { mode: string; published: { target: string }[]; signatures: { kind: string }[]; schemas?: { catalog: string; kubernetes?: { minor: string } } };
    expect(record.mode).toBe('stable');
    // Validated against the committed catalog (Kubernetes 1.31 → its nearest minor, 1.32), recorded for provenance.
    expect(record.schemas?.catalog).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(record.schemas?.kubernetes?.minor).toBe('1.32');
    expect(record.published.map((p) => p.target)).toEqual(['oci']);
    expect(record.signatures.map((x) => x.kind)).toEqual(['sigstore-bundle', 'provenance', 'sbom']);
  });
});

describe('integration: one csp publish to a registry and a GitHub release (fake GitHub API)', () => {
  it('dispatches --to github to the GitHub publisher with the signed SHA256SUMS, and a re-run changes nothing', async () => {
    const token = 'ghp_sentinelToken0000000000000000000001';
    const fake = await startFakeGithub({ token });
    try {
      const release = await assembleRelease(path.join(ctx.tmp, 'gh'), { releaseName: 'openstack-scs-1-30-v4' });
      const env = { ...ctx.env, GITHUB_TOKEN: token, GITHUB_API_URL: fake.apiUrl };
      const argv = ['publish', '--all', '--out', release.outDir, '--to', `oci://${ctx.proxy.host}/kaas/gh`, '--to', 'github', 'acme/stacks', '--skip-e2e', '--key', ctx.key, '--ledger', path.join(release.outDir, 'releases'), '--json', '--verbose'];
      const first = await runCli(argv, ctx.tmp, env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout + first.stderr).not.toContain(token);
      const targets = (JSON.parse(first.stdout) as { releases: { targets: { target: string; status: string }[] }[] }).releases[0]!.targets;
      expect(targets.map((t) => `${t.target}:${t.status}`)).toEqual(['oci:pushed', 'github:pushed']);
      const gh = fake.store.releasesOf('acme', 'stacks').find((r) => r.tagName === release.releaseName)!;
      expect(gh.draft).toBe(false);
      expect(gh.assets.map((a) => a.name).sort()).toEqual([...release.files.keys(), 'SHA256SUMS.sigstore.json'].sort());
      const again = await runCli(argv, ctx.tmp, env);
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { releases: { targets: { status: string }[] }[] }).releases[0]!.targets.map((t) => t.status)).toEqual(['unchanged', 'unchanged']);
      expect(fake.violations).toEqual([]);
      const record = parseYaml(await fs.readFile(path.join(release.outDir, 'releases', `${release.releaseName}.yaml`), 'utf8')) as { manifestDigest: string; published: { target: string }[] };
      expect(record.manifestDigest).toBe(release.digest);
      expect(record.published.map((p) => p.target)).toEqual(['oci', 'github']);
    } finally {
      await fake.close();
    }
  });
});

describe('integration: publishing through faults', () => {
  const waits: number[] = [];
  const deps = () => ({
    http: createHttp({ retries: 2, backoffMs: 1, sleep: async (ms: number) => void waits.push(ms) }),
    log: createLog({ write: () => undefined }),
    now: () => new Date('2025-02-01T00:00:00Z'),
    registryOptions: { chunkSize: 16 * 1024, sleep: async () => undefined, backoffMs: 1, uploadAttempts: 3 },
  });
  const signing = async () => ({ kind: 'key' as const, privateKey: parsePrivateKey(await fs.readFile(ctx.key, 'utf8')) });

  it('succeeds after dropped and failed uploads, and the signed result verifies', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'f-ok'));
    // Layers above 16 KiB are streamed from the layout's blob files in one PUT each. Blobs go in manifest order
    // (config, SHA256SUMS, clusteraddon.yaml, hashes.json, metadata.yaml, then the 60 kB addon archive): its PUT
    // drops after 20 kB, its retry gets a 503, the third session succeeds.
    ctx.proxy.setRules([
      { method: 'PUT', path: /\/blobs\/uploads\//, nth: 6, action: { kind: 'drop', afterBytes: 20_000 } },
      { method: 'PUT', path: /\/blobs\/uploads\//, nth: 7, action: { kind: 'status', status: 503 } },
      { method: 'PUT', path: /\/manifests\/sha256-/, nth: 1, action: { kind: 'status', status: 500 } },
    ]);
    const result = await publishRelease({ releaseDir: release.releaseDir, layoutDir: release.layoutDir, targets: [{ kind: 'oci', reference: `oci://${ctx.proxy.host}/faults/ok` }], signing: await signing(), build: { builderId: 'test' } }, deps());
    expect(result.targets[0]).toMatchObject({ status: 'pushed', digest: release.digest });
    expect(ctx.proxy.requests.filter((r) => r.outcome === 'dropped' || r.outcome === 503 || r.outcome === 500).map((r) => `${r.method} ${r.outcome}`)).toEqual(['PUT dropped', 'PUT 503', 'PUT 500']);
    expect(ctx.proxy.requests.filter((r) => r.method === 'PUT' && r.bytesIn >= 20_000 && r.bytesIn <= 60_000).length).toBeGreaterThanOrEqual(3);
    const v = await runCli(['verify', `${ctx.registry.host}/faults/ok:${release.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(v.code, v.stderr).toBe(0);
  });

  it('fails cleanly (exit 2) when uploads keep failing, and the tag never becomes visible', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'f-fail'));
    ctx.proxy.setRules([{ method: 'PUT', path: /\/blobs\/uploads\//, nth: 1, times: 1000, action: { kind: 'status', status: 503 } }]);
    const error = await publishRelease({ releaseDir: release.releaseDir, layoutDir: release.layoutDir, targets: [{ kind: 'oci', reference: `oci://${ctx.proxy.host}/faults/fail` }], signing: await signing(), build: { builderId: 'test' } }, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'OCI_UPLOAD_FAILED', exitCode: 2 });
    const repo = direct().repository('faults/fail');
    expect(await repo.headManifest(release.releaseName)).toBeNull();
    expect(await repo.headManifest(release.digest)).toBeNull();
    expect(await repo.listTags()).toEqual([]);
  });

  it('never shows the tag while a blob is missing when the tag PUT itself keeps dropping', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'f-tag'));
    ctx.proxy.setRules([{ method: 'PUT', path: /\/manifests\/openstack-/, nth: 1, times: 1000, action: { kind: 'drop' } }]);
    const error = await publishRelease({ releaseDir: release.releaseDir, layoutDir: release.layoutDir, targets: [{ kind: 'oci', reference: `oci://${ctx.proxy.host}/faults/tag` }], signing: await signing(), build: { builderId: 'test' } }, deps()).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    const repo = direct().repository('faults/tag');
    expect(await repo.headManifest(release.releaseName)).toBeNull();
    // Nothing was signed: no referrers for an unpublished bundle.
    expect(await repo.listReferrers(release.digest)).toEqual([]);
  });
});
