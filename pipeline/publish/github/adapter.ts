/**
 * The shape `csp publish` plugs in as its GitHub target (pipeline/publish/types.ts `GithubPublisher`,
 * matched structurally so this stage imports nothing from the publish orchestration).
 */
import path from 'node:path';
import { UserInputError } from '../../core/errors.js';
import type { Log } from '../../core/log.js';
import type { PublishGithubReleaseResult } from './types.js';

/** Built once in cli/: the token and API URL come from the environment (GITHUB_TOKEN, GITHUB_API_URL). */
export interface GithubPublisherOptions {
  token: string | undefined;
  baseUrl?: string;
  log: Log;
  targetCommitish?: string;
  retryBaseMs?: number;
  minWriteIntervalMs?: number;
}

/** What the publish target passes: the release folder's files as paths; asset names are their base names. */
export interface GithubPublisherInput {
  repository: string;
  releaseName: string;
  files: string[];
  /** `sha256:<hex>` of the bundle's files by name (the manifest's layers): an asset with other bytes is refused. */
  digests?: Record<string, string>;
  dryRun: boolean;
  /** Remote asset bytes the caller accepts as equivalent to the local file (see github/adopt.ts). */
  equivalent?: (name: string, remote: Uint8Array) => Promise<boolean>;
}

export interface GithubPublisherOutput {
  url: string;
  status: 'pushed' | 'unchanged' | 'would-push';
  result: PublishGithubReleaseResult;
}

/** Returns the function `csp publish --to github OWNER/REPO` calls per release. */
export function createGithubPublisher(options: GithubPublisherOptions): (input: GithubPublisherInput) => Promise<GithubPublisherOutput> {
  options.log.addSecret(options.token);
  return async (input) => {
    const [owner = '', repo = '', ...extra] = input.repository.split('/');
    if (!owner || !repo || extra.length > 0) {
      throw new UserInputError('GITHUB_REPOSITORY', `${input.repository} is not OWNER/REPO`, { details: 'Example: --to github SovereignCloudStack/cluster-stacks' });
    }
    // Octokit loads only when something goes to GitHub.
    const { publishGithubRelease } = await import('./publish.js');
    const result = await publishGithubRelease({
      owner,
      repo,
      tag: input.releaseName,
      files: input.files.map((f) => {
        const digest = input.digests?.[path.basename(f)];
        return { name: path.basename(f), path: f, ...(digest ? { sha256: digest.replace(/^sha256:/, '') } : {}) };
      }),
      token: options.token ?? '',
      log: options.log,
      dryRun: input.dryRun,
      ...(input.equivalent ? { equivalent: input.equivalent } : {}),
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.targetCommitish ? { targetCommitish: options.targetCommitish } : {}),
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
      ...(options.minWriteIntervalMs !== undefined ? { minWriteIntervalMs: options.minWriteIntervalMs } : {}),
    });
    const status = result.status === 'published' ? 'pushed' : result.status === 'would-publish' ? 'would-push' : 'unchanged';
    const url = result.htmlUrl ?? `https://github.com/${owner}/${repo}/releases/tag/${encodeURIComponent(input.releaseName)}`;
    return { url, status, result };
  };
}
