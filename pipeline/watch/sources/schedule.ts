/**
 * Kubernetes support windows from kubernetes/website `data/releases/schedule.yaml`: per minor its
 * `endOfLifeDate` (after it no patch releases come; `upcoming_releases`/`next` are plans and ignored).
 */
import { parse as parseYaml } from 'yaml';
import type { SourceContext } from '../types.js';
import { garbage } from './github-api.js';

/** Where schedule.yaml is read (rewrite with --mirror). */
export const SCHEDULE_URL = 'https://raw.githubusercontent.com/kubernetes/website/main/data/releases/schedule.yaml';

/** Minor (1.31) → end-of-life date (YYYY-MM-DD). */
export async function readSchedule(ctx: SourceContext): Promise<Record<string, string>> {
  const what = 'Kubernetes release schedule (kubernetes/website schedule.yaml)';
  const res = await ctx.fetcher.text(SCHEDULE_URL, { what });
  let doc: unknown;
  try {
    doc = parseYaml(res.text, { maxAliasCount: 100 });
  } catch {
    throw garbage(what, SCHEDULE_URL, 'not YAML');
  }
  const schedules = (doc as { schedules?: unknown } | null)?.schedules;
  if (!Array.isArray(schedules)) throw garbage(what, SCHEDULE_URL, 'no schedules list');
  const out: Record<string, string> = {};
  for (const s of schedules as { release?: unknown; endOfLifeDate?: unknown }[]) {
    const release = String(s?.release ?? '');
    const eol = s?.endOfLifeDate instanceof Date ? s.endOfLifeDate.toISOString().slice(0, 10) : String(s?.endOfLifeDate ?? '');
    if (/^\d+\.\d+$/.test(release) && /^\d{4}-\d{2}-\d{2}/.test(eol)) out[release] = eol.slice(0, 10);
  }
  return out;
}
