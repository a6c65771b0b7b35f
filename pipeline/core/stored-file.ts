/**
 * Large files stay on disk: a stack file above LARGE_FILE_BYTES (a vendored binary beside manifests) is carried
 * through planning, rendering and packaging as its path, size and SHA-256, and its bytes are streamed where they
 * are needed (packaging) instead of being held in memory by every stage.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import fs from 'node:fs/promises';
import { UserInputError } from './errors.js';

/** Files at least this large are read lazily and streamed (smaller ones are read whole, as before). */
export const LARGE_FILE_BYTES = 1024 * 1024;

/** Chunk size of every streamed read. */
export const CHUNK_BYTES = 1024 * 1024;

/** A file left on disk: absolute path, size and the SHA-256 (hex) of its bytes when it was first read. */
export interface StoredFile {
  file: string;
  size: number;
  sha256: string;
  /**
   * csp wrote this file itself, in a scratch folder of the build that is deleted afterwards: the output may
   * hard-link it instead of copying (never set for a user's file, whose later edits would reach the output).
   */
  scratch?: true;
}

/** Bytes in memory, or a large file left on disk. */
export type FileBytes = Buffer | StoredFile;

/** True for a file left on disk. */
export function isStored(bytes: FileBytes | Uint8Array): bytes is StoredFile {
  return !(bytes instanceof Uint8Array);
}

/**
 * Consecutive chunks of `file`, read synchronously: one reused buffer (copy what you keep), or a fresh buffer
 * per chunk with `fresh` (for consumers that hold chunks, e.g. a stream). Ending the loop early closes the file.
 */
export function* fileChunks(file: string, options: { fresh?: boolean } = {}): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    const shared = options.fresh ? undefined : Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const buf = shared ?? Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `each` with consecutive chunks of `file` (one reused buffer: copy what you keep), synchronously.
 * Stops early when `each` returns false. Returns the number of bytes read.
 */
export function readChunks(file: string, each: (chunk: Buffer) => boolean | void): number {
  let total = 0;
  for (const chunk of fileChunks(file)) {
    total += chunk.length;
    if (each(chunk) === false) break;
  }
  return total;
}

/** Reads `file` in chunks and returns it as a StoredFile (size and SHA-256 of what was read). */
export function storeFile(file: string): StoredFile {
  const hash = createHash('sha256');
  const size = readChunks(file, (chunk) => {
    hash.update(chunk);
  });
  return { file, size, sha256: hash.digest('hex') };
}

/** Size of the file on disk now (to choose between reading whole and storing). */
export function fileSize(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Reads a stored file whole (slow paths only: a template that reads it, a text file csctl rewrites); checks it did not change. */
export function loadStored(stored: StoredFile): Buffer {
  const parts: Buffer[] = [];
  const hash = createHash('sha256');
  readChunks(stored.file, (chunk) => {
    const copy = Buffer.from(chunk);
    parts.push(copy);
    hash.update(copy);
  });
  const data = Buffer.concat(parts);
  checkUnchanged(stored, data.length, hash.digest('hex'));
  return data;
}

/** Throws when a stored file's bytes no longer match what was planned (it changed during the command). */
export function checkUnchanged(stored: StoredFile, size: number, sha256: string): void {
  if (size !== stored.size || sha256 !== stored.sha256) {
    throw new UserInputError('FILE_CHANGED', `${stored.file} changed while csp was reading it (${stored.size} bytes, sha256 ${stored.sha256.slice(0, 12)}… when planned; now ${size} bytes, ${sha256.slice(0, 12)}…)`, {
      details: 'Do not edit stack files during a build; run the command again.',
      location: { file: stored.file },
    });
  }
}

/** csctl's text test (no NUL byte, valid UTF-8) streamed over a stored file, stopping at the first failure. */
export function isTextStored(stored: StoredFile): boolean {
  return isTextFile(stored.file);
}

/** csctl's text test (no NUL byte, valid UTF-8) streamed over a file on disk, stopping at the first failure. */
export function isTextFile(file: string): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = true;
  readChunks(file, (chunk) => {
    if (chunk.includes(0)) text = false;
    else {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        text = false;
      }
    }
    return text;
  });
  if (!text) return false;
  try {
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** Bytes of either kind in memory (a stored file is read whole: slow paths only). */
export function bytesOf(bytes: FileBytes): Buffer {
  return isStored(bytes) ? loadStored(bytes) : bytes;
}

/**
 * Gives `target` a `data` property: the bytes themselves, or for a stored file a getter that reads the file on
 * each use (never kept), and `stored` naming the file, so fast paths can stream it and others still see bytes.
 */
export function withData<T extends object>(target: T, bytes: FileBytes): T & { data: Buffer; stored?: StoredFile } {
  if (!isStored(bytes)) return Object.assign(target, { data: bytes });
  Object.defineProperty(target, 'data', { get: () => loadStored(bytes), enumerable: true, configurable: true });
  return Object.assign(target, { stored: bytes }) as T & { data: Buffer; stored?: StoredFile };
}

/** SHA-256 (hex) and size of a file, read through one reused buffer (no garbage for the allocator to keep). */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

/**
 * Puts `stored` at `target`: a hard link of a scratch file (one copy on disk for the release folder and the
 * layout blob, which csp publish then hashes once: publish/release-source.ts), a copy of anything else or
 * where a link is refused (another filesystem, a filesystem without links).
 */
export async function placeStored(stored: StoredFile, target: string): Promise<void> {
  if (stored.scratch) {
    try {
      await fs.link(stored.file, target);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    }
  }
  await fs.copyFile(stored.file, target);
}
