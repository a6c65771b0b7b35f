/**
 * Release and asset operations on GitHub (list, create, upload, delete, download, publish), each wrapped
 * so failures come back as pipeline errors, plus the comparison of a remote asset with a local file.
 */
import { UpstreamError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { githubCall, isAlreadyExists, isOctokitError, toPipelineError } from './calls.js';
import type { GithubClient } from './client.js';
import { sha256Hex, type LocalAsset } from './local-files.js';
import type { GithubAssetInfo, GithubReleaseInfo } from './types.js';

interface RawAsset {
  id: number;
  name: string;
  size: number;
  state: string;
  content_type: string;
  digest?: string | null;
  browser_download_url: string;
}

interface RawRelease {
  id: number;
  tag_name: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable?: boolean;
  created_at: string;
  published_at: string | null;
  html_url: string;
  upload_url: string;
  assets: RawAsset[];
}

function toAsset(a: RawAsset): GithubAssetInfo {
  return { id: a.id, name: a.name, size: a.size, state: a.state, contentType: a.content_type, digest: a.digest ?? null, downloadUrl: a.browser_download_url };
}

/** Plain data for a release object from the API. */
export function toRelease(r: RawRelease): GithubReleaseInfo {
  return {
    id: r.id,
    tag: r.tag_name,
    name: r.name,
    draft: r.draft,
    prerelease: r.prerelease,
    immutable: r.immutable ?? false,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    htmlUrl: r.html_url,
    uploadUrl: r.upload_url,
    assets: r.assets.map(toAsset),
  };
}

/**
 * Octokit's paginate follows `Link: next` without end: a page seen twice (a loop) or more than
 * limits().httpPages pages is an upstream failure, never a silently partial or endless list.
 */
function pageGuard<T>(gh: GithubClient, what: string): (response: { url: string; data: T[] }) => T[] {
  const seen = new Set<string>();
  return (response) => {
    const fail = (code: string, message: string): never => {
      throw new UpstreamError(code, `listing ${what} of ${gh.owner}/${gh.repo}: ${message}`, { url: response.url, details: 'csp stopped instead of deciding on a partial list (docs/limits.md).' });
    };
    if (seen.has(response.url)) fail('GITHUB_PAGINATION_LOOP', `the next page points back to ${response.url}`);
    if (seen.size >= limits().httpPages) fail('GITHUB_TOO_MANY_PAGES', `more than ${limits().httpPages} pages (CSP_LIMIT_HTTP_PAGES)`);
    seen.add(response.url);
    return response.data;
  };
}

/** Every release, drafts included when the token has push access (newest first, as GitHub lists them). */
export async function listReleases(gh: GithubClient): Promise<GithubReleaseInfo[]> {
  return githubCall(gh, `list releases of ${gh.owner}/${gh.repo}`, async () => {
    const all = await gh.octokit.paginate(gh.octokit.rest.repos.listReleases, { owner: gh.owner, repo: gh.repo, per_page: 100 }, pageGuard(gh, 'releases'));
    return (all as RawRelease[]).map(toRelease);
  });
}

/** The published release for a tag (GitHub hides drafts from this call), or null. */
export async function getPublishedByTag(gh: GithubClient, tag: string): Promise<GithubReleaseInfo | null> {
  try {
    const res = await gh.octokit.rest.repos.getReleaseByTag({ owner: gh.owner, repo: gh.repo, tag });
    return toRelease(res.data as RawRelease);
  } catch (error) {
    if (isOctokitError(error) && error.status === 404) return null;
    throw toPipelineError(gh, `get release ${tag}`, error);
  }
}

/** Creates the draft release named exactly as its tag. */
export async function createDraft(gh: GithubClient, tag: string, extra: { targetCommitish?: string; notes?: string; prerelease?: boolean }): Promise<GithubReleaseInfo> {
  return githubCall(gh, `create draft release ${tag}`, async () => {
    const res = await gh.octokit.rest.repos.createRelease({
      owner: gh.owner,
      repo: gh.repo,
      tag_name: tag,
      name: tag,
      draft: true,
      prerelease: extra.prerelease ?? false,
      ...(extra.targetCommitish ? { target_commitish: extra.targetCommitish } : {}),
      ...(extra.notes ? { body: extra.notes } : {}),
    });
    return toRelease(res.data as RawRelease);
  });
}

/** Edits a release: rename, or publish with `draft: false`. */
export async function updateRelease(gh: GithubClient, id: number, what: string, patch: { name?: string; draft?: false }): Promise<GithubReleaseInfo> {
  return githubCall(gh, what, async () => {
    const res = await gh.octokit.rest.repos.updateRelease({ owner: gh.owner, repo: gh.repo, release_id: id, ...patch });
    return toRelease(res.data as RawRelease);
  });
}

/** All assets of a release (the embedded list in a release object is not relied on). */
export async function listAssets(gh: GithubClient, releaseId: number): Promise<GithubAssetInfo[]> {
  return githubCall(gh, `list assets of release ${releaseId}`, async () => {
    const all = await gh.octokit.paginate(gh.octokit.rest.repos.listReleaseAssets, { owner: gh.owner, repo: gh.repo, release_id: releaseId, per_page: 100 }, pageGuard(gh, `assets of release ${releaseId}`));
    return (all as RawAsset[]).map(toAsset);
  });
}

/** Deletes a release (only ever a draft of our own). */
export async function deleteRelease(gh: GithubClient, id: number): Promise<void> {
  await githubCall(gh, `delete draft release ${id}`, () => gh.octokit.rest.repos.deleteRelease({ owner: gh.owner, repo: gh.repo, release_id: id }));
}

export async function deleteAsset(gh: GithubClient, asset: GithubAssetInfo): Promise<void> {
  await githubCall(gh, `delete asset ${asset.name}`, () => gh.octokit.rest.repos.deleteReleaseAsset({ owner: gh.owner, repo: gh.repo, asset_id: asset.id }));
}

/** Asset bytes through the API (GitHub answers 302 to its storage host; fetch follows it without the token). */
export async function downloadAsset(gh: GithubClient, assetId: number, name: string): Promise<Uint8Array> {
  return githubCall(gh, `download asset ${name}`, async () => {
    const res = await gh.octokit.rest.repos.getReleaseAsset({ owner: gh.owner, repo: gh.repo, asset_id: assetId, headers: { accept: 'application/octet-stream' } });
    const data = res.data as unknown;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (typeof data === 'string') return new TextEncoder().encode(data);
    throw new UpstreamError('GITHUB_DOWNLOAD_SHAPE', `download asset ${name}: expected bytes, got ${typeof data}`, { url: `asset ${assetId}` });
  });
}

/** Uploads one file to the release's `upload_url` (the uploads host), with an explicit Content-Type. */
export async function uploadAsset(gh: GithubClient, release: GithubReleaseInfo, file: LocalAsset): Promise<void> {
  await gh.octokit.request({
    method: 'POST',
    url: release.uploadUrl,
    name: file.name,
    data: file.bytes,
    headers: { 'content-type': file.contentType },
  });
}

/**
 * Uploads a file; a 422 `already_exists` (an earlier attempt landed but its answer was lost, or a failed
 * upload left a partial asset) is resolved by re-reading: a matching asset counts, anything else is replaced.
 */
export async function uploadOrAdopt(gh: GithubClient, release: GithubReleaseInfo, file: LocalAsset): Promise<void> {
  try {
    await uploadAsset(gh, release, file);
    return;
  } catch (error) {
    if (!isAlreadyExists(error)) throw toPipelineError(gh, `upload ${file.name}`, error);
  }
  const existing = (await listAssets(gh, release.id)).find((a) => a.name === file.name);
  if (existing && (await assetMatches(gh, existing, file))) {
    gh.log.debug(`${file.name}: already uploaded by a retried request`);
    return;
  }
  if (existing) await deleteAsset(gh, existing);
  await githubCall(gh, `upload ${file.name}`, () => uploadAsset(gh, release, file));
}

/**
 * True when the remote asset is complete and holds exactly the file's bytes: state `uploaded`, same size,
 * same sha256 (from GitHub's `digest` when present, else by downloading it).
 */
export async function assetMatches(gh: GithubClient, asset: GithubAssetInfo, file: LocalAsset): Promise<boolean> {
  return (await assetDifference(gh, asset, file)) === undefined;
}

/** Why a remote asset differs from the local file, or undefined when it matches. */
export async function assetDifference(gh: GithubClient, asset: GithubAssetInfo, file: LocalAsset): Promise<string | undefined> {
  if (asset.state !== 'uploaded') return `${file.name}: state ${asset.state} (incomplete upload)`;
  if (asset.size !== file.size) return `${file.name}: ${asset.size} bytes on GitHub, ${file.size} bytes locally`;
  const remote = asset.digest?.startsWith('sha256:') ? asset.digest.slice(7) : sha256Hex(await downloadAsset(gh, asset.id, asset.name));
  return remote === file.sha256 ? undefined : `${file.name}: sha256 ${remote.slice(0, 12)}… on GitHub, ${file.sha256.slice(0, 12)}… locally`;
}

/** Every difference between a release's assets and the files (missing, extra, or different content). */
export async function releaseDifferences(gh: GithubClient, assets: GithubAssetInfo[], files: LocalAsset[]): Promise<string[]> {
  const out: string[] = [];
  const byName = new Map(assets.map((a) => [a.name, a]));
  for (const file of files) {
    const asset = byName.get(file.name);
    if (!asset) out.push(`${file.name}: missing on GitHub`);
    else {
      const diff = await assetDifference(gh, asset, file);
      if (diff) out.push(diff);
    }
  }
  const names = new Set(files.map((f) => f.name));
  for (const a of assets) if (!names.has(a.name)) out.push(`${a.name}: on GitHub but not among the files`);
  return out;
}
