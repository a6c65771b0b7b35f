/**
 * Re-runs converge (issue 10 §8–§10): a publish that failed in the middle of the GitHub upload, and a "re-run
 * all jobs" after everything succeeded, both end with complete releases on the real docker-registry 2.8.2 and
 * the GitHub fake — although each new job signs SHA256SUMS again and gets different signature bytes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { startFakeGithub, type FakeGithub } from '../testing/github-fake/server.js';
import { runCli } from '../testing/cli.js';
import { parsePrivateKey } from '../sign/index.js';
import { assembleRelease } from './__fixtures__/release.js';
import { usePublishRegistry } from './__fixtures__/registry-cases.js';
import { createGithubPublisher } from './github/index.js';
import { publishRelease } from './publish-release.js';

const ctx = usePublishRegistry('none');
const TOKEN = 'ghp_convergenceTestToken000000001';
const UPLOAD = 'repos/upload-release-asset';
let fake: FakeGithub;

beforeAll(async () => {
  fake = await startFakeGithub({ token: TOKEN });
});
afterAll(() => fake.close());

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function publishBoth(release: Awaited<ReturnType<typeof assembleRelease>>, repo: string) {
  const log = createLog({ write: () => undefined });
  const deps = {
    http: createHttp({ retries: 0 }),
    log,
    now: () => new Date('2025-02-01T00:00:00Z'),
    github: createGithubPublisher({ token: TOKEN, baseUrl: fake.apiUrl, log, retryBaseMs: 1, minWriteIntervalMs: 0 }),
  };
  const signing = { kind: 'key' as const, privateKey: parsePrivateKey(await fs.readFile(ctx.key, 'utf8')) };
  const targets = [{ kind: 'oci' as const, reference: `oci://${ctx.registry.host}/${repo}` }, { kind: 'github' as const, repository: 'acme/stacks' }];
  return publishRelease({ releaseDir: release.releaseDir, layoutDir: release.layoutDir, targets, signing, build: { builderId: 'test' } }, deps);
}

/** The GitHub release holds exactly the local folder's files, byte for byte, and is published. */
async function expectGithubComplete(release: Awaited<ReturnType<typeof assembleRelease>>) {
  const gh = fake.store.releasesOf('acme', 'stacks').filter((r) => r.tagName === release.releaseName);
  expect(gh.map((r) => r.draft)).toEqual([false]);
  const local = Object.fromEntries(await Promise.all((await fs.readdir(release.releaseDir)).map(async (n) => [n, sha(await fs.readFile(path.join(release.releaseDir, n)))] as const)));
  expect(Object.fromEntries(gh[0]!.assets.map((a) => [a.name, `${a.state}:${sha(a.bytes)}`]))).toEqual(Object.fromEntries(Object.entries(local).map(([n, h]) => [n, `uploaded:${h}`])));
}

describe('integration: re-runs of csp publish converge (docker-registry 2.8.2 + GitHub fake)', () => {
  it('a publish that failed mid-GitHub-upload completes on a re-run in a fresh job (new signature bytes)', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'mid-upload'), { releaseName: 'openstack-scs-1-30-v7' });
    // Assets go up in name order: SHA256SUMS, SHA256SUMS.sigstore.json, then the archives; the third fails for good.
    fake.setFaults([{ operationId: UPLOAD, nth: 3, times: 4, action: { kind: 'status', status: 500 } }]);
    await expect(publishBoth(release, 'conv/mid')).rejects.toMatchObject({ code: 'GITHUB_API' });
    fake.setFaults([]);
    const draft = fake.store.releasesOf('acme', 'stacks').find((r) => r.tagName === release.releaseName)!;
    expect(draft.draft).toBe(true);
    const firstSignature = draft.assets.find((a) => a.name === 'SHA256SUMS.sigstore.json')!.bytes;

    // A new workflow job starts from the build artifact: no local signature, so it signs again.
    await fs.rm(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'));
    const again = await publishBoth(release, 'conv/mid');
    expect(again.targets.map((t) => `${t.target}:${t.status}`)).toEqual(['oci:unchanged', 'github:pushed']);
    expect(again.targets[0]!.attestations.every((a) => a.status === 'already-signed')).toBe(true);
    await expectGithubComplete(release);
    // The signature uploaded by the first run was kept (it signs the same SHA256SUMS with the same key).
    expect(sha(await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json')))).toBe(sha(firstSignature));
    const verified = await runCli(['verify', `${ctx.registry.host}/conv/mid:${release.releaseName}`, '--key', ctx.pub], ctx.tmp, ctx.env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(fake.violations).toEqual([]);
  });

  it('"re-run all jobs" after a complete publish re-signs and still converges: both targets unchanged', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'rerun-all'), { releaseName: 'openstack-scs-1-30-v8' });
    const first = await publishBoth(release, 'conv/all');
    expect(first.targets.map((t) => `${t.target}:${t.status}`)).toEqual(['oci:pushed', 'github:pushed']);
    const signed = await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'));
    await fs.rm(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json'));
    const again = await publishBoth(release, 'conv/all');
    expect(again.targets.map((t) => `${t.target}:${t.status}`)).toEqual(['oci:unchanged', 'github:unchanged']);
    expect(sha(await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS.sigstore.json')))).toBe(sha(signed));
    await expectGithubComplete(release);
  });

  it('a signature by another key is not taken for ours: the published release is refused as different', async () => {
    const release = await assembleRelease(path.join(ctx.tmp, 'other-key'), { releaseName: 'openstack-scs-1-30-v9' });
    await publishBoth(release, 'conv/other');
    expect((await runCli(['keys', 'generate', '--out', 'k/intruder'], ctx.tmp, ctx.env)).code).toBe(0);
    const intruder = parsePrivateKey(await fs.readFile(path.join(ctx.tmp, 'k/intruder.key'), 'utf8'));
    const { signBlob } = await import('../sign/index.js');
    const gh = fake.store.releasesOf('acme', 'stacks').find((r) => r.tagName === release.releaseName)!;
    const asset = gh.assets.find((a) => a.name === 'SHA256SUMS.sigstore.json')!;
    asset.bytes = Buffer.from(await signBlob(await fs.readFile(path.join(release.releaseDir, 'SHA256SUMS')), { kind: 'key', privateKey: intruder }));
    asset.digest = `sha256:${sha(asset.bytes)}`;
    await expect(publishBoth(release, 'conv/other')).rejects.toMatchObject({ code: 'GITHUB_RELEASE_IMMUTABLE' });
  });
});

describe('integration: "re-run all jobs" after only the registry got the release', () => {
  it('plan reports publish-incomplete, build rebuilds the same bundle, publish completes GitHub', async () => {
    const { fixtureChartCache } = await import('../testing/workspace.js');
    const { repoRoot } = await import('../testing/paths.js');
    const cache = await fixtureChartCache(path.join(ctx.tmp, 'incomplete-cache'));
    const stack = path.join(repoRoot, 'stacks/docker/scs');
    const env = { ...ctx.env, GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.apiUrl, SOURCE_DATE_EPOCH: '1735689600' };
    const oci = `oci://${ctx.registry.host}/conv/incomplete`;
    const from = ['--previous-from', oci, '--previous-from', 'github:acme/stacks'];
    const build = (cwd: string) => runCli(['build', stack, '--k8s', '1.31', '--chart-cache', cache, '--out', 'out', '--ledger', 'releases', '--json', ...from], cwd, env);
    const publish = (cwd: string) => runCli(['publish', '--all', '--out', 'out', '--ledger', 'releases', '--to', oci, '--to', 'github', 'acme/stacks', '--skip-e2e', '--key', ctx.key, '--json'], cwd, env);

    // First run: the registry gets the release, GitHub refuses to create it (the job fails).
    const first = path.join(ctx.tmp, 'incomplete-1');
    await fs.mkdir(first);
    expect((await build(first)).code).toBe(0);
    fake.setFaults([{ operationId: 'repos/create-release', nth: 1, times: 10, action: { kind: 'status', status: 422, message: 'Validation Failed' } }]);
    const failed = await publish(first);
    fake.setFaults([]);
    expect(failed.code).not.toBe(0);
    const [name] = (await fs.readdir(path.join(first, 'out'))).filter((n) => n.startsWith('docker-scs-1-31-'));
    expect(fake.store.releasesOf('acme', 'stacks').filter((r) => r.tagName === name)).toEqual([]);

    // "Re-run all jobs": a fresh checkout (no out/, no records), the previous release is found in the registry.
    const second = path.join(ctx.tmp, 'incomplete-2');
    await fs.mkdir(second);
    const plan = await runCli(['plan', stack, '--k8s', '1.31', '--chart-cache', cache, '--ledger', 'releases', ...from], second, env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`incomplete ${name} (k8s 1.31.`);
    expect(plan.stdout).toContain('publish-incomplete, missing on github:acme/stacks');
    const rebuilt = await build(second);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const target = (JSON.parse(rebuilt.stdout) as { targets: { releaseName: string; action: string; incomplete?: string[] }[] }).targets[0]!;
    expect(target).toMatchObject({ releaseName: name, action: 'publish-incomplete', incomplete: ['github:acme/stacks'] });
    const completed = await publish(second);
    expect(completed.code, completed.stderr).toBe(0);
    const statuses = (JSON.parse(completed.stdout) as { releases: { targets: { target: string; status: string }[] }[] }).releases[0]!.targets.map((t) => `${t.target}:${t.status}`);
    expect(statuses).toEqual(['oci:unchanged', 'github:pushed']);
    expect(fake.store.releasesOf('acme', 'stacks').filter((r) => r.tagName === name).map((r) => r.draft)).toEqual([false]);

    // Now complete on both targets: nothing to release.
    const after = await runCli(['plan', stack, '--k8s', '1.31', '--chart-cache', cache, '--ledger', path.join(ctx.tmp, 'incomplete-none'), ...from], second, env);
    expect(after.stdout).toContain(`unchanged  ${name}`);
    expect(fake.violations).toEqual([]);
  }, 120_000);
});
