/**
 * The publish stage: `publishRelease` pushes a built release to the OCI layout, registries (and GitHub through
 * the GitHub publisher the CLI passes in) with Sigstore attestations; `verifyPublished` and `pullRelease` check and fetch it again.
 */
export { publishRelease, type BuildContext, type PublishReleaseInput, type PublishReleaseResult } from './publish-release.js';
export { verifyPublished, type VerifyInput, type VerifyResult } from './verify-published.js';
export { pullRelease, openSource, type PullInput, type PullResult } from './pull-release.js';
export { attachE2eAttestation, type E2eOutcome } from './e2e-gate.js';
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
