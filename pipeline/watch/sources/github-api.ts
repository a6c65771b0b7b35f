/**
 * GitHub REST reads for watch sources: the base follows GITHUB_API_URL, pages follow `Link: rel="next"`,
 * and rate limits (403/429 with `retry-after` or `x-ratelimit-reset`) are waited out when the reset is
 * near, else reported with the reset time.
 */
import { UpstreamError } from '../../core/errors.js';
import { redactUrl, type HttpResponse } from '../../core/http.js';
import { named } from '../fetcher.js';
import type { SourceContext } from '../types.js';

/** Most pages read from one listing (100 items each). */
export const MAX_PAGES = 20;

/** GET every page of a GitHub listing, concatenated. */
export async function githubPages(ctx: SourceContext, pathAndQuery: string, what: string): Promise<unknown[]> {
  let url: string | undefined = `${ctx.githubApi.replace(/\/$/, '')}${pathAndQuery}`;
  const items: unknown[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res = await githubGet(ctx, url, what);
    if (res.status === 404) {
      throw new UpstreamError('UPSTREAM_SOURCE_FAILED', `${what}: 404 from ${redactUrl(url)}`, {
        url: redactUrl(url),
        status: 404,
        details: 'GitHub does not know this repository (or the token cannot see it); check stack.yaml upstream.releases.',
      });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw garbage(what, url, 'not JSON');
    }
    if (!Array.isArray(body)) throw garbage(what, url, 'not a JSON array');
    items.push(...body);
    url = nextLink(res.headers.get('link'));
  }
  return items;
}

/** One GitHub GET with the rate-limit rules; 404 comes back as a response, other failures throw. */
export async function githubGet(ctx: SourceContext, url: string, what: string): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  if (ctx.githubToken) headers.authorization = `Bearer ${ctx.githubToken}`;
  for (let attempt = 0; ; attempt++) {
    // No retries below: rate limits are judged here (core/http would wait a capped time and retry blindly).
    const res = await ctx.fetcher.raw(url, headers, 0).catch((error: unknown) => {
      throw named(what, error);
    });
    if (res.status === 200 || res.status === 404) return res;
    if (res.status >= 500 && attempt < 2) {
      await ctx.sleep(500 * 2 ** attempt);
      continue;
    }
    const wait = rateLimitWait(res, ctx.now());
    if (wait !== undefined && attempt < 2) {
      if (wait > ctx.maxRateLimitWaitMs) {
        throw new UpstreamError('UPSTREAM_RATE_LIMITED', `${what}: GitHub rate limit reached, resets in ${Math.ceil(wait / 1000)} s`, {
          url: redactUrl(url),
          status: res.status,
          retriable: true,
          details: 'Set GITHUB_TOKEN (5,000 requests/h instead of 60) or run again after the reset; nothing was changed.',
        });
      }
      await ctx.sleep(wait);
      continue;
    }
    throw new UpstreamError('UPSTREAM_SOURCE_FAILED', `${what}: ${res.status} from ${redactUrl(url)}`, {
      url: redactUrl(url),
      status: res.status,
      retriable: res.status >= 500,
      details: 'GitHub did not answer the listing; nothing was changed. Retry later.',
    });
  }
}

/** Milliseconds to wait for a rate-limited answer, or undefined when the answer is no rate limit. */
export function rateLimitWait(res: HttpResponse, now: Date): number | undefined {
  if (res.status !== 403 && res.status !== 429) return undefined;
  const retryAfter = res.headers.get('retry-after');
  if (retryAfter && Number.isFinite(Number(retryAfter))) return Number(retryAfter) * 1000;
  const reset = res.headers.get('x-ratelimit-reset');
  if (reset && res.headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(Number(reset))) {
    return Math.max(0, Number(reset) * 1000 - now.getTime()) + 1000;
  }
  return res.status === 429 ? 60_000 : undefined;
}

function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** An answer that is not what the API documents. */
export function garbage(what: string, url: string, why: string): UpstreamError {
  return new UpstreamError('UPSTREAM_GARBAGE', `${what}: ${redactUrl(url)} answered something unusable (${why})`, {
    url: redactUrl(url),
    details: 'The source answered, but not in its documented format; nothing was changed. Check the URL and any --mirror rule.',
  });
}
