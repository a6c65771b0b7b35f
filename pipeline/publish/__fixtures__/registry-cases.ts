/**
 * Shared integration cases for csp publish/verify/pull against docker-registry 2.8.2 in each auth mode:
 * the end-to-end round trip through the CLI (with skopeo as the independent reader) and the sentinel secret.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../core/run.js';
import { runCli } from '../../testing/cli.js';
import { startFaultProxy, type FaultProxy } from '../../testing/registry/fault-proxy.js';
import { skopeoRawManifest } from '../../testing/registry/skopeo.js';
import { startRegistry, type RegistryAuth, type TestRegistry } from '../../testing/registry/start-registry.js';
import { assembleRelease } from './release.js';

/** A password that must never appear in any output, in any encoding. */
export const SENTINEL = 'S3ntinel-publish/pw+never-printed';

/** What the cases share; filled in `beforeAll`. */
export interface PublishRegistryContext {
  registry: TestRegistry;
  proxy: FaultProxy;
  tmp: string;
  key: string;
  pub: string;
  /** Environment carrying registry credentials for the CLI (empty for anonymous). */
  env: Record<string, string>;
}

/** Starts a registry (one per test file; the sentinel user exists in auth modes), a proxy and a key pair. */
export function usePublishRegistry(auth: RegistryAuth): PublishRegistryContext {
  const ctx = {} as PublishRegistryContext;
  beforeAll(async () => {
    ctx.registry = await startRegistry({ auth, users: auth === 'none' ? [] : [{ username: 'sentinel', password: SENTINEL }] });
    ctx.proxy = await startFaultProxy(ctx.registry.url);
    ctx.tmp = await fs.mkdtemp(path.join(os.tmpdir(), `csp-publish-${auth}-`));
    expect((await runCli(['keys', 'generate', '--out', 'k/release'], ctx.tmp)).code).toBe(0);
    ctx.key = path.join(ctx.tmp, 'k/release.key');
    ctx.pub = path.join(ctx.tmp, 'k/release.pub');
    // HOME points at the temp folder so no real ~/.docker/config.json is read.
    ctx.env = auth === 'none' ? { HOME: ctx.tmp } : { OCI_USERNAME: 'sentinel', OCI_PASSWORD: SENTINEL, HOME: ctx.tmp };
  });
  afterAll(async () => {
    await ctx.proxy?.close();
    await ctx.registry?.stop();
    if (ctx.tmp) await fs.rm(ctx.tmp, { recursive: true, force: true });
  });
  return ctx;
}

/** Asserts that no form of the sentinel occurs in `text`. */
export function expectNoSentinel(text: string): void {
  for (const form of [SENTINEL, encodeURIComponent(SENTINEL), Buffer.from(SENTINEL).toString('base64'), Buffer.from(`sentinel:${SENTINEL}`).toString('base64')]) {
    expect(text.includes(form), `sentinel form ${form.slice(0, 6)}… leaked`).toBe(false);
  }
}

/** The end-to-end round trip and the secret checks every auth mode must pass. */
export function publishCases(ctx: PublishRegistryContext, repoName: string, auth: RegistryAuth): void {
  it('publishes a signed bundle, skopeo reads the CSO artifact, verify passes and pull gives byte-equal files', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, `e2e-${repoName.replace(/\W/g, '-')}`));
    const target = `oci://${ctx.proxy.host}/${repoName}`;
    const pub = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', target, '--key', ctx.key, '--ledger', path.join(release.outDir, 'releases'), '--json', '--verbose'], ctx.tmp, ctx.env);
    expect(pub.code, pub.stderr).toBe(0);
    expectNoSentinel(pub.stdout + pub.stderr);
    const result = JSON.parse(pub.stdout) as { releases: { targets: { status: string; ref: string; attestations: { kind: string; status: string }[] }[] }[] };
    expect(result.releases[0]!.targets[0]).toMatchObject({ status: 'pushed', ref: `${ctx.proxy.host}/${repoName}:${release.releaseName}` });
    expect(result.releases[0]!.targets[0]!.attestations.map((a) => `${a.kind}:${a.status}`)).toEqual(['signature:attached', 'provenance:attached', 'sbom:attached']);

    const creds = ctx.registry.credentials;
    const raw = await skopeoRawManifest(`${ctx.registry.host}/${repoName}:${release.releaseName}`, creds);
    const layoutManifest = await fs.readFile(path.join(release.layoutDir, 'blobs', 'sha256', release.digest.slice(7)));
    expect(raw.equals(layoutManifest)).toBe(true);
    const manifest = JSON.parse(raw.toString()) as { artifactType: string; config: { mediaType: string }; layers: { mediaType: string; annotations: Record<string, string> }[] };
    expect(manifest.artifactType).toBe('application/vnd.scs.cluster-stacks.v1');
    expect(manifest.config.mediaType).toBe('application/vnd.oci.empty.v1+json');
    const types = Object.fromEntries(manifest.layers.map((l) => [l.annotations['org.opencontainers.image.title'], l.mediaType]));
    expect(types).toMatchObject({
      'metadata.yaml': 'application/vnd.scs.metadata.layer.v1+yaml',
      'clusteraddon.yaml': 'application/vnd.scs.cluster-addon.config.layer.v1+yaml',
      'hashes.json': 'application/vnd.scs.hashes.layer.v1+yaml',
      'openstack-scs-1-30-cluster-class-v1.tgz': 'application/vnd.scs.cluster-class.v1.tar+gzip',
      'openstack-scs-1-30-cluster-addon-v1.tgz': 'application/vnd.scs.cluster-addon.layer.v1.tar+gzip',
    });
    // skopeo copy keeps the manifest digest and every layer (referrers are not copied).
    const copyDir = path.join(ctx.tmp, `copy-${repoName.replace(/\W/g, '-')}`);
    const copy = await run('skopeo', ['copy', '--src-tls-verify=false', ...(creds ? ['--src-creds', `${creds.username}:${creds.password}`] : []), `docker://${ctx.registry.host}/${repoName}:${release.releaseName}`, `oci:${copyDir}:${release.releaseName}`], { cwd: ctx.tmp, allowFailure: true, timeoutMs: 60_000 });
    expect(copy.exitCode, copy.stderr.slice(-300)).toBe(0);
    const copiedIndex = JSON.parse(await fs.readFile(path.join(copyDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(copiedIndex.manifests.map((m) => m.digest)).toEqual([release.digest]);
    for (const [, data] of release.files) {
      const hex = (await import('node:crypto')).createHash('sha256').update(data).digest('hex');
      expect((await fs.readFile(path.join(copyDir, 'blobs', 'sha256', hex))).equals(data)).toBe(true);
    }

    const ref = `${ctx.proxy.host}/${repoName}:${release.releaseName}`;
    const verify = await runCli(['verify', ref, '--key', ctx.pub, '--verbose'], ctx.tmp, ctx.env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`verified ${ref} ${release.digest}`);
    expectNoSentinel(verify.stdout + verify.stderr);
    const out = path.join(ctx.tmp, `pulled-${repoName.replace(/\W/g, '-')}`);
    const pull = await runCli(['pull', `oci://${ref}`, '--key', ctx.pub, '--out', out], ctx.tmp, ctx.env);
    expect(pull.code, pull.stderr).toBe(0);
    expect((await fs.readdir(out)).sort()).toEqual([...release.files.keys()].sort());
    for (const [name, data] of release.files) expect((await fs.readFile(path.join(out, name))).equals(data), name).toBe(true);
  });

  it.skipIf(auth === 'none')('never prints the registry password, even when it is refused', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'refused'), { releaseName: 'openstack-scs-1-30-v7' });
    const wrong = { ...ctx.env, OCI_USERNAME: 'csp-user', OCI_PASSWORD: SENTINEL };
    const res = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--skip-e2e', '--to', `oci://${ctx.proxy.host}/${repoName}`, '--key', ctx.key, '--verbose', '--json'], ctx.tmp, wrong);
    expect(res.code).toBe(1);
    expect(res.stderr + res.stdout).toMatch(/OCI_CREDENTIALS_REJECTED|OCI_AUTH_FAILED|OCI_DENIED/);
    expectNoSentinel(res.stdout + res.stderr);
    // The private key never shows either.
    const keyBody = (await fs.readFile(ctx.key, 'utf8')).split('\n')[1]!;
    expect(res.stdout + res.stderr).not.toContain(keyBody);
  });
}
