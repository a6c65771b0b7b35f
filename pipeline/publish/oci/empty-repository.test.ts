/**
 * The first release into an empty repository (issue 10 §14): the tag list's error code decides between "the
 * repository does not exist" (no previous release: start at v1) and "denied" (stop). Answers as ghcr.io and
 * docker-registry 2.8 give them, served by a loopback node:http registry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp } from '../../core/http.js';
import { createLog } from '../../core/log.js';
import { createPreviousFinder } from '../previous.js';
import { createRegistry } from './repository.js';

/** path → [status, body] */
const answers = new Map<string, [number, string]>([
  ['/v2/acme/name-unknown/tags/list', [404, JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] })]],
  ['/v2/acme/no-body/tags/list', [404, '']],
  ['/v2/acme/denied/tags/list', [403, JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] })]],
  ['/v2/acme/unauthorized/tags/list', [401, JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] })]],
  ['/v2/acme/other-404/tags/list', [404, JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'not a repository answer' }] })]],
]);
let server: http.Server;
let host: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const [status, body] = answers.get((req.url ?? '').split('?')[0] ?? '') ?? [500, 'unexpected request'];
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Basic realm="test"' } : {}) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const registry = () => createRegistry(host, { http: createHttp({ retries: 0 }) });
const line = { provider: 'openstack', stack: 'scs', major: 1, minor: 30, channel: 'stable' };
const finder = (repo: string) => createPreviousFinder([{ kind: 'oci', registry: host, repository: repo }], { http: createHttp({ retries: 0 }), log: createLog({ write: () => undefined }) });

describe('tag list of a repository that may not exist', () => {
  it.each(['name-unknown', 'no-body'])('%s: the repository does not exist, so there is no previous release', async (repo) => {
    expect(await registry().repository(`acme/${repo}`).listTags()).toEqual([]);
    expect(await finder(`acme/${repo}`).find(line)).toBeUndefined();
  });

  it.each([
    ['denied', 'OCI_DENIED'],
    ['unauthorized', 'OCI_UNAUTHORIZED'],
    ['other-404', 'OCI_MANIFEST_UNKNOWN'],
  ])('%s: never read as "no previous release" (%s)', async (repo, code) => {
    await expect(registry().repository(`acme/${repo}`).listTags()).rejects.toMatchObject({ code });
    await expect(finder(`acme/${repo}`).find(line)).rejects.toMatchObject({ message: expect.stringContaining(`acme/${repo}`) });
  });
});
