/**
 * Sending a streamed request body (large blob uploads) with node:http(s) instead of fetch: each chunk is
 * written and flushed to the socket before the next one is pulled, so a body source may reuse one buffer
 * (no garbage per chunk, flat memory for any body size). The answer comes back as a web `Response`, so
 * core/http applies the same limits, timers and checks to it as to a fetch answer.
 */
import http from 'node:http';
import { Readable } from 'node:stream';

/** A streamed request for `sendStreamed`; `chunks` are used only until the next one is pulled. */
export interface StreamedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  chunks: AsyncIterable<Uint8Array>;
  signal: AbortSignal;
}

/**
 * Sends the request and resolves with the answer once its head arrived. Like fetch with `redirect: 'error'`,
 * a redirect (which could not resend the stream) rejects as a failed request ("unexpected redirect").
 */
export async function sendStreamed(req: StreamedRequest): Promise<Response> {
  const target = new URL(req.url);
  // TLS loads only for an https:// target (csp publish to a local registry never needs it).
  const transport = target.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise<Response>((resolve, reject) => {
    const fail = (cause: unknown): void => reject(new TypeError('fetch failed', { cause }));
    const outgoing = transport.request(target, { method: req.method, headers: req.headers, signal: req.signal });
    let answered = false;
    outgoing.on('error', fail);
    outgoing.on('response', (incoming) => {
      answered = true;
      // An early answer (e.g. 401 before the body was read) ends the upload; the connection is not reused.
      incoming.on('close', () => {
        if (!outgoing.writableEnded) outgoing.destroy();
      });
      const status = incoming.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status) && incoming.headers.location) {
        incoming.destroy();
        fail(new Error('unexpected redirect'));
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      }
      try {
        const empty = status === 204 || status === 304 || req.method === 'HEAD';
        if (empty) incoming.resume();
        resolve(new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), { status, statusText: incoming.statusMessage ?? '', headers }));
      } catch (error) {
        incoming.destroy();
        fail(error);
      }
    });
    void writeBody(outgoing, req.chunks, () => answered).then(
      () => {
        if (!answered) outgoing.end();
      },
      (error: unknown) => {
        if (answered) return;
        outgoing.destroy();
        fail(error);
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

/** Passes a streamed body through, touching the idle timer per chunk taken and calling `sent` once all is taken. */
export async function* pulled(chunks: AsyncIterable<Uint8Array>, touch: () => void, sent: () => void): AsyncIterable<Uint8Array> {
  touch();
  for await (const chunk of chunks) {
    yield chunk;
    touch();
  }
  // Sent: the server may take a while to store it before answering (the deadline still applies).
  sent();
}

/** Copies of the chunks, for consumers that may hold a chunk after pulling the next (fetch). */
export async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) yield chunk.slice();
}
