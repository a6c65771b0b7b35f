/**
 * In-memory repositories, releases and assets of the fake GitHub, and their JSON as api.github.com
 * renders it (release, release-asset and simple-user shapes from the OpenAPI spec).
 */
import { createHash } from 'node:crypto';
import { FakeGit } from './git-state.js';

/** One stored asset. `state: 'open'` is a partial upload left behind by a failed request. */
export interface FakeAsset {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  state: 'uploaded' | 'open';
  bytes: Buffer;
  /** `sha256:<hex>`, or null when the fake runs with `assetDigests: false` (older assets have none). */
  digest: string | null;
  createdAt: string;
  downloadCount: number;
}

/** One stored release. */
export interface FakeRelease {
  id: number;
  owner: string;
  repo: string;
  tagName: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  targetCommitish: string;
  createdAt: string;
  publishedAt: string | null;
  assets: FakeAsset[];
}

/** Where the fake's three hosts live, for URLs in responses. */
export interface FakeUrls {
  api: string;
  uploads: string;
}

/** The fake's whole state; tests read it through `FakeGithub.releases()`. */
export class FakeStore {
  readonly releases: FakeRelease[] = [];
  /** Tags that belonged to an immutable release and can never be reused (`owner/repo@tag`). */
  readonly burntTags = new Set<string>();
  /** Git objects, refs and pull requests (git data and pulls endpoints). */
  readonly git = new FakeGit();
  private nextId = 1000;
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(
    readonly repos: Set<string>,
    readonly options: { assetDigests: boolean; immutableReleases: boolean },
  ) {}

  id(): number {
    return this.nextId++;
  }

  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  hasRepo(owner: string, repo: string): boolean {
    return this.repos.has(`${owner}/${repo}`.toLowerCase());
  }

  releasesOf(owner: string, repo: string): FakeRelease[] {
    return this.releases.filter((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.repo.toLowerCase() === repo.toLowerCase());
  }

  findRelease(owner: string, repo: string, id: number): FakeRelease | undefined {
    return this.releasesOf(owner, repo).find((r) => r.id === id);
  }

  findAsset(owner: string, repo: string, id: number): { release: FakeRelease; asset: FakeAsset } | undefined {
    for (const release of this.releasesOf(owner, repo)) {
      const asset = release.assets.find((a) => a.id === id);
      if (asset) return { release, asset };
    }
    return undefined;
  }

  /** Puts a release straight into the store (as another tool or an earlier run left it); published unless `draft`. */
  seedRelease(fields: Partial<FakeRelease> & { tagName: string }): FakeRelease {
    const draft = fields.draft ?? false;
    const release: FakeRelease = {
      id: this.id(),
      owner: 'acme',
      repo: 'stacks',
      name: fields.tagName,
      body: null,
      draft,
      prerelease: false,
      immutable: false,
      targetCommitish: 'main',
      createdAt: this.now(),
      publishedAt: draft ? null : this.now(),
      assets: [],
      ...fields,
    };
    this.releases.push(release);
    return release;
  }

  /** Adds an asset the way an upload does (state `uploaded`, digest computed). */
  addAsset(release: FakeRelease, name: string, bytes: Buffer, contentType: string, label: string | null, state: FakeAsset['state'] = 'uploaded'): FakeAsset {
    const digest = this.options.assetDigests && state === 'uploaded' ? `sha256:${createHash('sha256').update(bytes).digest('hex')}` : null;
    const asset: FakeAsset = { id: this.id(), name, label, contentType, state, bytes, digest, createdAt: this.now(), downloadCount: 0 };
    release.assets.push(asset);
    return asset;
  }
}

/** GitHub replaces characters outside `[A-Za-z0-9._-]` with `.` and drops leading and trailing periods. */
export function githubAssetName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '.').replace(/^\.+|\.+$/g, '');
}

/** A `simple-user` object. */
export function userJson(api: string, login: string): Record<string, unknown> {
  const url = `${api}/users/${login}`;
  return {
    login,
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url,
    html_url: `https://github.com/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'Bot',
    site_admin: false,
  };
}

/** A `release-asset` object. */
export function assetJson(urls: FakeUrls, release: FakeRelease, asset: FakeAsset): Record<string, unknown> {
  return {
    url: `${urls.api}/repos/${release.owner}/${release.repo}/releases/assets/${asset.id}`,
    browser_download_url: `${urls.uploads}/${release.owner}/${release.repo}/releases/download/${encodeURIComponent(release.tagName)}/${encodeURIComponent(asset.name)}`,
    id: asset.id,
    node_id: `RA_${asset.id}`,
    name: asset.name,
    label: asset.label,
    state: asset.state,
    content_type: asset.contentType,
    size: asset.bytes.length,
    digest: asset.digest,
    download_count: asset.downloadCount,
    created_at: asset.createdAt,
    updated_at: asset.createdAt,
    uploader: userJson(urls.api, 'github-actions[bot]'),
  };
}

/** A `release` object; drafts get an `untagged-…` html_url like on github.com. */
export function releaseJson(urls: FakeUrls, release: FakeRelease): Record<string, unknown> {
  const base = `${urls.api}/repos/${release.owner}/${release.repo}`;
  const web = `https://github.com/${release.owner}/${release.repo}`;
  const tagPart = release.draft ? `untagged-${createHash('sha1').update(String(release.id)).digest('hex').slice(0, 20)}` : encodeURIComponent(release.tagName);
  return {
    url: `${base}/releases/${release.id}`,
    html_url: `${web}/releases/tag/${tagPart}`,
    assets_url: `${base}/releases/${release.id}/assets`,
    upload_url: `${urls.uploads}/repos/${release.owner}/${release.repo}/releases/${release.id}/assets{?name,label}`,
    tarball_url: release.draft ? null : `${base}/tarball/${encodeURIComponent(release.tagName)}`,
    zipball_url: release.draft ? null : `${base}/zipball/${encodeURIComponent(release.tagName)}`,
    id: release.id,
    node_id: `RE_${release.id}`,
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: release.immutable,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    updated_at: release.publishedAt ?? release.createdAt,
    author: userJson(urls.api, 'github-actions[bot]'),
    assets: release.assets.map((a) => assetJson(urls, release, a)),
  };
}
