/** Input and result shapes of the GitHub release stage (plain JSON, for reports and releases/ records). */
import type { GithubConnection } from './client.js';

/** One file to attach; `name` is the asset name CSO looks for (release-format.md §5). */
export interface GithubReleaseFile {
  name: string;
  path: string;
  /** The SHA-256 (hex) the file must have (the bundle manifest's digest of it); other bytes are refused. */
  sha256?: string;
}

/** What to publish and where. The release name is always the tag (CSO lists releases by name). */
export interface PublishGithubReleaseInput extends GithubConnection {
  tag: string;
  files: GithubReleaseFile[];
  /** Required unless `dryRun`. */
  token: string;
  /** Only look and report what would be done. */
  dryRun?: boolean;
  /** Branch or SHA the tag is created from when it does not exist yet (GitHub's default: the default branch). */
  targetCommitish?: string;
  /** Release notes. */
  notes?: string;
  prerelease?: boolean;
  /** Accepts remote bytes of an asset as equivalent to the local file (signatures: same data, same signer). */
  equivalent?: (name: string, remote: Uint8Array) => Promise<boolean>;
}

/** One asset's fate; `would-*` only in dry runs. */
export type GithubAssetAction = 'uploaded' | 'replaced' | 'kept' | 'unchanged' | 'would-upload' | 'would-replace' | 'would-keep';

export interface GithubAssetResult {
  name: string;
  size: number;
  sha256: string;
  action: GithubAssetAction;
}

/** What `publishGithubRelease` did. */
export interface PublishGithubReleaseResult {
  owner: string;
  repo: string;
  tag: string;
  /** `unchanged`: an identical release was already published (no-op). */
  status: 'published' | 'unchanged' | 'would-publish' | 'would-leave-unchanged';
  /** How the release came to be: a new draft, a draft left by an earlier run, or the existing published one. */
  release: 'created' | 'resumed-draft' | 'existing' | 'would-create' | 'would-resume-draft';
  releaseId?: number;
  htmlUrl?: string;
  immutable?: boolean;
  assets: GithubAssetResult[];
  /** Assets on the draft that are not in `files`, deleted so the release holds exactly the given files. */
  removed: string[];
  dryRun: boolean;
}

/** An asset as GitHub reports it. */
export interface GithubAssetInfo {
  id: number;
  name: string;
  size: number;
  state: string;
  contentType: string;
  /** `sha256:<hex>`, null for assets GitHub did not hash. */
  digest: string | null;
  downloadUrl: string;
}

/** A release as GitHub reports it (what lookups return). */
export interface GithubReleaseInfo {
  id: number;
  tag: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  createdAt: string;
  publishedAt: string | null;
  htmlUrl: string;
  uploadUrl: string;
  assets: GithubAssetInfo[];
}
