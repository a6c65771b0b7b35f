/**
 * The e2e gate on a real docker-registry 2.8.2: publishing to a registry is refused without a passing e2e
 * attestation that verifies, --skip-e2e publishes with a loud warning recorded in the release record, an
 * attached attestation travels to the registry as a referrer, and `csp verify --require-e2e` insists on it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../testing/cli.js';
import { generateKeyPair, parsePrivateKey } from '../sign/index.js';
import { assembleRelease } from './__fixtures__/release.js';
import { usePublishRegistry } from './__fixtures__/registry-cases.js';
import { attachE2eAttestation, type E2eOutcome } from './index.js';

const ctx = usePublishRegistry('none');

function outcome(releaseName: string, digest: string, ok = true): E2eOutcome {
  return {
    ok, bundle: { releaseName, kubernetesVersion: 'v1.30.5', manifestDigest: digest },
    versions: { kind: 'v0.29.0', nodeImage: 'kindest/node:v1.33.1', clusterApi: 'v1.14.0', capd: 'v1.14.0', cso: 'v0.1.0-alpha.7' },
    startedOn: '2026-01-01T00:00:00Z', finishedOn: '2026-01-01T00:20:00Z',
    checks: [{ id: 'nodes-ready', name: 'all nodes Ready', status: 'passed', message: '5 nodes Ready' }],
  };
}

async function release(name: string) {
  const r = await assembleRelease(path.join(ctx.tmp, name), { releaseName: `docker-scs-1-30-${name}` });
  const signing = { kind: 'key' as const, privateKey: parsePrivateKey(await fs.readFile(ctx.key, 'utf8')) };
  return { ...r, signing };
}

const publish = (r: { releaseDir: string; outDir: string }, repo: string, ...extra: string[]) =>
  runCli(['publish', r.releaseDir, '--out', r.outDir, '--to', `oci://${ctx.proxy.host}/${repo}`, '--key', ctx.key, '--ledger', path.join(r.outDir, 'releases'), ...extra], ctx.tmp, ctx.env);
const verify = (ref: string, ...extra: string[]) => runCli(['verify', ref, '--key', ctx.pub, ...extra], ctx.tmp, ctx.env);
const record = async (r: { outDir: string; releaseName: string }) => parseYaml(await fs.readFile(path.join(r.outDir, 'releases', `${r.releaseName}.yaml`), 'utf8')) as { e2e?: unknown; signatures?: { kind: string }[] };

describe('e2e gate (docker-registry)', () => {
  it('refuses to publish without a passing e2e attestation, and pushes nothing', async () => {
    const r = await release('v1');
    const res = await publish(r, 'gate/none');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`PUBLISH_E2E_MISSING ${r.releaseName} (${r.digest}) has no passing e2e attestation that verifies`);
    expect((await verify(`${ctx.proxy.host}/gate/none:${r.releaseName}`)).stderr).toContain('VERIFY_NOT_FOUND');
  }, 60_000);

  it('--skip-e2e publishes with a loud warning recorded in the release record; verify --require-e2e refuses it', async () => {
    const r = await release('v2');
    const res = await publish(r, 'gate/skip', '--skip-e2e');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/warning: PUBLISHING docker-scs-1-30-v2 WITHOUT A PASSING E2E RUN \(--skip-e2e\)/);
    expect((await record(r)).e2e).toEqual({ status: 'skipped', at: expect.any(String) });
    const ref = `${ctx.proxy.host}/gate/skip:${r.releaseName}`;
    expect((await verify(ref)).code).toBe(0);
    const strict = await verify(ref, '--require-e2e');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('VERIFY_E2E_MISSING');
  }, 60_000);

  it('an attached passing attestation is verified, pushed as a referrer and recorded; verify --require-e2e passes', async () => {
    const r = await release('v3');
    const attached = await attachE2eAttestation({ layoutDir: r.layoutDir, releaseName: r.releaseName, result: outcome(r.releaseName, r.digest), signing: r.signing, created: '2026-01-01T00:20:00Z' });
    const res = await publish(r, 'gate/passed', '--json');
    expect(res.code, res.stderr).toBe(0);
    const kinds = (JSON.parse(res.stdout) as { releases: { targets: { attestations: { kind: string }[] }[] }[] }).releases[0]!.targets[0]!.attestations.map((a) => a.kind);
    expect(kinds).toEqual(['signature', 'provenance', 'sbom', 'e2e']);
    expect((await record(r)).e2e).toEqual({ status: 'passed', attestation: attached.digest, at: expect.any(String) });
    expect((await record(r)).signatures?.map((s) => s.kind)).toContain('e2e');
    const strict = await verify(`${ctx.proxy.host}/gate/passed:${r.releaseName}`, '--require-e2e', '--json');
    expect(strict.code, strict.stderr).toBe(0);
    expect((JSON.parse(strict.stdout) as { attestations: { kind: string }[] }).attestations.map((a) => a.kind)).toContain('e2e');
  }, 60_000);

  it('refuses an attestation signed with another key', async () => {
    const r = await release('v4');
    const other = { kind: 'key' as const, privateKey: parsePrivateKey(generateKeyPair().privateKeyPem) };
    await attachE2eAttestation({ layoutDir: r.layoutDir, releaseName: r.releaseName, result: outcome(r.releaseName, r.digest), signing: other, created: '2026-01-01T00:20:00Z' });
    const res = await publish(r, 'gate/foreign');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/PUBLISH_E2E_MISSING .* has no passing e2e attestation that verifies/);
    expect(res.stderr).toMatch(/Rejected: sha256:[0-9a-f]{12}: VERIFY_/);
  }, 60_000);

  it('csp e2e --attest-result attests a passing run from another job, then publish passes the gate', async () => {
    const r = await release('v7');
    const file = path.join(r.outDir, 'result.json');
    const attest = (result: E2eOutcome) => fs.writeFile(file, JSON.stringify(result)).then(() => runCli(['e2e', r.releaseDir, '--attest-result', file, '--key', ctx.key], ctx.tmp, ctx.env));
    const failed = await attest(outcome(r.releaseName, r.digest, false));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('E2E_NOT_PASSED');
    const passed = await attest(outcome(r.releaseName, r.digest));
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(new RegExp(`^attested ${r.releaseName}: sha256:[0-9a-f]{64}$`));
    expect((await publish(r, 'gate/later')).code).toBe(0);
  }, 60_000);

  it.each([
    ['a failed run', false, undefined, 'E2E_NOT_PASSED'],
    ['a run of another digest', true, `sha256:${'0'.repeat(64)}`, 'E2E_DIGEST_MISMATCH'],
  ])('does not attest %s', async (_name, ok, digest, code) => {
    const r = await release(ok ? 'v5' : 'v6');
    await expect(attachE2eAttestation({ layoutDir: r.layoutDir, releaseName: r.releaseName, result: outcome(r.releaseName, digest ?? r.digest, ok), signing: r.signing, created: '2026-01-01T00:20:00Z' })).rejects.toMatchObject({ code });
  });
});
