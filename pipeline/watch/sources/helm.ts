/**
 * Helm chart repositories: one streamed read of `<repo>/index.yaml` per repository and run (every chart
 * wanted from it at once), the parsed entries cached behind a conditional request.
 */
import { PipelineError } from '../../core/errors.js';
import type { Candidate, SourceContext, WatchSource } from '../types.js';
import { garbage } from './github-api.js';
import { helmIndexConsumer, type IndexResult } from './helm-index.js';

const pending = new WeakMap<SourceContext, Map<string, Promise<IndexResult>>>();

export const helmSource: WatchSource<'helm'> = {
  kind: 'helm',
  describe: (q) => `Helm chart ${q.chart} from ${q.repository}`,
  async list(query, ctx) {
    const repo = query.repository.endsWith('/') ? query.repository : `${query.repository}/`;
    let perCtx = pending.get(ctx);
    if (!perCtx) pending.set(ctx, (perCtx = new Map()));
    let index = perCtx.get(repo);
    if (!index) {
      const charts = [...new Set([...(ctx.helmCharts[repo] ?? []), query.chart])].sort();
      index = readIndex(repo, charts, ctx);
      perCtx.set(repo, index);
    }
    const entries = (await index)[query.chart] ?? [];
    const out: Candidate[] = [];
    for (const e of entries) {
      if (typeof e !== 'object' || e === null || (typeof e.version !== 'string' && typeof e.version !== 'number')) {
        throw garbage(`Helm index ${repo}`, `${repo}index.yaml`, `an entry of ${query.chart} without version`);
      }
      const version = String(e.version);
      out.push({
        version: version.replace(/^v/, ''),
        tag: version,
        removed: e.removed === true,
        published: typeof e.created === 'string' ? e.created : undefined,
        digest: typeof e.digest === 'string' && /^[0-9a-f]{64}$/.test(e.digest) ? `sha256:${e.digest}` : undefined,
        kubeVersion: typeof e.kubeVersion === 'string' ? e.kubeVersion : undefined,
      });
    }
    return out;
  },
};

async function readIndex(repo: string, charts: string[], ctx: SourceContext): Promise<IndexResult> {
  const url = `${repo}index.yaml`;
  try {
    return await ctx.fetcher.streamed(url, `helm:${charts.join(',')}`, { what: `Helm index ${repo}` }, () => helmIndexConsumer(charts));
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    throw garbage(`Helm index ${repo}`, url, (error as Error).message);
  }
}
