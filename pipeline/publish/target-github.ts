/** The GitHub release target: `publishGithubRelease` (pipeline/publish/github/), injected by the CLI. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { PublishTarget, TargetImpl } from './types.js';

type GithubTarget = Extract<PublishTarget, { kind: 'github' }>;

/** Hands the release folder (assets, SHA256SUMS and its signature) to the injected GitHub publisher. */
export const githubTarget: TargetImpl<GithubTarget> = {
  async publish(target, ctx) {
    await ctx.ready(); // nothing of this target is content-addressed: no work before the release is checked
    const publisher = ctx.deps.github;
    if (!publisher) {
      throw new UserInputError('PUBLISH_GITHUB_UNAVAILABLE', 'publishing to GitHub releases is not wired into this build of csp', {
        details: 'cli/publish.ts passes publishGithubRelease from pipeline/publish/github/ as deps.github once that target exists.',
      });
    }
    const files = (await fs.readdir(ctx.release.releaseDir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(ctx.release.releaseDir, e.name)).sort();
    const digests = Object.fromEntries(ctx.release.files.map((f) => [f.name, f.digest]));
    const result = await publisher({ repository: target.repository, releaseName: ctx.release.releaseName, releaseDir: ctx.release.releaseDir, files, digests, dryRun: ctx.dryRun, ...(ctx.equivalentAsset ? { equivalent: ctx.equivalentAsset } : {}) });
    return { target: 'github', ref: result.url, digest: ctx.release.descriptor.digest, status: result.status, attestations: [] };
  },
};
