/**
 * Streamed request bodies (large blob uploads): the idle timer is touched per chunk the connection takes, and
 * an injected fetch (which may hold a chunk after pulling the next) gets copies. core/http-node.ts writes each
 * chunk and waits until it is flushed before pulling the next, so a body source may reuse one buffer.
 */

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
