import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError, UserInputError } from '../../core/errors.js';
import { captureLog, sampleRelease, writeReleaseFiles } from '../../testing/github-fake/harness.js';
import { startFakeGithub, type FakeGithub } from '../../testing/github-fake/server.js';
import { createGithubPublisher, publishGithubRelease, type GithubReleaseFile, type PublishGithubReleaseInput } from './index.js';

const TOKEN = 'ghp_publishTestToken000000000001';
let fake: FakeGithub;

function publish(tag: string, files: GithubReleaseFile[], extra: Partial<PublishGithubReleaseInput> = {}) {
  const { log, lines } = captureLog();
  const run = publishGithubRelease({ owner: 'acme', repo: 'stacks', tag, files, token: TOKEN, baseUrl: fake.apiUrl, log, retryBaseMs: 1, minWriteIntervalMs: 0, ...extra });
  return { run, lines };
}

function remote(tag: string) {
  return fake.store.releases
    .filter((r) => r.tagName === tag)
    .map((r) => ({ name: r.name, draft: r.draft, assets: Object.fromEntries(r.assets.map((a) => [a.name, `${a.state}:${sha(a.bytes)}`])) }));
}

function sha(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function expected(files: GithubReleaseFile[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f.name, `uploaded:${sha(await fs.readFile(f.path))}`] as const)));
}

/** Requests from the log made after index `from` that change something. */
function writesSince(from: number): string[] {
  return fake.requests.slice(from).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.operationId}`);
}

async function failure(p: Promise<unknown>): Promise<PipelineError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}

beforeAll(async () => {
  fake = await startFakeGithub({ token: TOKEN });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.violations).toEqual([]);
  expect(fake.requests.filter((r) => r.host !== 'objects' && !r.operationId)).toEqual([]);
  fake.setFaults([]);
});

describe('publishGithubRelease', () => {
  it('creates a draft named as the tag, uploads every file, verifies, then publishes', async () => {
    const tag = 'openstack-scs2-1-34-v1';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    const start = fake.requests.length;
    const result = await publish(tag, files).run;

    expect(result).toMatchObject({ status: 'published', release: 'created', tag, removed: [], dryRun: false });
    expect(result.assets.map((a) => [a.name, a.action])).toEqual(files.map((f) => [f.name, 'uploaded']).sort());
    expect(remote(tag)).toEqual([{ name: tag, draft: false, assets: await expected(files) }]);

    const ops = fake.requests.slice(start).map((r) => `${r.host}:${r.operationId}`);
    const publishAt = fake.requests.slice(start).findIndex((r) => r.operationId === 'repos/update-release');
    const lastUpload = ops.lastIndexOf('uploads:repos/upload-release-asset');
    expect(ops.filter((o) => o === 'uploads:repos/upload-release-asset')).toHaveLength(files.length);
    expect(ops.slice(lastUpload, publishAt)).toContain('api:repos/list-release-assets');
    expect(publishAt).toBeGreaterThan(lastUpload);
    expect(ops.at(-1)).toBe('api:repos/get-release-by-tag');
  });

  it('reads the published release back with bounded retries (GitHub is eventually consistent right after publishing)', async () => {
    const tag = 'openstack-scs2-1-34-v11';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    // The first two read-backs do not find the release yet, the third does.
    fake.setFaults([{ operationId: 'repos/get-release-by-tag', nth: 1, times: 2, action: { kind: 'status', status: 404 } }]);
    const start = fake.requests.length;
    const result = await publish(tag, files).run;
    expect(result.status).toBe('published');
    expect(fake.requests.slice(start).filter((r) => r.operationId === 'repos/get-release-by-tag').map((r) => r.status)).toEqual([404, 404, 200]);
  });

  it('gives up reading back after a bounded number of attempts (exit 2, retriable)', async () => {
    const tag = 'openstack-scs2-1-34-v12';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    fake.setFaults([{ operationId: 'repos/get-release-by-tag', nth: 1, times: 100, action: { kind: 'status', status: 404 } }]);
    const start = fake.requests.length;
    const error = await failure(publish(tag, files).run);
    expect(error).toMatchObject({ code: 'GITHUB_PUBLISH_NOT_VISIBLE', exitCode: 2 });
    expect(fake.requests.slice(start).filter((r) => r.operationId === 'repos/get-release-by-tag')).toHaveLength(5);
  });

  it('is a no-op for an identical published release and refuses a different one', async () => {
    const tag = 'openstack-scs2-1-34-v2';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    await publish(tag, files).run;
    const before = remote(tag);

    let start = fake.requests.length;
    const again = await publish(tag, files).run;
    expect(again).toMatchObject({ status: 'unchanged', release: 'existing' });
    expect(again.assets.every((a) => a.action === 'unchanged')).toBe(true);
    expect(writesSince(start)).toEqual([]);

    const changed = await writeReleaseFiles(sampleRelease(tag, '# rebuilt\n'));
    start = fake.requests.length;
    const error = await failure(publish(tag, changed.files).run);
    expect(error).toBeInstanceOf(UserInputError);
    expect(error).toMatchObject({ code: 'GITHUB_RELEASE_IMMUTABLE', exitCode: 1 });
    expect(error.details).toMatch(/metadata\.yaml: (\d+ bytes on GitHub|sha256)/);
    expect(writesSince(start)).toEqual([]);
    expect(remote(tag)).toEqual(before);

    const fewer = await failure(publish(tag, files.slice(1)).run);
    expect(fewer.code).toBe('GITHUB_RELEASE_IMMUTABLE');
    expect(fewer.details).toMatch(/on GitHub but not among the files/);
  });

  it('dry run only reads', async () => {
    const tag = 'openstack-scs2-1-34-v3';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    const start = fake.requests.length;
    const plan = await publish(tag, files, { dryRun: true }).run;
    expect(plan).toMatchObject({ status: 'would-publish', release: 'would-create', dryRun: true });
    expect(new Set(plan.assets.map((a) => a.action))).toEqual(new Set(['would-upload']));
    expect(writesSince(start)).toEqual([]);
    expect(remote(tag)).toEqual([]);
  });

  it('removes stray assets from a draft and replaces wrong ones before publishing', async () => {
    const tag = 'docker-scs2-1-33-v1';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    const draft = fake.store.seedRelease({ tagName: tag, name: 'something else', draft: true });
    fake.store.addAsset(draft, 'topology-old.yaml', Buffer.from('stale'), 'application/yaml', null);
    const metadata = await fs.readFile(files.find((f) => f.name === 'metadata.yaml')!.path);
    fake.store.addAsset(draft, 'metadata.yaml', Buffer.alloc(metadata.length, 'x'), 'application/yaml', null);
    fake.store.addAsset(draft, 'hashes.json', await fs.readFile(files.find((f) => f.name === 'hashes.json')!.path), 'application/json', null);

    const dry = await publish(tag, files, { dryRun: true }).run;
    expect(dry.release).toBe('would-resume-draft');
    expect(dry.removed).toEqual(['topology-old.yaml']);
    expect(Object.fromEntries(dry.assets.map((a) => [a.name, a.action]))).toMatchObject({ 'metadata.yaml': 'would-replace', 'hashes.json': 'would-keep' });

    const result = await publish(tag, files).run;
    expect(result).toMatchObject({ status: 'published', release: 'resumed-draft', releaseId: draft.id, removed: ['topology-old.yaml'] });
    expect(Object.fromEntries(result.assets.map((a) => [a.name, a.action]))).toMatchObject({ 'metadata.yaml': 'replaced', 'hashes.json': 'kept', 'clusteraddon.yaml': 'uploaded' });
    expect(remote(tag)).toEqual([{ name: tag, draft: false, assets: await expected(files) }]);
  });

  it('refuses a name another release already carries (CSO lists by name)', async () => {
    fake.store.seedRelease({ tagName: 'v9', name: 'hcloud-scs2-1-34-v1' });
    const { files } = await writeReleaseFiles(sampleRelease('hcloud-scs2-1-34-v1'));
    const error = await failure(publish('hcloud-scs2-1-34-v1', files).run);
    expect(error).toMatchObject({ code: 'GITHUB_RELEASE_NAME_TAKEN', exitCode: 1 });
  });

  it('reports every input problem at once, before any request', async () => {
    const start = fake.requests.length;
    const { files } = await writeReleaseFiles({ 'bad name.yaml': 'x', 'ok.yaml': 'y' });
    const error = await failure(publish('x-v1', [...files, { name: 'ok.yaml', path: files[1]!.path }, { name: 'gone.tgz', path: '/nonexistent/gone.tgz' }]).run);
    expect(error).toMatchObject({ code: 'GITHUB_ASSETS_INVALID', exitCode: 1 });
    expect(error.message).toMatch(/bad name\.yaml[\s\S]*given twice[\s\S]*ENOENT/);
    const noToken = await failure(publish('x-v1', files.slice(1), { token: '' }).run);
    expect(noToken).toMatchObject({ code: 'GITHUB_PUBLISH_INPUT', exitCode: 1 });
    expect(fake.requests.length).toBe(start);
  });

  it('refuses a bundle file whose bytes are not the ones its manifest names, before any request', async () => {
    const start = fake.requests.length;
    const { files } = await writeReleaseFiles({ 'metadata.yaml': 'a: 1\n', 'hashes.json': '{}' });
    const wrong = createHash('sha256').update('a: 2\n').digest('hex');
    const good = createHash('sha256').update('{}').digest('hex');
    const error = await failure(publish('x-v2', [{ ...files[0]!, sha256: wrong }, { ...files[1]!, sha256: good }]).run);
    expect(error).toMatchObject({ code: 'GITHUB_ASSETS_INVALID', exitCode: 1 });
    expect(error.message).toContain(`metadata.yaml changed after the build (sha256 ${createHash('sha256').update('a: 1\n').digest('hex')}, the bundle manifest says ${wrong})`);
    expect(error.message).not.toContain('hashes.json');
    expect(fake.requests.length).toBe(start);
  });
});

describe('publishGithubRelease without asset digests (older GitHub data)', () => {
  let legacy: FakeGithub;
  beforeAll(async () => {
    legacy = await startFakeGithub({ token: TOKEN, assetDigests: false });
  });
  afterAll(() => legacy.close());

  it('downloads assets to compare sha256 and catches a same-size wrong asset', async () => {
    const tag = 'openstack-scs2-1-35-v1';
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    const { log } = captureLog();
    const input = { owner: 'acme', repo: 'stacks', tag, files, token: TOKEN, baseUrl: legacy.apiUrl, log, retryBaseMs: 1, minWriteIntervalMs: 0 };
    const draft = legacy.store.seedRelease({ tagName: tag, draft: true });
    const hashes = await fs.readFile(files.find((f) => f.name === 'hashes.json')!.path);
    legacy.store.addAsset(draft, 'hashes.json', Buffer.from(hashes.toString().replace(/h-/, 'X-')), 'application/json', null);

    const result = await publishGithubRelease(input);
    expect(result.assets.find((a) => a.name === 'hashes.json')?.action).toBe('replaced');
    expect(legacy.requests.filter((r) => r.host === 'objects').length).toBeGreaterThanOrEqual(files.length + 1);
    expect(legacy.store.releases.find((r) => r.id === draft.id)?.assets.map((a) => sha(a.bytes)).sort()).toEqual(result.assets.map((a) => a.sha256).sort());
    expect((await publishGithubRelease(input)).status).toBe('unchanged');
    expect(legacy.violations).toEqual([]);
  });
});

describe('createGithubPublisher (the csp publish target hook)', () => {
  it('maps release folders to releases and results to target statuses', async () => {
    const tag = 'hcloud-scs2-1-33-v1';
    const { files } = await writeReleaseFiles({ ...sampleRelease(tag), SHA256SUMS: 'abc  metadata.yaml\n', 'SHA256SUMS.sigstore.json': '{}' });
    const paths = files.map((f) => f.path);
    const publisher = createGithubPublisher({ token: TOKEN, baseUrl: fake.apiUrl, log: captureLog().log, retryBaseMs: 1, minWriteIntervalMs: 0 });
    const dry = await publisher({ repository: 'acme/stacks', releaseName: tag, files: paths, dryRun: true });
    expect(dry.status).toBe('would-push');
    const first = await publisher({ repository: 'acme/stacks', releaseName: tag, files: paths, dryRun: false });
    expect(first).toMatchObject({ status: 'pushed', url: `https://github.com/acme/stacks/releases/tag/${tag}` });
    expect(remote(tag)[0]?.assets).toHaveProperty(['SHA256SUMS.sigstore.json']);
    expect((await publisher({ repository: 'acme/stacks', releaseName: tag, files: paths, dryRun: false })).status).toBe('unchanged');
    await expect(publisher({ repository: 'acme', releaseName: tag, files: paths, dryRun: false })).rejects.toMatchObject({ code: 'GITHUB_REPOSITORY', exitCode: 1 });
  });
});
