/**
 * core/http's transport: node:http(s) requests with fetch's semantics for what csp uses, without fetch.
 * Node's fetch (undici) costs ~30 ms to load and ~10 ms to compile its WebAssembly HTTP parser on the first
 * request of every process, before the first byte goes out (issue 16: csp publish starts its upload later
 * than skopeo by about that much); node:http is part of the runtime's start-up snapshot.
 *
 * What fetch did and this keeps: redirects followed (at most 20; 303, and 301/302 after a POST, become a GET
 * without body; Authorization, Cookie and Proxy-Authorization are dropped when the origin changes; only http:
 * and https: targets), `manual` returns the 3xx answer itself, `error` fails on one; failures are a
 * `TypeError('fetch failed')` whose cause is the socket's error; the answer's `url` is the last one asked.
 * A streamed body is written chunk by chunk, each flushed before the next is pulled (the source may reuse its
 * buffer), and is never redirected (it could not be resent).
 */
import http from 'node:http';

/** The part of a fetch `Response` core/http reads (a fetch Response is one). */
export interface WireResponse {
  status: number;
  ok: boolean;
  url: string;
  headers: HeaderMap;
  body: WireBody | null;
}

/** Answer headers by case-insensitive name (a fetch `Headers` is one). */
export interface HeaderMap {
  get(name: string): string | null;
}

/** A body read chunk by chunk (a fetch `ReadableStream<Uint8Array>` is one). */
export interface WireBody {
  getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  cancel(): Promise<void>;
}

/** One request for `sendNode`. */
export interface NodeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A replayable body (resent to a 307/308 target), or chunks of a streamed one (used until the next is pulled). */
  body?: Uint8Array | string;
  chunks?: AsyncIterable<Uint8Array>;
  signal: AbortSignal;
  redirect: 'follow' | 'manual' | 'error';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Headers that must not follow a redirect to another origin (as fetch drops them). */
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];
/** Headers describing a body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** Sends the request (following redirects as `redirect` says) and resolves once the answer's head arrived. */
export async function sendNode(req: NodeRequest): Promise<WireResponse> {
  let url = req.url;
  let method = req.method;
  let body = req.body;
  let headers = lowerCased(req.headers);
  for (let hop = 0; ; hop++) {
    const answer = await exchange(url, method, headers, req.chunks ?? body, req.signal);
    const location = answer.headers.get('location');
    if (!REDIRECTS.has(answer.status) || location === null || req.redirect === 'manual') return answer;
    await answer.body?.cancel();
    if (req.redirect === 'error' || req.chunks) throw failed(new Error('unexpected redirect'));
    if (hop >= MAX_REDIRECTS) throw failed(new Error('redirect count exceeded'));
    let next: URL;
    try {
      next = new URL(location, url);
    } catch (error) {
      throw failed(error);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw failed(new Error(`URL scheme must be a HTTP(S) scheme (redirect to ${next.protocol})`));
    if ((answer.status === 303 && method !== 'HEAD') || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = without(headers, BODY_HEADERS);
    }
    if (next.origin !== new URL(url).origin) headers = without(headers, CROSS_ORIGIN_DROPPED);
    url = next.href;
  }
}

/** One request and its answer's head; the body is read through the answer. */
async function exchange(url: string, method: string, headers: Record<string, string>, body: Uint8Array | string | AsyncIterable<Uint8Array> | undefined, signal: AbortSignal): Promise<WireResponse> {
  const target = new URL(url);
  // TLS loads only for an https:// target (csp publish to a local registry never needs it).
  const transport = target.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise<WireResponse>((resolve, reject) => {
    let outgoing: http.ClientRequest;
    try {
      outgoing = transport.request(target, { method, headers, signal });
    } catch (error) {
      // Invalid header values and the like, as fetch reports them.
      reject(failed(error));
      return;
    }
    let answered = false;
    outgoing.on('error', (error) => reject(failed(error)));
    outgoing.on('response', (incoming) => {
      answered = true;
      // An early answer (e.g. 401 before a streamed body was read) ends the upload; the connection is not reused.
      incoming.on('close', () => {
        if (!outgoing.writableEnded) outgoing.destroy();
      });
      resolve(answerOf(incoming, url, method));
    });
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
      outgoing.end(body);
      return;
    }
    void writeBody(outgoing, body, () => answered).then(
      () => {
        if (!answered) outgoing.end();
      },
      (error: unknown) => {
        if (answered) return;
        outgoing.destroy();
        reject(failed(error));
      },
    );
  });
}

/** Writes every chunk and waits until it is flushed before taking the next (the source may reuse its buffer). */
async function writeBody(outgoing: http.ClientRequest, chunks: AsyncIterable<Uint8Array>, answered: () => boolean): Promise<void> {
  for await (const chunk of chunks) {
    if (outgoing.destroyed || answered()) return;
    await new Promise<void>((resolve, reject) => {
      outgoing.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  }
}

function answerOf(incoming: http.IncomingMessage, url: string, method: string): WireResponse {
  const status = incoming.statusCode ?? 0;
  const headers: HeaderMap = {
    get(name) {
      const value = incoming.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
  const empty = method === 'HEAD' || status === 204 || status === 304;
  if (empty) incoming.resume();
  return { status, ok: status >= 200 && status < 300, url, headers, body: empty ? null : bodyOf(incoming) };
}

function bodyOf(incoming: http.IncomingMessage): WireBody {
  const cancel = async (): Promise<void> => {
    incoming.destroy();
  };
  return {
    getReader() {
      const chunks = incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      return {
        async read() {
          try {
            const next = await chunks.next();
            return next.done ? { done: true } : { done: false, value: next.value };
          } catch (error) {
            throw failed(error);
          }
        },
        cancel,
      };
    },
    cancel,
  };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function without(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k)));
}

/** A failure as fetch reports it: TypeError('fetch failed') with the real error as its cause. */
function failed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}
