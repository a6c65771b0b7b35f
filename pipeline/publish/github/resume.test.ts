import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError, UpstreamError } from '../../core/errors.js';
import { captureLog, sampleRelease, writeReleaseFiles } from '../../testing/github-fake/harness.js';
import { startFakeGithub, type FakeGithub } from '../../testing/github-fake/server.js';
import type { FakeRelease } from '../../testing/github-fake/state.js';
import { publishGithubRelease, type GithubReleaseFile } from './index.js';

const TOKEN = 'ghp_resumeTestToken00000000001';
const UPLOAD = 'repos/upload-release-asset';
let fake: FakeGithub;

function publish(tag: string, files: GithubReleaseFile[], { log } = captureLog()) {
  return publishGithubRelease({ owner: 'acme', repo: 'stacks', tag, files, token: TOKEN, baseUrl: fake.apiUrl, log, retryBaseMs: 1, minWriteIntervalMs: 0 });
}

function releasesFor(tag: string): FakeRelease[] {
  return fake.store.releases.filter((r) => r.tagName === tag);
}

function actions(result: { assets: Array<{ name: string; action: string }> }): Record<string, string> {
  return Object.fromEntries(result.assets.map((a) => [a.name, a.action]));
}

async function fileSet(tag: string) {
  const { files } = await writeReleaseFiles(sampleRelease(tag));
  return files.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The published release holds exactly the files, byte for byte. */
async function expectComplete(tag: string, files: GithubReleaseFile[]) {
  const { readFile } = await import('node:fs/promises');
  const rel = releasesFor(tag).filter((r) => !r.draft);
  expect(rel).toHaveLength(1);
  const remote = Object.fromEntries(rel[0]!.assets.map((a) => [a.name, `${a.state}:${createHash('sha256').update(a.bytes).digest('hex')}`]));
  const local = Object.fromEntries(await Promise.all(files.map(async (f) => [f.name, `uploaded:${createHash('sha256').update(await readFile(f.path)).digest('hex')}`] as const)));
  expect(remote).toEqual(local);
}

beforeAll(async () => {
  fake = await startFakeGithub({ token: TOKEN, immutableReleases: true });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.setFaults([]);
});

describe('resuming after failures', () => {
  it('a run that fails mid-upload leaves a draft; the rerun keeps what is there and publishes', async () => {
    const tag = 'openstack-scs2-1-34-v1';
    const files = await fileSet(tag);
    // The second upload fails on the first attempt and all three retries.
    fake.setFaults([{ operationId: UPLOAD, nth: 2, times: 4, action: { kind: 'status', status: 500 } }]);
    const error = await publish(tag, files).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'GITHUB_API', status: 500, exitCode: 2, retriable: true });
    expect(releasesFor(tag).map((r) => [r.draft, r.assets.map((a) => a.name)])).toEqual([[true, [files[0]!.name]]]);
    expect(fake.requests.filter((r) => r.operationId === 'repos/update-release')).toEqual([]);

    fake.setFaults([]);
    const result = await publish(tag, files);
    expect(result).toMatchObject({ status: 'published', release: 'resumed-draft' });
    expect(actions(result)).toEqual(Object.fromEntries(files.map((f, i) => [f.name, i === 0 ? 'kept' : 'uploaded'])));
    await expectComplete(tag, files);
  });

  it('an upload that landed but whose answer was lost is adopted, not duplicated', async () => {
    const tag = 'openstack-scs2-1-34-v2';
    const files = await fileSet(tag);
    fake.setFaults([{ operationId: UPLOAD, nth: 3, action: { kind: 'drop-after' } }]);
    const start = fake.requests.length;
    const result = await publish(tag, files);
    expect(result.status).toBe('published');
    const uploads = fake.requests.slice(start).filter((r) => r.operationId === UPLOAD).map((r) => r.status);
    expect(uploads).toEqual([201, 201, 'dropped', 422, 201, 201]);
    await expectComplete(tag, files);
  });

  it('a partial asset left by a 502 is deleted and uploaded again', async () => {
    const tag = 'openstack-scs2-1-34-v3';
    const files = await fileSet(tag);
    fake.setFaults([{ operationId: UPLOAD, nth: 1, action: { kind: 'partial-upload' } }]);
    const start = fake.requests.length;
    const result = await publish(tag, files);
    expect(result.status).toBe('published');
    const ops = fake.requests.slice(start).map((r) => `${r.operationId}:${r.status}`);
    expect(ops.slice(0, 7)).toEqual([
      'repos/list-releases:200',
      'repos/create-release:201',
      'repos/list-release-assets:200',
      `${UPLOAD}:502`,
      `${UPLOAD}:422`,
      'repos/list-release-assets:200',
      'repos/delete-release-asset:204',
    ]);
    await expectComplete(tag, files);
  });

  it('a failed publish step leaves a complete draft that the rerun publishes without uploading', async () => {
    const tag = 'openstack-scs2-1-34-v4';
    const files = await fileSet(tag);
    fake.setFaults([{ operationId: 'repos/update-release', times: 4, action: { kind: 'drop' } }]);
    const error = (await publish(tag, files).then(() => undefined, (e: unknown) => e)) as PipelineError;
    expect(error.exitCode).toBe(2);
    expect(releasesFor(tag).map((r) => [r.draft, r.assets.length])).toEqual([[true, files.length]]);

    fake.setFaults([]);
    const start = fake.requests.length;
    const result = await publish(tag, files);
    expect(new Set(Object.values(actions(result)))).toEqual(new Set(['kept']));
    expect(fake.requests.slice(start).filter((r) => r.operationId === UPLOAD)).toEqual([]);
    await expectComplete(tag, files);
  });

  it('never publishes when the verification read-back disagrees', async () => {
    const tag = 'openstack-scs2-1-34-v5';
    const files = await fileSet(tag);
    // Another actor deletes an asset between the uploads and the verification read.
    let listed = 0;
    fake.setFaults([
      {
        operationId: 'repos/list-release-assets',
        nth: 2,
        action: { kind: 'before', run: (store) => void (listed++, store.releases.find((r) => r.tagName === tag)?.assets.pop()) },
      },
    ]);
    const error = (await publish(tag, files).then(() => undefined, (e: unknown) => e)) as PipelineError;
    expect(listed).toBe(1);
    expect(error).toMatchObject({ code: 'GITHUB_ASSETS_UNVERIFIED', exitCode: 2 });
    expect(error.message).toMatch(/missing on GitHub/);
    expect(releasesFor(tag).every((r) => r.draft)).toBe(true);

    fake.setFaults([]);
    expect((await publish(tag, files)).status).toBe('published');
    await expectComplete(tag, files);
  });

  it('losing a publish race to an identical release ends unchanged and removes the orphan draft', async () => {
    const tag = 'openstack-scs2-1-34-v6';
    const files = await fileSet(tag);
    fake.setFaults([
      {
        operationId: 'repos/update-release',
        action: {
          kind: 'before',
          run: (store) => {
            const ours = store.releases.find((r) => r.tagName === tag)!;
            const winner: FakeRelease = { ...ours, id: store.id(), draft: false, immutable: true, publishedAt: store.now(), assets: [] };
            store.releases.push(winner);
            for (const a of ours.assets) store.addAsset(winner, a.name, a.bytes, a.contentType, null);
          },
        },
      },
    ]);
    const result = await publish(tag, files);
    expect(result).toMatchObject({ status: 'unchanged', release: 'existing' });
    expect(releasesFor(tag).map((r) => r.draft)).toEqual([false]);
    await expectComplete(tag, files);
  });
});

describe('concurrent runs', () => {
  it('two runs racing on one tag end with one published release and no orphan draft', async () => {
    const tag = 'openstack-scs2-1-34-v8';
    const files = await fileSet(tag);
    const results = await Promise.all([publish(tag, files), publish(tag, files)]);
    // Whatever the interleaving (two drafts and a 422 on publish, or one shared draft), the outcome is the same.
    expect(results.map((r) => r.status)).toContain('published');
    expect(results.every((r) => r.status === 'published' || r.status === 'unchanged')).toBe(true);
    expect(releasesFor(tag).map((r) => r.draft)).toEqual([false]);
    await expectComplete(tag, files);
  });
});

describe('rate limits', () => {
  it('waits and retries on secondary and primary rate limits, with a warning', async () => {
    const tag = 'openstack-scs2-1-34-v7';
    const files = await fileSet(tag);
    fake.setFaults([
      { operationId: 'repos/create-release', action: { kind: 'status', status: 403, message: 'You have exceeded a secondary rate limit', retryAfter: '1' } },
      { operationId: 'repos/list-releases', action: { kind: 'status', status: 403, message: 'API rate limit exceeded', rateLimitRemaining: 0 } },
    ]);
    const capture = captureLog();
    const result = await publish(tag, files, capture);
    const lines = capture.lines;
    expect(result.status).toBe('published');
    expect(lines.join('\n')).toMatch(/secondary rate limit on POST/);
    expect(lines.join('\n')).toMatch(/primary rate limit on GET/);
    await expectComplete(tag, files);
  });
});
