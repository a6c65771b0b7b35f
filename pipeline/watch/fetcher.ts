/**
 * How watch sources reach upstream: every URL passes `--mirror` rewriting, a concurrency limit and an
 * on-disk conditional-request cache (ETag / Last-Modified), so a warm `csp upstream check` only asks
 * "changed?" and reuses what it parsed last time when the answer is 304.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UpstreamError } from '../core/errors.js';
import { redactUrl, type HeaderMap, type Http, type HttpResponse } from '../core/http.js';
import type { FetchStats } from './types.js';

/** Largest body buffered for a small file (stable-1.N.txt, CHECKSUM, API pages): 8 MiB. */
export const MAX_SMALL_BODY = 8 * 1024 * 1024;

export interface FetcherOptions {
  http: Http;
  /** Cache folder; without it every request is unconditional. */
  cacheDir?: string;
  /** Prefix rewrites FROM → TO (longest FROM wins), as `--mirror`. */
  mirrors?: Record<string, string>;
  /** Concurrent requests (default 6). */
  concurrency?: number;
}

export interface GetOptions {
  headers?: Record<string, string>;
  /** Name of the source, for error messages ("helm index https://…"). */
  what: string;
  /** Statuses that are answers, not failures (e.g. 404 for "no such image yet"). */
  accept?: number[];
}

/** A cached small response or a derived result, keyed by URL and a variant. */
interface CacheEntry<T> {
  url: string;
  etag?: string;
  lastModified?: string;
  status: number;
  value: T;
}

export interface Fetcher {
  /** GET a small text body (≤ MAX_SMALL_BODY), conditionally when cached. */
  text(url: string, options: GetOptions): Promise<{ status: number; text: string; headers?: HeaderMap }>;
  /**
   * GET a large body streamed through `consume` (which returns a JSON-serialisable result); the result,
   * not the body, is cached under `variant`, so a 304 skips the download and the parse.
   */
  streamed<T>(url: string, variant: string, options: GetOptions, consume: () => StreamConsumer<T>): Promise<T>;
  /** An uncached GET (paginated APIs whose Link headers matter), still mirrored and limited. */
  raw(url: string, headers?: Record<string, string>, retries?: number): Promise<HttpResponse>;
  stats: FetchStats;
}

export interface StreamConsumer<T> {
  write(chunk: Uint8Array): void;
  end(): T;
}

/** Builds the fetcher used by every watch source. */
export function createFetcher(options: FetcherOptions): Fetcher {
  const stats: FetchStats = { requests: 0, conditional: 0, notModified: 0, bytes: 0 };
  const limit = limiter(options.concurrency ?? 6);
  const mirrors = options.mirrors ?? {};

  function mirrored(url: string): string {
    const from = Object.keys(mirrors)
      .sort((a, b) => b.length - a.length)
      .find((m) => url.startsWith(m));
    return from === undefined ? url : `${mirrors[from]}${url.slice(from.length)}`;
  }

  async function cached<T>(url: string, variant: string): Promise<{ file?: string; entry?: CacheEntry<T> }> {
    if (!options.cacheDir) return {};
    const key = crypto.createHash('sha256').update(`${url}\n${variant}`).digest('hex');
    const file = path.join(options.cacheDir, `${key}.json`);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (!text) return { file };
    try {
      const entry = JSON.parse(text) as CacheEntry<T>;
      return { file, entry: entry.url === url ? entry : undefined };
    } catch {
      return { file };
    }
  }

  async function store<T>(file: string | undefined, entry: CacheEntry<T>): Promise<void> {
    if (!file || (!entry.etag && !entry.lastModified)) return;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(entry));
    await fs.rename(tmp, file);
  }

  function conditionalHeaders(entry: CacheEntry<unknown> | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (entry?.etag) headers['if-none-match'] = entry.etag;
    if (entry?.lastModified) headers['if-modified-since'] = entry.lastModified;
    if (Object.keys(headers).length) stats.conditional++;
    return headers;
  }

  // One request per URL and run: stacks sharing a minor or a repository share the answer.
  const inflight = new Map<string, Promise<{ status: number; text: string; headers?: HeaderMap }>>();
  function text(url: string, get: GetOptions): Promise<{ status: number; text: string; headers?: HeaderMap }> {
    let pending = inflight.get(url);
    if (!pending) inflight.set(url, (pending = textOnce(url, get)));
    return pending;
  }

  async function textOnce(url: string, get: GetOptions): Promise<{ status: number; text: string; headers?: HeaderMap }> {
    const target = mirrored(url);
    const { file, entry } = await cached<string>(target, 'text');
    const res = await limit(() => {
      stats.requests++;
      return options.http.request({ url: target, headers: { ...get.headers, ...conditionalHeaders(entry) }, retries: 2, timeoutMs: 30_000 });
    }).catch((error: unknown) => {
      throw named(get.what, error);
    });
    if (res.status === 304 && entry) {
      stats.notModified++;
      return { status: entry.status, text: entry.value };
    }
    const ok = res.status >= 200 && res.status < 300;
    if (!ok && !get.accept?.includes(res.status)) throw failure(get.what, target, res.status);
    const bytes = await res.bytes();
    stats.bytes += bytes.length;
    if (bytes.length > MAX_SMALL_BODY) {
      throw new UpstreamError('UPSTREAM_TOO_LARGE', `${get.what}: ${redactUrl(target)} answered ${bytes.length} bytes (limit ${MAX_SMALL_BODY})`, {
        url: redactUrl(target),
        details: 'The answer is far larger than such a file can be; check the URL and any --mirror rule.',
      });
    }
    const body = new TextDecoder().decode(bytes);
    await store(file, { url: target, etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined, status: res.status, value: body });
    return { status: res.status, text: body, headers: res.headers };
  }

  async function streamed<T>(url: string, variant: string, get: GetOptions, consume: () => StreamConsumer<T>): Promise<T> {
    const target = mirrored(url);
    const { file, entry } = await cached<T>(target, variant);
    const consumer = consume();
    let parseError: unknown;
    const res = await limit(() => {
      stats.requests++;
      return options.http.request({
        url: target,
        headers: { ...get.headers, ...conditionalHeaders(entry) },
        retries: 2,
        timeoutMs: 120_000,
        sink: (chunk) => {
          stats.bytes += chunk.length;
          if (parseError) return;
          try {
            consumer.write(chunk);
          } catch (error) {
            parseError = error;
          }
        },
      });
    }).catch((error: unknown) => {
      throw named(get.what, error);
    });
    if (res.status === 304 && entry) {
      stats.notModified++;
      return entry.value;
    }
    if (res.status < 200 || res.status >= 300) throw failure(get.what, target, res.status);
    if (parseError) throw parseError;
    const value = consumer.end();
    await store(file, { url: target, etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined, status: res.status, value });
    return value;
  }

  function raw(url: string, headers?: Record<string, string>, retries = 2): Promise<HttpResponse> {
    const target = mirrored(url);
    return limit(async () => {
      stats.requests++;
      const res = await options.http.request({ url: target, headers, retries, timeoutMs: 30_000 });
      stats.bytes += (await res.bytes()).length;
      return res;
    });
  }

  return { text, streamed, raw, stats };
}

/** Puts the source's name in front of a transport failure (unreachable, timed out, cut stream). */
export function named(what: string, error: unknown): unknown {
  if (!(error instanceof UpstreamError) || error.message.startsWith(what)) return error;
  return new UpstreamError(error.code, `${what}: ${error.message}`, { url: error.url, status: error.status, retriable: error.retriable, details: error.details, cause: error });
}

function failure(what: string, url: string, status: number): UpstreamError {
  return new UpstreamError('UPSTREAM_SOURCE_FAILED', `${what}: ${status} from ${redactUrl(url)}`, {
    url: redactUrl(url),
    status,
    retriable: status >= 500 || status === 429,
    details: 'The upstream source did not answer; nothing was changed. Retry later or point --mirror at a working copy.',
  });
}

/** At most `n` tasks at once, in arrival order. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
