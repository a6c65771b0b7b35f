/**
 * The publish stage: `publishRelease` pushes a built release to the OCI layout, registries (and GitHub through
 * the GitHub publisher the CLI passes in) with Sigstore attestations; `verifyPublished` and `pullRelease` check and fetch it again.
 */
export { publishRelease, type BuildContext, type PublishReleaseInput, type PublishReleaseResult } from './publish-release.js';
export type { VerifyInput, VerifyResult } from './verify-published.js';
export type { PullInput, PullResult } from './pull-release.js';
export type { E2eOutcome } from './e2e-gate.js';
export { listReleaseDirs } from './release-source.js';
export { openLayout } from './layout-store.js';
export type { GithubPublisher, PublishDeps, PublishTarget, TargetResult } from './types.js';
export type { Credentials } from './oci/auth.js';
export { openRepository, type Repository } from './oci/repository.js';
export { parseReference } from './oci/reference.js';
export { createPreviousFinder, formatPreviousSource, parsePreviousSource, type PreviousDeps, type PreviousSource } from './previous.js';
// GitHub: Octokit loads only when a client is made (openGithubClient, a publisher's first release).
export { createGithubPublisher } from './github/adapter.js';
export { githubCall, openGithubClient } from './github/calls.js';
export type { GithubClient } from './github/client.js';
export { listReleases } from './github/remote.js';
export { createRegistry } from './oci/repository.js';

// Verifying, pulling and the e2e gate load when they are called: csp publish does not pay for them (issue 16).
type Verify = typeof import('./verify-published.js');
type Pull = typeof import('./pull-release.js');
type Gate = typeof import('./e2e-gate.js');

/** Checks a published release (see verify-published.ts). */
export async function verifyPublished(...args: Parameters<Verify['verifyPublished']>): ReturnType<Verify['verifyPublished']> {
  return (await import('./verify-published.js')).verifyPublished(...args);
}

/** Downloads and verifies a release (see pull-release.ts). */
export async function pullRelease(...args: Parameters<Pull['pullRelease']>): ReturnType<Pull['pullRelease']> {
  return (await import('./pull-release.js')).pullRelease(...args);
}

/** Opens a registry or layout reference to read a release from (see pull-release.ts). */
export async function openSource(...args: Parameters<Pull['openSource']>): ReturnType<Pull['openSource']> {
  return (await import('./pull-release.js')).openSource(...args);
}

/** Signs and attaches an e2e outcome to the bundle in the layout (see e2e-gate.ts). */
export async function attachE2eAttestation(...args: Parameters<Gate['attachE2eAttestation']>): ReturnType<Gate['attachE2eAttestation']> {
  return (await import('./e2e-gate.js')).attachE2eAttestation(...args);
}
