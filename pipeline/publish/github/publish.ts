/**
 * Publishing one cluster-stack release on GitHub: find or create a draft named as the tag, make its assets
 * exactly the given files, re-read and compare sizes and sha256, then publish. A rerun resumes the draft;
 * a published release is never changed (identical: no-op; different: refused).
 */
import { UpstreamError, UserInputError } from '../../core/errors.js';
import { adoptEquivalentAssets } from './adopt.js';
import { createGithubClient, type GithubClient } from './client.js';
import { readLocalAssets, type LocalAsset } from './local-files.js';
import {
  assetMatches,
  createDraft,
  deleteAsset,
  deleteRelease,
  getPublishedByTag,
  listAssets,
  listReleases,
  releaseDifferences,
  updateRelease,
  uploadOrAdopt,
} from './remote.js';
import type { GithubAssetResult, GithubReleaseInfo, PublishGithubReleaseInput, PublishGithubReleaseResult } from './types.js';

const SLUG = /^[A-Za-z0-9_.-]+$/;

/** Publishes `files` as the GitHub release `tag` of `owner/repo` and returns what was done. */
export async function publishGithubRelease(input: PublishGithubReleaseInput): Promise<PublishGithubReleaseResult> {
  input.log.addSecret(input.token);
  checkInput(input);
  let files = await readLocalAssets(input.files);
  const gh = createGithubClient(input);
  const base = { owner: input.owner, repo: input.repo, tag: input.tag, dryRun: input.dryRun ?? false };

  const releases = await listReleases(gh);
  const clash = releases.find((r) => r.name === input.tag && r.tag !== input.tag);
  if (clash) {
    throw new UserInputError('GITHUB_RELEASE_NAME_TAKEN', `release ${clash.id} on tag ${clash.tag} is already named ${input.tag}`, {
      details: 'CSO finds releases by name; rename or delete that release so the name is unique.',
    });
  }
  const sameTag = releases.filter((r) => r.tag === input.tag);
  const published = sameTag.find((r) => !r.draft);
  if (published) {
    if (!base.dryRun) files = await adoptEquivalentAssets(gh, await listAssets(gh, published.id), files, input.equivalent);
    return compareWithPublished(gh, published, files, base);
  }

  const drafts = sameTag.filter((r) => r.draft).sort((a, b) => a.id - b.id);
  if (drafts.length > 1) input.log.warn(`${drafts.length} draft releases for ${input.tag}; resuming ${drafts[0]!.id}, leaving ${drafts.slice(1).map((d) => d.id).join(', ')} alone`);
  let draft = drafts[0];
  if (draft && !base.dryRun) files = await adoptEquivalentAssets(gh, await listAssets(gh, draft.id), files, input.equivalent);

  if (base.dryRun) return planDryRun(gh, draft, files, base);

  let origin: PublishGithubReleaseResult['release'] = 'resumed-draft';
  if (!draft) {
    try {
      draft = await createDraft(gh, input.tag, input);
    } catch (error) {
      return lostRace(gh, input.tag, files, base, error, undefined);
    }
    origin = 'created';
    input.log.info(`created draft release ${input.tag} (${draft.id})`);
  } else {
    input.log.info(`resuming draft release ${input.tag} (${draft.id})`);
    if (draft.name !== input.tag) draft = await updateRelease(gh, draft.id, `rename draft ${draft.id}`, { name: input.tag });
  }

  const { assets, removed } = await reconcileAssets(gh, draft, files);
  const problems = await releaseDifferences(gh, await listAssets(gh, draft.id), files);
  if (problems.length > 0) {
    throw new UpstreamError('GITHUB_ASSETS_UNVERIFIED', `draft ${input.tag} does not hold the expected assets after upload: ${problems.join('; ')}`, {
      url: draft.htmlUrl,
      retriable: true,
      details: 'The release stays an unpublished draft. Run the same command again to resume.',
    });
  }

  let final: GithubReleaseInfo;
  try {
    final = await updateRelease(gh, draft.id, `publish release ${input.tag}`, { draft: false, name: input.tag });
  } catch (error) {
    return lostRace(gh, input.tag, files, base, error, draft);
  }
  input.log.info(`published ${input.tag}: ${final.htmlUrl}`);
  await confirmVisible(gh, input.tag, files);
  return { ...base, status: 'published', release: origin, releaseId: final.id, htmlUrl: final.htmlUrl, immutable: final.immutable, assets, removed };
}

/**
 * GitHub answered 422 to creating or publishing: another run published the tag first (then compare with
 * it, and drop our now useless draft if identical), or the tag is burnt by a deleted immutable release.
 */
async function lostRace(
  gh: GithubClient,
  tag: string,
  files: LocalAsset[],
  base: Pick<PublishGithubReleaseResult, 'owner' | 'repo' | 'tag' | 'dryRun'>,
  error: unknown,
  ourDraft: GithubReleaseInfo | undefined,
): Promise<PublishGithubReleaseResult> {
  if (!(error instanceof UpstreamError) || error.status !== 422) throw error;
  const winner = await getPublishedByTag(gh, tag);
  if (!winner) {
    throw new UserInputError('GITHUB_TAG_UNUSABLE', error.message, {
      cause: error,
      details: 'GitHub refuses this tag (a deleted immutable release burns its tag for good). Publish under the next version.',
    });
  }
  const result = await compareWithPublished(gh, winner, files, base);
  if (ourDraft) await deleteRelease(gh, ourDraft.id);
  return result;
}

function checkInput(input: PublishGithubReleaseInput): void {
  const problems: string[] = [];
  if (!SLUG.test(input.owner) || !SLUG.test(input.repo)) problems.push(`repository ${input.owner}/${input.repo} is not OWNER/REPO`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.tag)) problems.push(`tag ${JSON.stringify(input.tag)} is not a release name`);
  if (!input.dryRun && !input.token) problems.push('no token');
  if (problems.length > 0) {
    throw new UserInputError('GITHUB_PUBLISH_INPUT', `cannot publish to GitHub: ${problems.join('; ')}`, {
      details: 'Pass --to github OWNER/REPO and set GITHUB_TOKEN (contents: write) for anything but --dry-run.',
    });
  }
}

async function compareWithPublished(
  gh: GithubClient,
  release: GithubReleaseInfo,
  files: LocalAsset[],
  base: Pick<PublishGithubReleaseResult, 'owner' | 'repo' | 'tag' | 'dryRun'>,
): Promise<PublishGithubReleaseResult> {
  const differences = await releaseDifferences(gh, await listAssets(gh, release.id), files);
  if (differences.length > 0) {
    throw new UserInputError('GITHUB_RELEASE_IMMUTABLE', `release ${release.tag} is already published with different assets`, {
      details: `${differences.slice(0, 10).join('\n')}\nA published release is never changed (CSO never re-downloads a release it has seen). Publish the change under the next version.`,
    });
  }
  gh.log.info(`release ${release.tag} is already published with identical assets`);
  if (release.name !== release.tag) gh.log.warn(`release ${release.tag} is named ${JSON.stringify(release.name)}; CSO lists releases by name and will not find it`);
  const assets = files.map((f): GithubAssetResult => ({ name: f.name, size: f.size, sha256: f.sha256, action: 'unchanged' }));
  return {
    ...base,
    status: base.dryRun ? 'would-leave-unchanged' : 'unchanged',
    release: 'existing',
    releaseId: release.id,
    htmlUrl: release.htmlUrl,
    immutable: release.immutable,
    assets,
    removed: [],
  };
}

/** Deletes strays and wrong assets from the draft and uploads what is missing, one file at a time. */
async function reconcileAssets(gh: GithubClient, draft: GithubReleaseInfo, files: LocalAsset[]): Promise<{ assets: GithubAssetResult[]; removed: string[] }> {
  const wanted = new Map(files.map((f) => [f.name, f]));
  const kept = new Set<string>();
  const replaced = new Set<string>();
  const removed: string[] = [];
  for (const asset of await listAssets(gh, draft.id)) {
    const file = wanted.get(asset.name);
    if (file && (await assetMatches(gh, asset, file))) {
      kept.add(asset.name);
      continue;
    }
    await deleteAsset(gh, asset);
    if (file) replaced.add(asset.name);
    else removed.push(asset.name);
  }
  const assets: GithubAssetResult[] = [];
  for (const file of files) {
    let action: GithubAssetResult['action'] = 'kept';
    if (!kept.has(file.name)) {
      await uploadOrAdopt(gh, draft, file);
      action = replaced.has(file.name) ? 'replaced' : 'uploaded';
    }
    gh.log.info(`  ${action} ${file.name} (${file.size} bytes)`);
    assets.push({ name: file.name, size: file.size, sha256: file.sha256, action });
  }
  return { assets, removed };
}

async function planDryRun(
  gh: GithubClient,
  draft: GithubReleaseInfo | undefined,
  files: LocalAsset[],
  base: Pick<PublishGithubReleaseResult, 'owner' | 'repo' | 'tag' | 'dryRun'>,
): Promise<PublishGithubReleaseResult> {
  const remote = draft ? await listAssets(gh, draft.id) : [];
  const byName = new Map(remote.map((a) => [a.name, a]));
  const assets: GithubAssetResult[] = [];
  for (const file of files) {
    const asset = byName.get(file.name);
    const action = !asset ? 'would-upload' : (await assetMatches(gh, asset, file)) ? 'would-keep' : 'would-replace';
    assets.push({ name: file.name, size: file.size, sha256: file.sha256, action });
  }
  const names = new Set(files.map((f) => f.name));
  return {
    ...base,
    status: 'would-publish',
    release: draft ? 'would-resume-draft' : 'would-create',
    ...(draft ? { releaseId: draft.id, htmlUrl: draft.htmlUrl } : {}),
    assets,
    removed: remote.filter((a) => !names.has(a.name)).map((a) => a.name),
  };
}

/** Read-back attempts after publishing; waits double from `retryBaseMs` (1+2+4+8 s by default). */
const VISIBLE_ATTEMPTS = 5;

/**
 * After publishing, the release must be what CSO sees: found by tag, with every asset at the right size.
 * GitHub is eventually consistent right after publishing, so the read-back is retried a bounded number of times.
 */
async function confirmVisible(gh: GithubClient, tag: string, files: LocalAsset[]): Promise<void> {
  let seen: GithubReleaseInfo | null = null;
  let missing: string[] = [];
  let names = new Map<string, { size: number }>();
  for (let attempt = 1; attempt <= VISIBLE_ATTEMPTS; attempt++) {
    seen = await getPublishedByTag(gh, tag);
    names = new Map((seen?.assets ?? []).map((a) => [a.name, a]));
    missing = files.filter((f) => names.get(f.name)?.size !== f.size).map((f) => f.name);
    if (seen && missing.length === 0 && names.size === files.length) return;
    if (attempt < VISIBLE_ATTEMPTS) {
      gh.log.debug(`release ${tag} not fully visible yet (attempt ${attempt}); reading it again`);
      await new Promise((resolve) => setTimeout(resolve, gh.retryBaseMs * 2 ** (attempt - 1)));
    }
  }
  throw new UpstreamError('GITHUB_PUBLISH_NOT_VISIBLE', `release ${tag} was published but ${seen ? `its assets read back differently (${missing.join(', ') || 'extra assets'})` : 'GET …/releases/tags/' + tag + ' does not find it'}`, {
    url: seen?.htmlUrl ?? tag,
    retriable: true,
    details: 'Run the same command again: it compares the published release with the files.',
  });
}
