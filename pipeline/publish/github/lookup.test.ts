import fs from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLog, sampleRelease, writeReleaseFiles } from '../../testing/github-fake/harness.js';
import { startFakeGithub, type FakeGithub } from '../../testing/github-fake/server.js';
import { findGithubRelease, listGithubReleases, publishGithubRelease, readGithubReleaseAsset } from './index.js';

const TOKEN = 'ghp_lookupTestToken0000000001';
let fake: FakeGithub;
const conn = () => ({ owner: 'acme', repo: 'stacks', baseUrl: fake.apiUrl, log: captureLog().log, retryBaseMs: 1, minWriteIntervalMs: 0 });
const hashes: Record<string, Buffer> = {};

beforeAll(async () => {
  fake = await startFakeGithub({ token: TOKEN });
  for (const tag of ['openstack-scs2-1-34-v1', 'openstack-scs2-1-34-v2', 'openstack-scs2-1-33-v1']) {
    const { files } = await writeReleaseFiles(sampleRelease(tag));
    hashes[tag] = await fs.readFile(files.find((f) => f.name === 'hashes.json')!.path);
    await publishGithubRelease({ ...conn(), tag, files, token: TOKEN });
  }
  // A draft for the next version, as a failed run would leave it.
  fake.store.seedRelease({ tagName: 'openstack-scs2-1-34-v3', draft: true });
  // Enough unrelated releases to need a second page.
  for (let i = 0; i < 110; i++) fake.store.seedRelease({ tagName: `other-${i}` });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.violations).toEqual([]);
});

describe('release lookups', () => {
  it('lists a stack line by name prefix across pages, newest first, drafts only on request', async () => {
    const line = await listGithubReleases({ ...conn(), token: TOKEN, namePrefix: 'openstack-scs2-1-34-' });
    expect(line.map((r) => r.name)).toEqual(['openstack-scs2-1-34-v2', 'openstack-scs2-1-34-v1']);
    const withDrafts = await listGithubReleases({ ...conn(), token: TOKEN, namePrefix: 'openstack-scs2-1-34-', includeDrafts: true });
    expect(withDrafts.map((r) => [r.name, r.draft])).toEqual([
      ['openstack-scs2-1-34-v3', true],
      ['openstack-scs2-1-34-v2', false],
      ['openstack-scs2-1-34-v1', false],
    ]);
    expect(await listGithubReleases({ ...conn(), token: TOKEN })).toHaveLength(113);
    const pages = fake.requests.filter((r) => r.operationId === 'repos/list-releases' && /page=2/.test(r.query));
    expect(pages.length).toBeGreaterThan(0);
  });

  it('finds a release by tag (published only unless asked) and reads an asset', async () => {
    const v1 = await findGithubRelease({ ...conn(), token: TOKEN, tag: 'openstack-scs2-1-34-v1' });
    expect(v1).toMatchObject({ tag: 'openstack-scs2-1-34-v1', name: 'openstack-scs2-1-34-v1', draft: false });
    expect(v1?.assets.map((a) => a.name)).toContain('hashes.json');
    expect(await findGithubRelease({ ...conn(), token: TOKEN, tag: 'openstack-scs2-1-34-v3' })).toBeNull();
    expect(await findGithubRelease({ ...conn(), token: TOKEN, tag: 'openstack-scs2-1-34-v3', includeDrafts: true })).toMatchObject({ draft: true });
    expect(await findGithubRelease({ ...conn(), tag: 'nope-v1' })).toBeNull();

    const asset = v1!.assets.find((a) => a.name === 'hashes.json')!;
    const bytes = await readGithubReleaseAsset({ ...conn(), assetId: asset.id, name: asset.name });
    expect(Buffer.from(bytes).equals(hashes['openstack-scs2-1-34-v1']!)).toBe(true);
  });

  it('works anonymously for published releases', async () => {
    const start = fake.requests.length;
    const line = await listGithubReleases({ ...conn(), namePrefix: 'openstack-scs2-1-34-', includeDrafts: true });
    expect(line.map((r) => r.name)).toEqual(['openstack-scs2-1-34-v2', 'openstack-scs2-1-34-v1']);
    expect(fake.requests.slice(start).every((r) => !r.authorization)).toBe(true);
  });

  it('a missing repository is a user error (exit 1)', async () => {
    const error = await listGithubReleases({ ...conn(), repo: 'missing' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GITHUB_NOT_FOUND', exitCode: 1 });
  });
});
