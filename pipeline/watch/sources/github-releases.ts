/** GitHub releases of a repository (Cluster API, CAPO, CAPH, ORC, CSO): tags vX.Y.Z, drafts marked removed. */
import semver from 'semver';
import type { Candidate, WatchSource } from '../types.js';
import { garbage, githubPages } from './github-api.js';

interface Release {
  tag_name?: unknown;
  draft?: unknown;
  prerelease?: unknown;
  published_at?: unknown;
  html_url?: unknown;
}

export const githubReleasesSource: WatchSource<'github'> = {
  kind: 'github',
  describe: (q) => `GitHub releases of ${q.repo}`,
  async list(query, ctx) {
    const what = `GitHub releases of ${query.repo}`;
    const items = (await githubPages(ctx, `/repos/${query.repo}/releases?per_page=100`, what)) as Release[];
    const out: Candidate[] = [];
    for (const r of items) {
      if (typeof r !== 'object' || r === null || typeof r.tag_name !== 'string') throw garbage(what, ctx.githubApi, 'a release without tag_name');
      const version = r.tag_name.replace(/^v/, '');
      out.push({
        version,
        tag: r.tag_name,
        prerelease: r.prerelease === true || (semver.valid(version) !== null && semver.prerelease(version) !== null),
        removed: r.draft === true,
        published: typeof r.published_at === 'string' ? r.published_at : undefined,
        link: typeof r.html_url === 'string' ? r.html_url : undefined,
      });
    }
    return out;
  },
};
