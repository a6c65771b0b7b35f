/**
 * Kubernetes patch releases per minor: dl.k8s.io `stable-1.<minor>.txt` (primary, as kubeadm reads it),
 * GitHub `git/matching-refs/tags/v1.<minor>.` when the primary fails or answers garbage.
 */
import { PipelineError, UpstreamError } from '../../core/errors.js';
import type { Candidate, SourceContext, WatchSource } from '../types.js';
import { garbage, githubGet } from './github-api.js';

/** Where stable-1.N.txt lives (rewrite with --mirror). */
export const DL_K8S_IO = 'https://dl.k8s.io/release/';

const TAG = /^v(\d+\.\d+\.\d+)(-[0-9A-Za-z.-]+)?$/;

export const kubernetesSource: WatchSource<'kubernetes'> = {
  kind: 'kubernetes',
  describe: (q) => `Kubernetes ${q.minor} (dl.k8s.io stable-${q.minor}.txt)`,
  async list(query, ctx) {
    try {
      return await fromStableTxt(query.minor, ctx);
    } catch (primary) {
      if (!(primary instanceof PipelineError)) throw primary;
      try {
        return await fromMatchingRefs(query.minor, ctx);
      } catch (fallback) {
        if (!(fallback instanceof PipelineError)) throw fallback;
        throw new UpstreamError('UPSTREAM_SOURCE_FAILED', `Kubernetes ${query.minor}: ${primary.message}; fallback ${fallback.message}`, {
          url: `${DL_K8S_IO}stable-${query.minor}.txt`,
          retriable: true,
          cause: primary,
          details: 'Neither dl.k8s.io nor the GitHub tags answered; nothing was changed. Retry later or use --mirror.',
        });
      }
    }
  },
};

async function fromStableTxt(minor: string, ctx: SourceContext): Promise<Candidate[]> {
  const url = `${DL_K8S_IO}stable-${minor}.txt`;
  const res = await ctx.fetcher.text(url, { what: `Kubernetes ${minor} (stable-${minor}.txt)` });
  const line = res.text.trim();
  const m = TAG.exec(line);
  if (!m || m[2] || !m[1]!.startsWith(`${minor}.`)) throw garbage(`Kubernetes ${minor}`, url, `"${line.slice(0, 40)}" is not a v${minor}.x release`);
  const lastModified = res.headers?.get('last-modified');
  return [{
    version: m[1]!,
    tag: line,
    published: lastModified ? new Date(lastModified).toISOString() : undefined,
    link: `https://github.com/kubernetes/kubernetes/releases/tag/${line}`,
  }];
}

async function fromMatchingRefs(minor: string, ctx: SourceContext): Promise<Candidate[]> {
  const what = `Kubernetes ${minor} tags (GitHub matching-refs)`;
  const url = `${ctx.githubApi.replace(/\/$/, '')}/repos/kubernetes/kubernetes/git/matching-refs/tags/v${minor}.`;
  const res = await githubGet(ctx, url, what);
  if (res.status === 404) throw garbage(what, url, '404: no such repository');
  let refs: unknown;
  try {
    refs = await res.json();
  } catch {
    throw garbage(what, url, 'not JSON');
  }
  if (!Array.isArray(refs)) throw garbage(what, url, 'not a list of refs');
  const out: Candidate[] = [];
  for (const ref of refs as { ref?: unknown }[]) {
    if (typeof ref?.ref !== 'string') throw garbage(what, url, 'a ref without name');
    const tag = ref.ref.replace(/^refs\/tags\//, '');
    const m = TAG.exec(tag);
    if (!m || !m[1]!.startsWith(`${minor}.`)) continue;
    out.push({ version: `${m[1]}${m[2] ?? ''}`, tag, prerelease: Boolean(m[2]), link: `https://github.com/kubernetes/kubernetes/releases/tag/${tag}` });
  }
  return out;
}
