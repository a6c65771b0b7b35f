/**
 * The single HTTP seam: every network call goes through `createHttp()`. Retries back off on 429, 5xx
 * and dropped connections; bodies are buffers so a retry (or an auth round-trip) can resend them.
 * Answers are bounded: bodies are streamed up to a size limit, an idle timeout and a deadline end slow
 * servers, compressed answers nobody asked for are refused; none of these is retried.
 */
import { UpstreamError } from './errors.js';
import { sendNode, type HeaderMap, type WireResponse } from './http-node.js';
export type { HeaderMap } from './http-node.js';
import { copies, pulled } from './http-stream.js';
import { limits } from './limits.js';

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Replayable body: buffers, strings, or a stream factory called once per attempt (e.g. a file read). */
  body?: Uint8Array | string | StreamBody;
  /** Deadline of one attempt in milliseconds (default limits().httpDeadlineMs); the idle timeout applies too. */
  timeoutMs?: number;
  /** Largest body accepted (default limits().httpDocumentBytes); reading stops at the first byte over it. */
  maxBytes?: number;
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

/**
 * A streamed request body: `open()` starts a fresh stream for every attempt, so retries can resend it. A chunk
 * is only used until the next one is pulled, so the source may reuse one buffer.
 */
export interface StreamBody {
  open(): AsyncIterable<Uint8Array>;
}

export interface HttpResponse {
  status: number;
  headers: HeaderMap;
  url: string;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface Http {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpOptions {
  /** Send through this fetch instead of node:http (tests that count or fault requests). */
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
  const doFetch = options.fetch;
  const defaultRetries = options.retries ?? 4;
  const backoff = options.backoffMs ?? 200;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const userAgent = options.userAgent ?? 'csp (cluster stack pipeline)';

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const retries = req.retries ?? defaultRetries;
    const method = req.method ?? 'GET';
    const shown = redactUrl(req.url);
    const maxBytes = req.maxBytes ?? limits().httpDocumentBytes;
    const idleMs = limits().httpIdleMs;
    const deadlineMs = req.timeoutMs ?? limits().httpDeadlineMs;
    if (!/^https?:\/\//i.test(req.url)) {
      throw new UpstreamError('HTTP_URL_UNSUPPORTED', `${method} ${shown}: only http:// and https:// addresses are fetched`, {
        url: shown,
        details: 'csp does not read file:// or other schemes from configuration or server answers; use an http(s) address.',
      });
    }
    let lastError: unknown;
    let sinkStarted = false;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const controller = new AbortController();
      let expired: 'idle' | 'deadline' | undefined;
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      const touch = (): void => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          expired = 'idle';
          controller.abort();
        }, idleMs);
      };
      const deadlineTimer = setTimeout(() => {
        expired = 'deadline';
        controller.abort();
      }, deadlineMs);
      // A buffered body may take long to send; until the answer starts only the deadline applies to it. A
      // streamed body is pulled as the connection accepts it: no chunk taken for the idle time is a stalled upload.
      if (req.body === undefined) touch();
      const streamed = isStreamBody(req.body);
      try {
        // Compression only when asked for: fetch would inflate a gzip bomb before any limit applied.
        const headers = { 'user-agent': userAgent, 'accept-encoding': 'identity', ...req.headers };
        const chunks = isStreamBody(req.body) ? pulled(req.body.open(), touch, () => clearTimeout(idleTimer)) : undefined;
        // node:http (core/http-node.ts) unless a test injected a fetch: fetch costs ~40 ms before a first request.
        const res: WireResponse = !doFetch
          ? await sendNode({
              url: req.url,
              method,
              headers,
              ...(chunks ? { chunks } : { body: req.body as Uint8Array | string | undefined }),
              signal: controller.signal,
              // A streamed body cannot be resent to a redirect target: a redirect of it fails like a dropped request.
              redirect: streamed ? 'error' : (req.redirect ?? 'follow'),
            })
          : await doFetch(req.url, {
              method,
              headers,
              // fetch may hold a chunk after pulling the next one: hand it copies (a source may reuse its buffer).
              ...(chunks ? { body: ReadableStream.from(copies(chunks)) as RequestInit['body'], duplex: 'half' as const } : { body: req.body as RequestInit['body'] }),
              // fetch tees (buffers a whole second copy of) a streamed body whenever it may follow redirects, and
              // cannot resend it to a redirect target anyway: a redirect of a streamed request fails like a dropped one.
              redirect: streamed ? 'error' : (req.redirect ?? 'follow'),
              signal: controller.signal,
            });
        touch();
        const encoding = res.headers.get('content-encoding');
        if (encoding && encoding.toLowerCase() !== 'identity') {
          await res.body?.cancel().catch(() => undefined);
          throw new UpstreamError('HTTP_UNEXPECTED_ENCODING', `${method} ${shown}: the server sent a ${encoding}-compressed body csp did not ask for`, {
            url: shown,
            status: res.status,
            details: 'csp asks for uncompressed answers (Accept-Encoding: identity) so that size limits hold; the server or a proxy ignored that.',
          });
        }
        if (RETRIABLE_STATUS.has(res.status) && attempt < retries) {
          await res.body?.cancel().catch(() => undefined);
          await sleep(waitFor(res.headers.get('retry-after'), attempt, backoff, maxBackoff));
          continue;
        }
        if (req.sink && res.ok && res.body) {
          sinkStarted = true;
          await streamBody(res, maxBytes, touch, `${method} ${shown}`, req.sink);
          return wrap(res, new Uint8Array(0), req.url);
        }
        const body = await readBody(res, maxBytes, touch, `${method} ${shown}`);
        return wrap(res, body, req.url);
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        if (expired) throw slowError(expired, method, shown, expired === 'idle' ? idleMs : deadlineMs, error);
        const reason = causeText(error);
        if (/redirect/i.test(reason) && !streamed) {
          throw new UpstreamError('HTTP_REDIRECT_LOOP', `${method} ${shown}: ${reason}`, {
            url: shown,
            cause: error,
            details: 'The server keeps redirecting (a loop, or more than 20 hops); check the address or report it to the server owner.',
          });
        }
        lastError = error;
        // A half-delivered stream cannot be replayed into the sink: fail instead of retrying.
        if (sinkStarted) break;
        if (attempt < retries) {
          await sleep(waitFor(null, attempt, backoff, maxBackoff));
          continue;
        }
      } finally {
        clearTimeout(idleTimer);
        clearTimeout(deadlineTimer);
      }
    }
    throw new UpstreamError('HTTP_UNREACHABLE', `${method} ${shown} failed after ${retries + 1} attempts: ${causeText(lastError)}`, {
      url: shown,
      retriable: true,
      cause: lastError,
      details: 'Check the address and that the service is up; the request was retried with backoff.',
    });
  }

  return { request };
}

/** Reads a body chunk by chunk, stopping at the first byte over `maxBytes` (Content-Length is checked first). */
async function readBody(res: WireResponse, maxBytes: number, touch: () => void, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await streamBody(res, maxBytes, touch, what, (chunk) => {
    chunks.push(chunk);
  });
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/** Hands a body to `onChunk` as it arrives, under the same size cap and idle timer as `readBody`. */
async function streamBody(
  res: WireResponse,
  maxBytes: number,
  touch: () => void,
  what: string,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
): Promise<void> {
  const tooLarge = (size: string): UpstreamError =>
    new UpstreamError('HTTP_BODY_TOO_LARGE', `${what}: the answer is ${size}, over the ${maxBytes}-byte limit for it`, {
      url: what.slice(what.indexOf(' ') + 1),
      status: res.status,
      details: 'A registry, repository or API answered far more than such a document can be; the rest was not read (docs/limits.md lists the limits and their CSP_LIMIT_* overrides).',
    });
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(`${declared} bytes`);
  }
  if (!res.body) return;
  const reader = res.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    touch();
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`over ${maxBytes} bytes`);
    }
    await onChunk(value);
  }
}

function slowError(kind: 'idle' | 'deadline', method: string, url: string, ms: number, cause: unknown): UpstreamError {
  const idle = kind === 'idle';
  return new UpstreamError(idle ? 'HTTP_IDLE_TIMEOUT' : 'HTTP_DEADLINE', `${method} ${url}: ${idle ? `no data for ${ms / 1000} s (idle timeout)` : `not finished after ${ms / 1000} s (deadline)`}`, {
    url,
    cause,
    details: `The server is too slow or stalls on purpose; the request was not retried. ${idle ? 'CSP_LIMIT_HTTP_IDLE_MS' : 'CSP_LIMIT_HTTP_DEADLINE_MS'} changes the limit (docs/limits.md).`,
  });
}

/** The innermost message of a fetch failure ("connect ECONNREFUSED 127.0.0.1:1", "redirect count exceeded"). */
function causeText(error: unknown): string {
  let e: unknown = error;
  for (let i = 0; i < 5 && e instanceof Error && e.cause instanceof Error; i++) e = e.cause;
  return e instanceof Error ? e.message : String(e);
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

function wrap(res: WireResponse, body: Uint8Array, requested: string): HttpResponse {
  return {
    status: res.status,
    headers: res.headers,
    // An injected fetch's Response may have no url of its own.
    url: res.url || requested,
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

/** Registry credentials (shared by publish and images): what the caller knows: user/password, a docker `identitytoken` (OAuth2 refresh token), or a ready bearer token. */
export interface Credentials {
  username?: string;
  password?: string;
  /** docker config.json `identitytoken`: exchanged with `grant_type=refresh_token`. */
  identityToken?: string;
  /** Sent as `Bearer <accessToken>` without any exchange (CSO's `OCI_ACCESS_TOKEN`, already encoded). */
  accessToken?: string;
}
