/**
 * Referrers (signatures, attestations) of a manifest: the OCI 1.1 referrers API where the registry has it,
 * else the tag-schema fallback index `sha256-<hex>` kept by read-modify-write, serialised per subject.
 * Fallback referrers and their index live in a companion repository (default `<repo>-signatures`, cosign's
 * COSIGN_REPOSITORY idea), never in the release repository: CSO lists every tag of that repository and raises
 * FailedToParseClusterStackRelease on each it cannot parse, and csctl's stable mode aborts on one.
 */
import { UpstreamError } from '../../core/errors.js';
import { registryError, registryErrorCode, scopesFor, type RepositoryTarget } from './client.js';
import { assertDigest, sha256Digest } from './digest.js';
import { deleteManifest, getManifest, manifestMediaType, nextLink, pageGuard, pushManifest } from './manifests.js';
import { pushBlob } from './blob-upload.js';
import { referencedDescriptors } from './publish-artifact.js';
import { referrersTag } from './reference.js';
import { MEDIA_TYPES, type BlobInput, type Descriptor, type ImageIndex } from './types.js';
import { limits } from '../../core/limits.js';

/** Whether the registry serves `GET /v2/<name>/referrers/<digest>`; learned once per repository. */
export type ReferrersSupport = 'unknown' | 'supported' | 'unsupported';

/** How a referrer was recorded. */
export interface ReferrerPushResult {
  digest: string;
  descriptor: Descriptor;
  via: 'api' | 'fallback-tag';
  /** Fallback only: the index was already listing this referrer. */
  alreadyListed?: boolean;
}

const ZERO_DIGEST = `sha256:${'0'.repeat(64)}`;

/** The repository holding fallback referrers of `repo`: `RegistryOptions.signatureRepository`, else `<repo>-signatures`. */
export function signatureRepositoryOf(repo: RepositoryTarget): RepositoryTarget {
  return { client: repo.client, name: repo.client.options.signatureRepository ?? `${repo.name}-signatures` };
}

/** Where referrers of `repo` are written: the repository itself with the referrers API, else its companion. */
export async function referrerHome(repo: RepositoryTarget): Promise<RepositoryTarget> {
  return (await referrersSupport(repo)) === 'supported' ? repo : signatureRepositoryOf(repo);
}

/**
 * Pushes a referrer manifest (its blobs first; it must carry `subject`) and makes it discoverable: into the
 * repository itself when the registry serves the referrers API, else into the companion repository with the
 * fallback index there.
 */
export async function pushReferrer(repo: RepositoryTarget, subjectDigest: string, manifest: Uint8Array, blobs: BlobInput[] = []): Promise<ReferrerPushResult> {
  assertDigest(subjectDigest);
  const parsed = JSON.parse(new TextDecoder().decode(manifest)) as { subject?: Descriptor; artifactType?: string; config?: Descriptor; annotations?: Record<string, string> };
  if (parsed.subject?.digest !== subjectDigest) {
    throw new UpstreamError('OCI_SUBJECT_MISMATCH', `referrer manifest's subject is ${parsed.subject?.digest ?? 'missing'}, expected ${subjectDigest}`, {
      url: repo.client.baseUrl,
      details: 'Build the referrer with subject = the descriptor of the manifest it describes.',
    });
  }
  // OCI-Subject alone is not trusted (Docker Hub once sent it without serving the API): the ping decides.
  const home = await referrerHome(repo);
  const given = new Map(blobs.map((b) => [b.descriptor.digest, b]));
  for (const d of referencedDescriptors(manifest)) {
    const blob = given.get(d.digest);
    if (blob) await pushBlob(home, blob);
  }
  const pushed = await pushManifest(home, sha256Digest(manifest), manifest);
  const descriptor: Descriptor = {
    mediaType: manifestMediaType(manifest),
    digest: pushed.digest,
    size: manifest.length,
    ...(parsed.artifactType || parsed.config?.mediaType ? { artifactType: parsed.artifactType ?? parsed.config!.mediaType } : {}),
    ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
  };
  if (home === repo) return { digest: pushed.digest, descriptor, via: 'api' };
  const alreadyListed = await serialised(home, subjectDigest, () => addToFallbackIndex(home, subjectDigest, descriptor));
  return { digest: pushed.digest, descriptor, via: 'fallback-tag', alreadyListed };
}

/** Referrers of a subject, optionally only those of one artifact type (API first, fallback tag otherwise). */
export async function listReferrers(repo: RepositoryTarget, subjectDigest: string, artifactType?: string): Promise<Descriptor[]> {
  assertDigest(subjectDigest);
  const state = await referrersSupport(repo);
  if (state !== 'unsupported') {
    const viaApi = await listViaApi(repo, subjectDigest, artifactType);
    if (viaApi) return viaApi;
  }
  // The companion repository, then a fallback tag in the repository itself (written by csp before 0.2).
  const found = new Map<string, Descriptor>();
  for (const where of [signatureRepositoryOf(repo), repo]) {
    for (const d of (await readFallbackIndex(where, subjectDigest)).manifests) if (!found.has(d.digest)) found.set(d.digest, d);
  }
  return [...found.values()].filter((d) => !artifactType || d.artifactType === artifactType);
}

/** Removes a referrer: deletes its manifest and, on fallback registries, its entry in the index. */
export async function deleteReferrer(repo: RepositoryTarget, subjectDigest: string, referrerDigest: string): Promise<void> {
  if ((await referrersSupport(repo)) === 'supported') {
    await deleteManifest(repo, referrerDigest);
    return;
  }
  for (const where of [signatureRepositoryOf(repo), repo]) {
    await serialised(where, subjectDigest, async () => {
      const index = await readFallbackIndex(where, subjectDigest);
      if (!index.manifests.some((d) => d.digest === referrerDigest)) return;
      await deleteManifest(where, referrerDigest);
      await writeFallbackIndex(where, subjectDigest, index, { ...index, manifests: index.manifests.filter((d) => d.digest !== referrerDigest) });
    });
  }
}

/** Learns (once per repository) whether the referrers API exists, the way ORAS pings it. */
export async function referrersSupport(repo: RepositoryTarget): Promise<ReferrersSupport> {
  const key = `referrers-support:${repo.name}`;
  const known = repo.client.state.get(key) as ReferrersSupport | undefined;
  if (known && known !== 'unknown') return known;
  const res = await repo.client.send({ url: `/v2/${repo.name}/referrers/${ZERO_DIGEST}`, headers: { accept: MEDIA_TYPES.index }, scopes: scopesFor(repo, 'pull') });
  let state: ReferrersSupport = 'unknown';
  if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith(MEDIA_TYPES.index)) state = 'supported';
  else if (res.status === 404) state = (await registryErrorCode(res)).code === 'NAME_UNKNOWN' ? 'unknown' : 'unsupported';
  else if (res.status === 400 || res.status === 405) state = 'unsupported';
  else if (res.status !== 200) throw await registryError(repo.client, res, `probing the referrers API of ${repo.name}`);
  repo.client.state.set(key, state);
  return state;
}

async function listViaApi(repo: RepositoryTarget, subjectDigest: string, artifactType?: string): Promise<Descriptor[] | null> {
  const out: Descriptor[] = [];
  let url: string | null = `/v2/${repo.name}/referrers/${subjectDigest}${artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : ''}`;
  const pages = pageGuard(repo, `referrers of ${subjectDigest.slice(0, 19)}`);
  while (url) {
    pages.visit(url);
    const res = await repo.client.send({ url, headers: { accept: MEDIA_TYPES.index }, scopes: scopesFor(repo, 'pull'), maxBytes: limits().httpManifestBytes });
    // Some registries announce OCI-Subject without serving the API: fall back on a 404.
    if (res.status === 404) return null;
    if (res.status !== 200) throw await registryError(repo.client, res, `listing referrers of ${subjectDigest.slice(0, 19)}`);
    const index = (await res.json()) as Partial<ImageIndex>;
    const filtered = (res.headers.get('oci-filters-applied') ?? '').includes('artifactType');
    for (const d of index.manifests ?? []) if (!artifactType || filtered || d.artifactType === artifactType) out.push(d);
    const next = nextLink(res.headers.get('link'));
    url = next ? new URL(next, res.url).toString() : null;
  }
  return out;
}

async function addToFallbackIndex(repo: RepositoryTarget, subjectDigest: string, descriptor: Descriptor): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const index = await readFallbackIndex(repo, subjectDigest);
    if (index.manifests.some((d) => d.digest === descriptor.digest)) return attempt === 0;
    await writeFallbackIndex(repo, subjectDigest, index, { ...index, manifests: [...index.manifests, descriptor] });
    // No If-Match on 2.8.2: re-read to notice a concurrent writer that replaced our update.
    const after = await readFallbackIndex(repo, subjectDigest);
    if (after.manifests.some((d) => d.digest === descriptor.digest)) return false;
  }
  throw new UpstreamError('OCI_REFERRERS_CONFLICT', `could not add ${descriptor.digest.slice(0, 19)} to the referrers index of ${subjectDigest.slice(0, 19)}`, {
    url: repo.client.baseUrl,
    details: 'Another publisher kept rewriting the fallback tag; publish signatures for one subject from one job at a time.',
  });
}

async function readFallbackIndex(repo: RepositoryTarget, subjectDigest: string): Promise<ImageIndex & { digest?: string }> {
  const fetched = await getManifest(repo, referrersTag(subjectDigest));
  if (!fetched) return { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [] };
  const index = JSON.parse(new TextDecoder().decode(fetched.bytes)) as Partial<ImageIndex>;
  if (fetched.mediaType !== MEDIA_TYPES.index || !Array.isArray(index.manifests)) {
    throw new UpstreamError('OCI_REFERRERS_TAG_INVALID', `tag ${referrersTag(subjectDigest)} in ${repo.name} is not an OCI image index`, {
      url: repo.client.baseUrl,
      details: 'Something else uses the referrers fallback tag; remove or rename it before attaching referrers.',
    });
  }
  return { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: index.manifests, digest: fetched.digest };
}

async function writeFallbackIndex(repo: RepositoryTarget, subjectDigest: string, old: { digest?: string }, next: ImageIndex): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: next.manifests }));
  await pushManifest(repo, referrersTag(subjectDigest), bytes, MEDIA_TYPES.index);
  // Like ORAS: drop the superseded index so old fallback versions do not pile up (best effort).
  if (old.digest && old.digest !== sha256Digest(bytes)) {
    await deleteManifest(repo, old.digest).catch((error: unknown) => {
      repo.client.options.log?.debug(`could not delete the superseded referrers index ${old.digest}: ${repo.client.redact(String(error))}`);
    });
  }
}

/** Runs fallback-index updates of one subject one after another within this client. */
async function serialised<T>(repo: RepositoryTarget, subjectDigest: string, task: () => Promise<T>): Promise<T> {
  const key = `referrers-queue:${repo.name}@${subjectDigest}`;
  const previous = (repo.client.state.get(key) as Promise<unknown> | undefined) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(task);
  repo.client.state.set(key, current);
  try {
    return await current;
  } finally {
    if (repo.client.state.get(key) === current) repo.client.state.delete(key);
  }
}
