/** GitHub release publishing and lookups: the stage's whole public surface. */
export { publishGithubRelease } from './publish.js';
export { createGithubPublisher, type GithubPublisherInput, type GithubPublisherOptions, type GithubPublisherOutput } from './adapter.js';
export { findGithubRelease, listGithubReleases, readGithubReleaseAsset } from './lookup.js';
export type { GithubConnection } from './client.js';
export type {
  GithubAssetAction,
  GithubAssetInfo,
  GithubAssetResult,
  GithubReleaseFile,
  GithubReleaseInfo,
  PublishGithubReleaseInput,
  PublishGithubReleaseResult,
} from './types.js';
/** The Octokit client (retry, throttling, redacted logs) and its error mapping, shared with the watch stage's pull requests. */
export { createGithubClient, type GithubClient } from './client.js';
export { githubCall } from './calls.js';
