/**
 * Pushing blobs: skip when present, try cross-repository mounts, else upload (POST + monolithic PUT, a file
 * streamed in one PUT, or in-order PATCH chunks following the newest Location). A failed session is cancelled and restarted from POST.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { PipelineError, UpstreamError, UserInputError } from '../../core/errors.js';
import type { HttpResponse, StreamBody } from '../../core/http.js';
import { blobExists } from './blobs.js';
import { registryError, registryErrorCode, scopesFor, type RepositoryTarget } from './client.js';
import { assertDigest, sha256Digest } from './digest.js';
import type { BlobInput } from './types.js';

/** What happened to one blob. */
export type BlobAction = 'skipped' | 'uploaded' | 'mounted';

/** Result of pushing one blob; `bytesSent` counts body bytes handed to the network, retries included. */
export interface BlobPushResult {
  digest: string;
  size: number;
  action: BlobAction;
  bytesSent: number;
  /** Upload sessions started (more than 1 means a session failed and was restarted). */
  sessions: number;
}

/** Options for one blob push. */
export interface PushBlobOptions {
  /** Repositories on the same registry to mount the blob from, tried in order. */
  mountFrom?: string[];
  /** Skip the existence check (the caller just did it). */
  knownMissing?: boolean;
  /** Called once the blob's first bytes are out (see Counter; again for a restarted session), or when it was mounted. */
  onStreaming?: () => void;
}

/** Bytes read (and sent) per chunk of a streamed file. */
const STREAM_CHUNK = 1 << 20;

/**
 * Body bytes handed to the network in one session; `onFirst` is called once the first of them are out: a
 * streamed body's first chunk written to the socket, a chunked upload's first PATCH answered, a whole body sent.
 */
interface Counter {
  sent: number;
  onFirst?: () => void;
}

/** Calls `onFirst` the first time (per session) bytes are out. */
function firstOut(counter: Counter): void {
  const onFirst = counter.onFirst;
  counter.onFirst = undefined;
  onFirst?.();
}

/** A session step failed in a way a fresh session may fix (5xx, 429, dropped connection, lost upload). */
class SessionFailed extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

/** Pushes one blob unless the repository already has it. */
export async function pushBlob(repo: RepositoryTarget, blob: BlobInput, options: PushBlobOptions = {}): Promise<BlobPushResult> {
  const { digest, size } = blob.descriptor;
  assertDigest(digest);
  if (!options.knownMissing && (await blobExists(repo, digest))) return { digest, size, action: 'skipped', bytesSent: 0, sessions: 0 };
  await checkSource(blob);
  let location: string | undefined;
  for (const from of options.mountFrom ?? []) {
    if (location) await cancel(repo, location);
    const mounted = await tryMount(repo, digest, from);
    if (mounted === true) {
      options.onStreaming?.();
      return { digest, size, action: 'mounted', bytesSent: 0, sessions: 0 };
    }
    location = mounted ?? undefined;
  }
  const { attempts, backoffMs } = { attempts: repo.client.options.uploadAttempts, backoffMs: repo.client.options.backoffMs };
  let bytesSent = 0;
  let failure: SessionFailed | undefined;
  for (let session = 1; session <= attempts; session++) {
    if (failure) {
      await repo.client.sleep(failure.retryAfterMs ?? backoffMs * 2 ** (session - 2));
      // The dropped request may have completed on the registry's side.
      if (await blobExists(repo, digest)) return { digest, size, action: 'uploaded', bytesSent, sessions: session - 1 };
    }
    const start = location ?? (await startUpload(repo));
    location = undefined;
    const counter = { sent: 0, onFirst: options.onStreaming };
    try {
      await uploadInSession(repo, blob, start, counter);
      return { digest, size, action: 'uploaded', bytesSent: bytesSent + counter.sent, sessions: session };
    } catch (error) {
      bytesSent += counter.sent;
      if (!(error instanceof SessionFailed)) throw error;
      failure = error;
    }
  }
  throw new UpstreamError('OCI_UPLOAD_FAILED', `uploading blob ${digest.slice(0, 19)} to ${repo.client.registry}/${repo.name} failed ${attempts} times: ${failure?.reason}`, {
    url: repo.client.baseUrl,
    retriable: true,
    details: 'The registry kept failing or dropping the upload; each attempt started a fresh session. Retry later or check the registry logs.',
  });
}

async function checkSource(blob: BlobInput): Promise<void> {
  const { digest, size } = blob.descriptor;
  if ('bytes' in blob.source) {
    const actual = sha256Digest(blob.source.bytes);
    if (blob.source.bytes.length !== size || actual !== digest) throw mismatch(digest, `${actual} (${blob.source.bytes.length} bytes)`);
    return;
  }
  const file = blob.source.path;
  const stat = await fs.stat(file).catch((error: unknown) => {
    throw new UserInputError('OCI_BLOB_SOURCE_MISSING', `cannot read blob file ${file}`, { details: 'Build the bundle again; a file it lists is gone.', cause: error });
  });
  if (stat.size !== size) throw mismatch(digest, `${stat.size} bytes instead of ${size}`);
}

function mismatch(digest: string, actual: string): UserInputError {
  return new UserInputError('OCI_BLOB_MISMATCH', `blob content does not match its descriptor ${digest.slice(0, 19)}: got ${actual}`, {
    details: 'The file changed after the bundle manifest was built; rebuild the bundle.',
  });
}

/** `true` when mounted; an upload location when the registry started an upload instead; null when refused. */
async function tryMount(repo: RepositoryTarget, digest: string, from: string): Promise<true | string | null> {
  const url = `/v2/${repo.name}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
  const res = await repo.client.send({ url, method: 'POST', scopes: [...scopesFor(repo, 'push'), `repository:${from}:pull`] });
  if (res.status === 201) return true;
  if (res.status === 202) return locationOf(res);
  // A token without pull on the source repository gets 401 on 2.8.2: fall back to uploading.
  if (res.status === 401 || res.status === 403 || res.status === 404) return null;
  throw await registryError(repo.client, res, `mounting ${digest.slice(0, 19)} from ${from}`);
}

async function startUpload(repo: RepositoryTarget): Promise<string> {
  const url = `/v2/${repo.name}/blobs/uploads/`;
  const res = await repo.client.send({ url, method: 'POST', scopes: scopesFor(repo, 'push') });
  if (res.status === 202) return locationOf(res);
  throw await registryError(repo.client, res, `starting an upload to ${repo.name}`);
}

async function uploadInSession(repo: RepositoryTarget, blob: BlobInput, start: string, counter: Counter): Promise<void> {
  const { digest, size } = blob.descriptor;
  const { chunkSize, chunkThreshold } = repo.client.options;
  let location = start;
  try {
    if (size <= chunkThreshold) {
      const bytes = 'bytes' in blob.source ? blob.source.bytes : await fs.readFile(blob.source.path);
      if (sha256Digest(bytes) !== digest) throw mismatch(digest, sha256Digest(bytes));
      await finish(repo, location, digest, bytes, counter);
      firstOut(counter);
      return;
    }
    if ('path' in blob.source && repo.client.options.streamUploads) {
      await finish(repo, location, digest, streamFile(blob.source.path, size, digest, counter), counter);
      return;
    }
    const hash = crypto.createHash('sha256');
    const handle = 'path' in blob.source ? await fs.open(blob.source.path, 'r') : undefined;
    try {
      for (let offset = 0; offset < size; offset += chunkSize) {
        const length = Math.min(chunkSize, size - offset);
        let chunk: Uint8Array;
        if (handle) {
          chunk = Buffer.alloc(length);
          const { bytesRead } = await handle.read(chunk, 0, length, offset);
          if (bytesRead !== length) throw mismatch(digest, 'a shorter file');
        } else {
          chunk = (blob.source as { bytes: Uint8Array }).bytes.subarray(offset, offset + length);
        }
        hash.update(chunk);
        location = await patchChunk(repo, location, chunk, offset, counter);
        firstOut(counter);
      }
    } finally {
      await handle?.close();
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== digest) throw mismatch(digest, actual);
    await finish(repo, location, digest, new Uint8Array(0), counter);
  } catch (error) {
    await cancel(repo, location);
    throw error;
  }
}

async function patchChunk(repo: RepositoryTarget, location: string, chunk: Uint8Array, offset: number, counter: Counter): Promise<string> {
  const end = offset + chunk.length - 1;
  counter.sent += chunk.length;
  const res = await step(repo, {
    url: location,
    method: 'PATCH',
    headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${end}` },
    body: chunk,
  });
  if (res.status !== 202) throw await sessionError(repo, res, `uploading bytes ${offset}-${end}`);
  const range = res.headers.get('range');
  if (range && range !== `0-${end}`) throw new SessionFailed(`registry holds ${range} after sending up to byte ${end}`);
  return res.headers.get('location') ? locationOf(res) : location;
}

async function finish(repo: RepositoryTarget, location: string, digest: string, body: Uint8Array | SizedStream, counter: Counter): Promise<void> {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (body instanceof Uint8Array) counter.sent += body.length;
  else headers['content-length'] = String(body.size);
  const res = await step(repo, { url: url.toString(), method: 'PUT', headers, body });
  if (res.status !== 201) throw await sessionError(repo, res, `finishing the upload of ${digest.slice(0, 19)}`);
  const stored = res.headers.get('docker-content-digest');
  if (stored && stored !== digest) {
    throw new UpstreamError('OCI_DIGEST_MISMATCH', `registry stored blob as ${stored}, expected ${digest}`, {
      url: repo.client.baseUrl,
      details: 'The registry computed a different digest for the uploaded bytes; something between corrupted them.',
    });
  }
}

/** A file streamed as a request body; counts the bytes it hands out and checks the digest before the last. */
interface SizedStream extends StreamBody {
  size: number;
}

function streamFile(file: string, size: number, digest: string, counter: Counter): SizedStream {
  return {
    size,
    async *open() {
      const hash = crypto.createHash('sha256');
      const handle = await fs.open(file, 'r');
      try {
        // One buffer for the whole file: the HTTP layer is done with a chunk before it pulls the next.
        const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(STREAM_CHUNK, size)));
        for (let read = 0; read < size; ) {
          const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - read), null);
          if (bytesRead === 0) throw mismatch(digest, `a shorter file (${read} bytes)`);
          read += bytesRead;
          const chunk = buffer.subarray(0, bytesRead);
          hash.update(chunk);
          // The last bytes go out only after the digest matched, so the registry never holds a complete wrong
          // body (the file may also have changed since it was checked: never send more than the descriptor says).
          if (read === size) {
            const { bytesRead: more } = await handle.read(Buffer.alloc(1), 0, 1, null);
            const actual = `sha256:${hash.digest('hex')}`;
            if (more > 0) throw mismatch(digest, 'a longer file');
            if (actual !== digest) throw mismatch(digest, `${actual} (${read} bytes)`);
          }
          counter.sent += bytesRead;
          yield chunk;
          // Pulled again: the consumer has written the chunk to the socket.
          firstOut(counter);
        }
      } finally {
        await handle.close();
      }
    },
  };
}

/** One session step without core/http retries: a failed step restarts the whole session. */
async function step(repo: RepositoryTarget, req: { url: string; method: string; headers: Record<string, string>; body: Uint8Array | StreamBody }): Promise<HttpResponse> {
  try {
    return await repo.client.send({ ...req, scopes: scopesFor(repo, 'push'), retries: 0, timeoutMs: 300_000 });
  } catch (error) {
    // A streamed file that changed while being sent surfaces as a failed fetch: report the real cause.
    for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
      if (e instanceof UserInputError && e.code === 'OCI_BLOB_MISMATCH') throw e;
    }
    if (error instanceof PipelineError && error.code !== 'HTTP_UNREACHABLE') throw error;
    throw new SessionFailed(`${req.method} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function sessionError(repo: RepositoryTarget, res: HttpResponse, what: string): Promise<Error> {
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : undefined;
  if (res.status === 408 || res.status === 429 || res.status >= 500) return new SessionFailed(`${what}: ${res.status}`, retryAfterMs);
  const { code } = await registryErrorCode(res);
  if (res.status === 416 || code === 'BLOB_UPLOAD_UNKNOWN' || code === 'BLOB_UPLOAD_INVALID') return new SessionFailed(`${what}: ${res.status} ${code ?? ''}`.trim());
  return registryError(repo.client, res, `${what} in ${repo.name}`);
}

async function cancel(repo: RepositoryTarget, location: string): Promise<void> {
  await repo.client.send({ url: location, method: 'DELETE', scopes: scopesFor(repo, 'push'), retries: 0, timeoutMs: 10_000 }).catch(() => undefined);
}

function locationOf(res: HttpResponse): string {
  const location = res.headers.get('location');
  if (!location) {
    throw new UpstreamError('OCI_LOCATION_MISSING', `the registry started an upload without a Location header`, {
      url: res.url,
      details: 'The registry does not follow the distribution spec; report it to its operator.',
    });
  }
  // Relative Locations resolve against the URL that answered (2.8.2 sends absolute ones).
  return new URL(location, res.url).toString();
}
