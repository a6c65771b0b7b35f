/** Manifests and tags: push exact bytes, fetch with the right Accept list, HEAD, delete by digest, list tags page by page. */
import { UpstreamError, UserInputError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { registryError, registryErrorCode, scopesFor, type RepositoryTarget } from './client.js';
import { assertDigest, isDigest, sha256Digest } from './digest.js';
import { assertTag } from './reference.js';
import { MANIFEST_ACCEPT } from './types.js';

/** A manifest as stored: exact bytes, its media type and digest. */
export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  digest: string;
}

/** What a HEAD tells about a manifest. */
export interface ManifestInfo {
  digest: string;
  size: number;
  mediaType: string;
}

/** Result of a manifest PUT; `subject` is the `OCI-Subject` header of registries with the referrers API. */
export interface ManifestPushResult {
  digest: string;
  subject?: string;
}

/** The `mediaType` field of manifest bytes (required: it becomes the Content-Type). */
export function manifestMediaType(bytes: Uint8Array): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new UserInputError('OCI_MANIFEST_INVALID', 'the manifest is not valid JSON', { details: 'Rebuild the bundle manifest.' });
  }
  const mediaType = (parsed as { mediaType?: unknown } | null)?.mediaType;
  if (typeof mediaType !== 'string' || !mediaType) {
    throw new UserInputError('OCI_MANIFEST_INVALID', 'the manifest has no mediaType', { details: 'Set "mediaType" (e.g. application/vnd.oci.image.manifest.v1+json); registries need it as Content-Type.' });
  }
  return mediaType;
}

/** PUTs the exact bytes under a tag or digest and checks the registry's digest against our own. */
export async function pushManifest(repo: RepositoryTarget, reference: string, bytes: Uint8Array, mediaType = manifestMediaType(bytes)): Promise<ManifestPushResult> {
  const digest = sha256Digest(bytes);
  if (isDigest(reference)) {
    if (reference !== digest) throw new UserInputError('OCI_DIGEST_MISMATCH', `manifest bytes hash to ${digest}, not ${reference}`, { details: 'Push the manifest by its own digest.' });
  } else assertTag(reference);
  const res = await repo.client.send({ url: `/v2/${repo.name}/manifests/${reference}`, method: 'PUT', headers: { 'content-type': mediaType }, body: bytes, scopes: scopesFor(repo, 'push') });
  if (res.status !== 201) throw await registryError(repo.client, res, `pushing manifest ${reference.slice(0, 19)} to ${repo.name}`);
  const stored = res.headers.get('docker-content-digest');
  if (stored && stored !== digest) {
    throw new UpstreamError('OCI_DIGEST_MISMATCH', `registry stored the manifest as ${stored}, expected ${digest}`, {
      url: repo.client.baseUrl,
      details: 'The registry rewrote the manifest (it must store bytes unchanged); use a registry that keeps OCI manifests byte-exact.',
    });
  }
  const subject = res.headers.get('oci-subject') ?? undefined;
  return { digest, ...(subject ? { subject } : {}) };
}

/** HEADs a manifest; null when the tag or digest does not exist. */
export async function headManifest(repo: RepositoryTarget, reference: string): Promise<ManifestInfo | null> {
  const res = await repo.client.send({ url: `/v2/${repo.name}/manifests/${reference}`, method: 'HEAD', headers: { accept: MANIFEST_ACCEPT }, scopes: scopesFor(repo, 'pull') });
  if (res.status === 404) return null;
  if (res.status !== 200) throw await registryError(repo.client, res, `checking manifest ${reference.slice(0, 19)} in ${repo.name}`);
  const digest = res.headers.get('docker-content-digest');
  if (!digest) {
    // Without the header the only way to learn the digest is to fetch the bytes.
    const fetched = await getManifest(repo, reference);
    return fetched && { digest: fetched.digest, size: fetched.bytes.length, mediaType: fetched.mediaType };
  }
  return { digest, size: Number(res.headers.get('content-length') ?? 0), mediaType: res.headers.get('content-type') ?? '' };
}

/** GETs a manifest's exact bytes (digest verified when asked by digest); null on 404. */
export async function getManifest(repo: RepositoryTarget, reference: string): Promise<FetchedManifest | null> {
  const res = await repo.client.send({ url: `/v2/${repo.name}/manifests/${reference}`, headers: { accept: MANIFEST_ACCEPT }, scopes: scopesFor(repo, 'pull'), maxBytes: limits().httpManifestBytes });
  if (res.status === 404) return null;
  if (res.status !== 200) throw await registryError(repo.client, res, `fetching manifest ${reference.slice(0, 19)} from ${repo.name}`);
  const bytes = await res.bytes();
  const digest = sha256Digest(bytes);
  const claimed = isDigest(reference) ? reference : res.headers.get('docker-content-digest');
  if (claimed && claimed !== digest) {
    throw new UpstreamError('OCI_DIGEST_MISMATCH', `manifest ${reference.slice(0, 19)} from ${repo.name} hashes to ${digest}, expected ${claimed}`, {
      url: repo.client.baseUrl,
      details: 'The registry served different bytes than it claims; the manifest was discarded.',
    });
  }
  return { bytes, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim(), digest };
}

/** Deletes a manifest by digest (registries refuse deleting by tag); false when it was already gone. */
export async function deleteManifest(repo: RepositoryTarget, digest: string): Promise<boolean> {
  assertDigest(digest);
  const res = await repo.client.send({ url: `/v2/${repo.name}/manifests/${digest}`, method: 'DELETE', scopes: scopesFor(repo, 'delete') });
  if (res.status === 202 || res.status === 200 || res.status === 204) return true;
  if (res.status === 404) return false;
  throw await registryError(repo.client, res, `deleting manifest ${digest.slice(0, 19)} from ${repo.name}`);
}

/**
 * Every tag of the repository, following `Link: <…>; rel="next"` pages of `pageSize`. Empty only when the
 * registry says the repository does not exist (404 with `NAME_UNKNOWN`, or without an error body, as
 * docker-registry 2.8 and ghcr.io answer for a repository nobody pushed to); `DENIED`/`UNAUTHORIZED` (401/403)
 * and other 404 codes fail, since "no previous release" must never be guessed from an access problem.
 */
export async function listTags(repo: RepositoryTarget, pageSize?: number): Promise<string[]> {
  const tags: string[] = [];
  let url: string | null = `/v2/${repo.name}/tags/list${pageSize ? `?n=${pageSize}` : ''}`;
  const pages = pageGuard(repo, `tags of ${repo.name}`);
  for (let page = 0; url; page++) {
    pages.visit(url);
    const res = await repo.client.send({ url, scopes: scopesFor(repo, 'pull') });
    if (res.status === 404 && page === 0) {
      const { code } = await registryErrorCode(res);
      if (code === undefined || code === 'NAME_UNKNOWN') {
        repo.client.options.log?.debug(`${repo.name} does not exist on ${repo.client.registry} (404 ${code ?? 'without error code'}): no tags`);
        return [];
      }
    }
    if (res.status !== 200) throw await registryError(repo.client, res, `listing tags of ${repo.name}`);
    const body = (await res.json().catch(() => null)) as { tags?: unknown } | null;
    if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))) {
      throw new UpstreamError('OCI_TAGS_INVALID', `tag list of ${repo.name} is not {name, tags: []}`, { url: repo.client.baseUrl, details: 'The registry answered nonsense to /tags/list.' });
    }
    for (const t of (body.tags as unknown[] | null | undefined) ?? []) if (typeof t === 'string') tags.push(t);
    const next = nextLink(res.headers.get('link'));
    url = next ? new URL(next, res.url).toString() : null;
  }
  return tags;
}

/**
 * Pagination safety: a `Link: next` that points back to a page already read, or more than
 * limits().httpPages pages, is an upstream failure (exit 2) — never a silently partial list.
 */
export function pageGuard(repo: RepositoryTarget, what: string): { visit(url: string): void } {
  const seen = new Set<string>();
  return {
    visit(url: string) {
      const absolute = new URL(url, repo.client.baseUrl).toString();
      if (seen.has(absolute)) {
        throw new UpstreamError('OCI_PAGINATION_LOOP', `listing ${what}: the registry's next page points back to ${absolute}`, {
          url: repo.client.baseUrl,
          details: 'The registry paginates in a circle; csp stopped instead of deciding on a partial list. Report it to the registry owner.',
        });
      }
      if (seen.size >= limits().httpPages) {
        throw new UpstreamError('OCI_TOO_MANY_PAGES', `listing ${what}: more than ${limits().httpPages} pages`, {
          url: repo.client.baseUrl,
          details: `csp stopped instead of deciding on a partial list; CSP_LIMIT_HTTP_PAGES raises the limit (docs/limits.md).`,
        });
      }
      seen.add(absolute);
    },
  };
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel\s*=\s*"?next"?/.test(m[2]!)) return m[1]!;
  }
  return null;
}
