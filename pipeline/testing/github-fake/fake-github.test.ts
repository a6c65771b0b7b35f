import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, checkResponse, matchOperation } from './openapi.js';
import { startFakeGithub, type FakeGithub } from './server.js';

const TOKEN = 'ghp_fakeGithubTestToken0001';
const repo = { owner: 'acme', repo: 'stacks' };
let fake: FakeGithub;
let gh: Octokit;
let anon: Octokit;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

beforeAll(async () => {
  fake = await startFakeGithub({ token: TOKEN, immutableReleases: true });
  gh = new Octokit({ auth: TOKEN, baseUrl: fake.apiUrl, log: quiet });
  anon = new Octokit({ baseUrl: fake.apiUrl, log: quiet });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.violations).toEqual([]);
});

describe('OpenAPI request validation (the validator can fail)', () => {
  interface Req {
    method: string;
    path: string;
    query?: string;
    body?: unknown;
  }
  it.each<[string, Req, RegExp]>([
    ['missing tag_name, boolean make_latest', { method: 'POST', path: '/repos/a/b/releases', body: { make_latest: false } }, /tag_name[\s\S]*make_latest/],
    ['unknown query parameter', { method: 'GET', path: '/repos/a/b/releases', query: 'per_page=10&sort=asc' }, /query parameter sort is not defined/],
    ['non-integer release id', { method: 'GET', path: '/repos/a/b/releases/latest-ish' }, /release_id/],
    ['path not in the spec', { method: 'GET', path: '/repos/a/b/release' }, /no operation/],
    ['upload without its required name', { method: 'POST', path: '/repos/a/b/releases/1/assets' }, /name is required/],
    ['JSON body on a GET', { method: 'GET', path: '/repos/a/b/releases', body: { x: 1 } }, /takes no request body/],
  ])('%s', (_label, req, expected) => {
    const body = req.body ? Buffer.from(JSON.stringify(req.body)) : Buffer.alloc(0);
    const { problems } = checkRequest({ method: req.method, path: req.path, query: new URLSearchParams(req.query ?? ''), contentType: req.body ? 'application/json' : undefined, body });
    expect(problems.join('\n')).toMatch(expected);
  });

  it('accepts a conforming request and picks literal routes over parameters', () => {
    const body = Buffer.from(JSON.stringify({ tag_name: 'x-v1', name: 'x-v1', draft: true, make_latest: 'false' }));
    expect(checkRequest({ method: 'POST', path: '/repos/a/b/releases', query: new URLSearchParams(), contentType: 'application/json', body }).problems).toEqual([]);
    expect(matchOperation('GET', '/repos/a/b/releases/latest')?.operationId).toBe('repos/get-latest-release');
    expect(matchOperation('GET', '/repos/a/b/releases/tags/a/b')?.pathParams.tag).toBe('a/b');
  });

  it('checks response bodies too', () => {
    const op = matchOperation('GET', '/repos/a/b/releases/1')!;
    expect(checkResponse(op, 200, { id: 1 }).join()).toMatch(/upload_url/);
  });

  it('a spec-violating request through Octokit is refused and recorded', async () => {
    const call = gh.request('POST /repos/{owner}/{repo}/releases', { ...repo, make_latest: false } as never);
    expect(await status(call)).toBe(422);
    expect(fake.violations.join('\n')).toMatch(/must have required property 'tag_name'/);
    expect(fake.requests.at(-1)?.violations.length).toBeGreaterThan(0);
    fake.violations.length = 0;
  });

  it('an upload sent to the API host is a violation', async () => {
    const created = await gh.rest.repos.createRelease({ ...repo, tag_name: 'wrong-host-v1', draft: true });
    const call = gh.request({ method: 'POST', url: `${fake.apiUrl}/repos/acme/stacks/releases/${created.data.id}/assets?name=x.yaml`, data: Buffer.from('x'), headers: { 'content-type': 'application/yaml' } });
    expect(await status(call)).toBe(422);
    expect(fake.violations.join('\n')).toMatch(/must be sent to the uploads host/);
    fake.violations.length = 0;
  });
});

describe('GitHub behaviour the spec does not describe', () => {
  it('hides drafts from get-by-tag and from anonymous callers', async () => {
    const draft = await gh.rest.repos.createRelease({ ...repo, tag_name: 'hidden-v1', name: 'hidden-v1', draft: true });
    expect(draft.data.html_url).toMatch(/\/releases\/tag\/untagged-/);
    expect(await status(gh.rest.repos.getReleaseByTag({ ...repo, tag: 'hidden-v1' }))).toBe(404);
    expect((await gh.rest.repos.listReleases(repo)).data.map((r) => r.tag_name)).toContain('hidden-v1');
    expect((await anon.rest.repos.listReleases(repo)).data.map((r) => r.tag_name)).not.toContain('hidden-v1');
    expect(await status(anon.rest.repos.getRelease({ ...repo, release_id: draft.data.id }))).toBe(404);
    expect(await status(anon.rest.repos.createRelease({ ...repo, tag_name: 'anon-v1' }))).toBe(401);
    expect(await status(new Octokit({ auth: 'wrong-token', baseUrl: fake.apiUrl, log: quiet }).rest.repos.listReleases(repo))).toBe(401);
  });

  it('answers 422 already_exists for a duplicate asset name, and stores sha256 digests', async () => {
    const rel = await gh.rest.repos.createRelease({ ...repo, tag_name: 'dup-v1', draft: true });
    const upload = (bytes: string) =>
      gh.request({ method: 'POST', url: rel.data.upload_url, name: 'metadata.yaml', data: Buffer.from(bytes), headers: { 'content-type': 'application/yaml' } });
    const first = await upload('a: 1\n');
    expect(first.status).toBe(201);
    expect((first.data as { digest: string }).digest).toBe('sha256:' + (await sha256('a: 1\n')));
    const error = (await upload('a: 2\n').catch((e: unknown) => e)) as { status: number; response: { data: { errors: Array<{ code: string; field: string }> } } };
    expect(error.status).toBe(422);
    expect(error.response.data.errors[0]).toMatchObject({ code: 'already_exists', field: 'name' });
  });

  it('refuses a second published release for a tag and locks immutable releases', async () => {
    const rel = await gh.rest.repos.createRelease({ ...repo, tag_name: 'lock-v1', name: 'lock-v1', draft: true });
    await gh.request({ method: 'POST', url: rel.data.upload_url, name: 'a.yaml', data: Buffer.from('a'), headers: { 'content-type': 'application/yaml' } });
    const published = await gh.rest.repos.updateRelease({ ...repo, release_id: rel.data.id, draft: false });
    expect(published.data.immutable).toBe(true);
    expect(await status(gh.rest.repos.createRelease({ ...repo, tag_name: 'lock-v1' }))).toBe(422);
    const upload = gh.request({ method: 'POST', url: rel.data.upload_url, name: 'b.yaml', data: Buffer.from('b'), headers: { 'content-type': 'application/yaml' } });
    expect(await status(upload)).toBe(422);
    expect(await status(gh.rest.repos.deleteReleaseAsset({ ...repo, asset_id: published.data.assets[0]!.id }))).toBe(422);
    await gh.rest.repos.deleteRelease({ ...repo, release_id: rel.data.id });
    expect(await status(gh.rest.repos.createRelease({ ...repo, tag_name: 'lock-v1', draft: true }))).toBe(422);
  });

  it('paginates with Link headers (default 30, at most 100 per page)', async () => {
    for (let i = 0; i < 35; i++) fake.store.seedRelease({ tagName: `page-v${i}` });
    const first = await anon.rest.repos.listReleases(repo);
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toMatch(/rel="next"/);
    const all = await anon.paginate(anon.rest.repos.listReleases, { ...repo, per_page: 100 });
    expect(all.filter((r) => r.tag_name.startsWith('page-'))).toHaveLength(35);
  });

  it('redirects asset downloads to a storage host that never sees the token', async () => {
    const rel = await gh.rest.repos.createRelease({ ...repo, tag_name: 'dl-v1', draft: true });
    const up = await gh.request({ method: 'POST', url: rel.data.upload_url, name: 'hashes.json', data: Buffer.from('{"a":1}'), headers: { 'content-type': 'application/json' } });
    const res = await gh.rest.repos.getReleaseAsset({ ...repo, asset_id: (up.data as { id: number }).id, headers: { accept: 'application/octet-stream' } });
    expect(Buffer.from(res.data as unknown as ArrayBuffer).toString()).toBe('{"a":1}');
    const objects = fake.requests.filter((r) => r.host === 'objects');
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.every((r) => !r.authorization)).toBe(true);
  });

  it('injects faults into the Nth matching request', async () => {
    fake.setFaults([{ operationId: 'repos/list-releases', nth: 2, action: { kind: 'status', status: 502 } }]);
    const noRetry = new Octokit({ auth: TOKEN, baseUrl: fake.apiUrl, log: quiet });
    expect(await status(noRetry.rest.repos.listReleases(repo))).toBe(200);
    expect(await status(noRetry.rest.repos.listReleases(repo))).toBe(502);
    expect(await status(noRetry.rest.repos.listReleases(repo))).toBe(200);
    fake.setFaults([{ operationId: 'repos/list-releases', action: { kind: 'drop' } }]);
    expect(await status(noRetry.rest.repos.listReleases(repo))).toBe(500);
    expect(fake.requests.at(-1)?.status).toBe('dropped');
    fake.setFaults([]);
  });
});

async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}
