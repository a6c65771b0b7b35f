/**
 * OCI registry tags (`GET /v2/<name>/tags/list?n=`), following `Link: rel="next"` pages and the anonymous
 * bearer-token dance (401 + `WWW-Authenticate: Bearer realm,service,scope`). Used for kindest/node images
 * and OCI-hosted charts (`+` in a chart version is stored as `_` in its tag).
 */
import { UpstreamError } from '../../core/errors.js';
import { redactUrl, type HttpResponse } from '../../core/http.js';
import { named } from '../fetcher.js';
import type { Candidate, SourceContext, WatchSource } from '../types.js';
import { garbage } from './github-api.js';

/** Most pages of tags read for one repository. */
export const MAX_TAG_PAGES = 50;

export const ociSource: WatchSource<'oci'> = {
  kind: 'oci',
  describe: (q) => `OCI tags of ${q.repository}`,
  async list(query, ctx) {
    const { base, name } = registryOf(query.repository);
    const what = `OCI tags of ${query.repository}`;
    let url: string | undefined = `${base}/v2/${name}/tags/list?n=1000`;
    let token: string | undefined;
    const tags: string[] = [];
    for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
      const get = (u: string) => ctx.fetcher.raw(u, auth(token)).catch((error: unknown) => {
        throw named(what, error);
      });
      let res = await get(url);
      if (res.status === 401 && !token) {
        token = await bearerToken(res, ctx, what);
        res = await get(url);
      }
      if (res.status !== 200) throw failed(what, url, res.status);
      let body: { tags?: unknown };
      try {
        body = (await res.json()) as { tags?: unknown };
      } catch {
        throw garbage(what, url, 'not JSON');
      }
      if (typeof body !== 'object' || body === null || (body.tags !== null && !Array.isArray(body.tags))) throw garbage(what, url, 'no tags list');
      for (const t of (body.tags ?? []) as unknown[]) if (typeof t === 'string') tags.push(t);
      const next = /<([^>]+)>\s*;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      url = next ? new URL(next, url).toString() : undefined;
    }
    return tags.map((tag): Candidate => ({ version: tag.replace(/^v/, '').replace(/_/g, '+'), tag }));
  },
};

/** `docker.io/kindest/node` → Docker Hub's registry host; `oci://host/path` and `host/path` as given. */
export function registryOf(reference: string): { base: string; name: string } {
  const ref = reference.replace(/^oci:\/\//, '');
  const slash = ref.indexOf('/');
  let host = slash > 0 ? ref.slice(0, slash) : 'docker.io';
  let name = slash > 0 ? ref.slice(slash + 1) : ref;
  if (!host.includes('.') && !host.includes(':') && host !== 'localhost') {
    name = ref;
    host = 'docker.io';
  }
  if (host === 'docker.io') {
    host = 'registry-1.docker.io';
    if (!name.includes('/')) name = `library/${name}`;
  }
  return { base: `https://${host}`, name };
}

function auth(token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

async function bearerToken(res: HttpResponse, ctx: SourceContext, what: string): Promise<string> {
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (!/^bearer\s/i.test(challenge)) throw failed(what, res.url, 401);
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  if (!params.realm) throw garbage(what, res.url, 'a Bearer challenge without realm');
  const realm = new URL(params.realm);
  if (params.service) realm.searchParams.set('service', params.service);
  if (params.scope) realm.searchParams.set('scope', params.scope);
  const answer = await ctx.fetcher.raw(realm.toString());
  if (answer.status !== 200) throw failed(`${what} (token)`, realm.toString(), answer.status);
  const body = (await answer.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw garbage(what, realm.toString(), 'no token in the token answer');
  return token;
}

function failed(what: string, url: string, status: number): UpstreamError {
  return new UpstreamError('UPSTREAM_SOURCE_FAILED', `${what}: ${status} from ${redactUrl(url)}`, {
    url: redactUrl(url),
    status,
    retriable: status >= 500 || status === 429,
    details: 'The registry did not list the tags; nothing was changed. Retry later or use --mirror.',
  });
}
