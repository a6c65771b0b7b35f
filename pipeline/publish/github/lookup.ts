/**
 * Read-only lookups of earlier releases, e.g. for stable-mode memory (the previous release of a stack
 * line and its hashes.json). Anonymous works for public repositories but sees published releases only.
 */
import { createGithubClient, type GithubConnection } from './client.js';
import { downloadAsset, getPublishedByTag, listReleases } from './remote.js';
import type { GithubReleaseInfo } from './types.js';

/** Finds the release for a tag: published only by default; `includeDrafts` also looks at drafts (needs a token). */
export async function findGithubRelease(input: GithubConnection & { tag: string; includeDrafts?: boolean }): Promise<GithubReleaseInfo | null> {
  const gh = createGithubClient(input);
  if (!input.includeDrafts) return getPublishedByTag(gh, input.tag);
  const all = (await listReleases(gh)).filter((r) => r.tag === input.tag);
  return all.find((r) => !r.draft) ?? all.sort((a, b) => a.id - b.id)[0] ?? null;
}

/**
 * Every release (all pages), newest first, optionally only those whose name starts with `namePrefix`
 * (e.g. `openstack-scs2-1-34-`; CSO reads names, so names are matched, falling back to the tag).
 */
export async function listGithubReleases(input: GithubConnection & { namePrefix?: string; includeDrafts?: boolean }): Promise<GithubReleaseInfo[]> {
  const gh = createGithubClient(input);
  const all = await listReleases(gh);
  return all.filter((r) => (input.includeDrafts || !r.draft) && (!input.namePrefix || (r.name ?? r.tag).startsWith(input.namePrefix)));
}

/** The bytes of one asset (e.g. the previous release's hashes.json). */
export async function readGithubReleaseAsset(input: GithubConnection & { assetId: number; name?: string }): Promise<Uint8Array> {
  return downloadAsset(createGithubClient(input), input.assetId, input.name ?? `#${input.assetId}`);
}
