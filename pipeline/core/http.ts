/**
 * The single HTTP seam: every network call goes through `createHttp()`. Retries back off on 429, 5xx
 * and dropped connections; bodies are buffers so a retry (or an auth round-trip) can resend them.
 */
import { UpstreamError } from './errors.js';

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Replayable body: buffers, strings, or a stream factory called once per attempt (e.g. a file read). */
  body?: Uint8Array | string | StreamBody;
  /** Per-attempt timeout in milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429/5xx/network errors (default: the client's setting). */
  retries?: number;
  /** Follow redirects (default true). */
  redirect?: 'follow' | 'manual';
  /**
   * Streams a 2xx body chunk by chunk into `sink` instead of buffering it (huge files such as Helm
   * indexes); `bytes()` of such a response is empty. Other statuses are buffered as usual.
   */
  sink?: (chunk: Uint8Array) => void | Promise<void>;
}

/** A streamed request body: `open()` starts a fresh stream for every attempt, so retries can resend it. */
export interface StreamBody {
  open(): AsyncIterable<Uint8Array>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  url: string;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface Http {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpOptions {
  fetch?: typeof fetch;
  retries?: number;
  /** First backoff in ms; doubles each retry (default 200). */
  backoffMs?: number;
  /** Upper bound of one wait in ms, also for Retry-After (default 10 s). */
  maxBackoffMs?: number;
  userAgent?: string;
  sleep?: (ms: number) => Promise<void>;
}

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Builds the HTTP client used by every stage (inject `fetch` in tests only to count or fault requests). */
export function createHttp(options: HttpOptions = {}): Http {
  const doFetch = options.fetch ?? globalThis.fetch;
  const defaultRetries = options.retries ?? 4;
  const backoff = options.backoffMs ?? 200;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const userAgent = options.userAgent ?? 'csp (cluster stack pipeline)';

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const retries = req.retries ?? defaultRetries;
    const method = req.method ?? 'GET';
    let lastError: unknown;
    let sinkStarted = false;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), req.timeoutMs ?? 60_000);
      try {
        const res = await doFetch(req.url, {
          method,
          headers: { 'user-agent': userAgent, ...req.headers },
          ...(isStreamBody(req.body)
            ? { body: ReadableStream.from(req.body.open()) as RequestInit['body'], duplex: 'half' as const }
            : { body: req.body as RequestInit['body'] }),
          redirect: req.redirect ?? 'follow',
          signal: controller.signal,
        });
        if (RETRIABLE_STATUS.has(res.status) && attempt < retries) {
          await res.arrayBuffer().catch(() => undefined);
          await sleep(waitFor(res.headers.get('retry-after'), attempt, backoff, maxBackoff));
          continue;
        }
        if (req.sink && res.ok && res.body) {
          sinkStarted = true;
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) await req.sink(chunk);
          return wrap(res, new Uint8Array(0));
        }
        const body = new Uint8Array(await res.arrayBuffer());
        return wrap(res, body);
      } catch (error) {
        lastError = error;
        // A half-delivered stream cannot be replayed into the sink: fail instead of retrying.
        if (sinkStarted) break;
        if (attempt < retries) {
          await sleep(waitFor(null, attempt, backoff, maxBackoff));
          continue;
        }
      } finally {
        clearTimeout(timer);
      }
    }
    throw new UpstreamError('HTTP_UNREACHABLE', `${method} ${redactUrl(req.url)} failed after ${retries + 1} attempts`, {
      url: redactUrl(req.url),
      retriable: true,
      cause: lastError,
      details: 'Check the address and that the service is up; the request was retried with backoff.',
    });
  }

  return { request };
}

function waitFor(retryAfter: string | null, attempt: number, backoff: number, maxBackoff: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.min(seconds * 1000, maxBackoff);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.min(Math.max(0, date - Date.now()), maxBackoff);
  }
  return Math.min(backoff * 2 ** attempt, maxBackoff);
}

function isStreamBody(body: HttpRequest['body']): body is StreamBody {
  return typeof body === 'object' && body !== null && typeof (body as Partial<StreamBody>).open === 'function';
}

function wrap(res: Response, body: Uint8Array): HttpResponse {
  return {
    status: res.status,
    headers: res.headers,
    url: res.url,
    bytes: async () => body,
    text: async () => new TextDecoder().decode(body),
    json: async () => JSON.parse(new TextDecoder().decode(body)) as unknown,
  };
}

/** Removes user:password from a URL before it is logged or put in an error. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString();
  } catch {
    return url;
  }
}

/** Throws an UpstreamError unless the status is 2xx; returns the response for chaining. */
export async function expectOk(res: HttpResponse, what: string): Promise<HttpResponse> {
  if (res.status >= 200 && res.status < 300) return res;
  const text = (await res.text()).slice(0, 500);
  throw new UpstreamError('HTTP_STATUS', `${what}: ${res.status} from ${redactUrl(res.url)}`, {
    url: redactUrl(res.url),
    status: res.status,
    retriable: RETRIABLE_STATUS.has(res.status),
    details: text ? `Response: ${text}` : undefined,
  });
}
