/**
 * Deterministic tar writer in the layout Go's archive/tar gives Helm and csctl: ustar headers (long ASCII
 * names split into prefix/name), a per-file PAX header only when a name cannot fit, fixed mtime/uid/gid/modes,
 * entries in the order given, two zero blocks at the end and no padding to a 10240-byte record.
 */
import { createHash } from 'node:crypto';
import { InternalError, UserInputError } from '../core/errors.js';
import { CHUNK_BYTES, checkUnchanged, fileChunks, loadStored, type StoredFile } from '../core/stored-file.js';

/** One entry to write; `path` is `/`-separated and relative (a directory may end in `/`). */
export interface TarEntry {
  path: string;
  type: 'file' | 'directory';
  /** File content (ignored for directories). */
  data?: Uint8Array;
  /** Instead of `data`: a large file on disk, its bytes from `offset` on (3 after a byte-order mark Helm drops). */
  stored?: StoredFile;
  offset?: number;
  /** Defaults: 0o644 for files, 0o755 for directories. */
  mode?: number;
}

export interface TarWriteOptions {
  /** Seconds since the epoch written into every header (default 0); never the clock. */
  mtime?: number;
}

const BLOCK = 512;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Octal field as Go writes it: zero-padded to width-1 digits, NUL-terminated. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  const text = value.toString(8).padStart(width - 1, '0');
  if (text.length > width - 1) throw new InternalError('TAR_FIELD_OVERFLOW', `tar field value ${value} does not fit ${width} bytes`);
  header.write(`${text}\0`, offset, width, 'ascii');
}

/** Go's `splitUSTARPath`: split an ASCII name longer than 100 bytes at a `/` into prefix (≤155) and name (≤100). */
function splitUstar(name: string): [string, string] | undefined {
  if (name.length <= 100 || !isAscii(name)) return undefined;
  let length = name.length;
  if (length > 156) length = 156;
  else if (name.endsWith('/')) length -= 1;
  const i = name.slice(0, length).lastIndexOf('/');
  const suffixLength = name.length - i - 1;
  if (i <= 0 || suffixLength > 100 || suffixLength === 0 || i > 155) return undefined;
  return [name.slice(0, i), name.slice(i + 1)];
}

function checkPath(name: string): void {
  const parts = name.replace(/\/$/, '').split('/');
  if (name.length === 0 || name.startsWith('/') || parts.some((p) => p === '..' || p === '') || name.includes('\0')) {
    throw new UserInputError('TAR_UNSAFE_PATH', `refusing to write tar entry ${JSON.stringify(name)}`, {
      details: 'Archive entries must be relative paths without empty, `..` or NUL segments.',
    });
  }
}

function header(name: string, prefix: string, size: number, mode: number, mtime: number, typeflag: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum counted as spaces
  h.write(typeflag, 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii'); // POSIX magic + version "00"
  // uname/gname stay empty; Go writes device numbers as zero octal fields.
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  h.write(prefix, 345, 155, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** One PAX record `"<len> key=value\n"`, where len counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return `${len}${body}`;
}

/** Zero bytes after `size` bytes of content, up to the next 512-byte block. */
function padLength(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

function pad(size: number): Buffer {
  return Buffer.alloc(padLength(size));
}

/** ASCII stand-in for a name in the ustar field when the real name travels in a PAX record (as Go does). */
function asciiFallback(name: string): string {
  return Array.from(name, (c) => (isAscii(c) ? c : '_')).join('').slice(0, 100);
}

/** Header blocks of one entry (PAX header first when needed) and its content size. */
function entryHead(entry: TarEntry, mtime: number): { head: Buffer[]; size: number } {
  const dir = entry.type === 'directory';
  const name = dir && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  checkPath(name);
  const size = dir ? 0 : entry.stored ? entry.stored.size - (entry.offset ?? 0) : (entry.data?.byteLength ?? 0);
  const mode = entry.mode ?? (dir ? 0o755 : 0o644);
  const head: Buffer[] = [];
  let ustarName = name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100 || !isAscii(name)) {
    const split = splitUstar(name);
    if (split) {
      [prefix, ustarName] = split;
    } else {
      const pax = Buffer.from(paxRecord('path', name), 'utf8');
      const base = name.replace(/\/$/, '').split('/').pop() ?? '';
      const parent = name.replace(/\/$/, '').split('/').slice(0, -1).join('/');
      const paxName = asciiFallback(parent ? `${parent}/PaxHeaders.0/${base}` : `PaxHeaders.0/${base}`);
      head.push(header(paxName, '', pax.length, 0o644, mtime, 'x'), pax, pad(pax.length));
      ustarName = asciiFallback(name);
    }
  }
  head.push(header(ustarName, prefix, size, mode, mtime, dir ? '5' : '0'));
  return { head, size };
}

/** A file's content without copying: a view of `data`, or a stored file read whole (buffered path only). */
function contentOf(entry: TarEntry): Buffer {
  if (entry.type === 'directory') return Buffer.alloc(0);
  if (entry.stored) return loadStored(entry.stored).subarray(entry.offset ?? 0);
  const source = entry.data ?? new Uint8Array();
  return Buffer.from(source.buffer, source.byteOffset, source.byteLength);
}

/** Writes a complete tar archive in memory: the entries in the given order, then two zero blocks. */
export function writeTar(entries: readonly TarEntry[], options: TarWriteOptions = {}): Buffer {
  const mtime = options.mtime ?? 0;
  const chunks: Buffer[] = [];
  for (const entry of entries) {
    const { head, size } = entryHead(entry, mtime);
    // A view, not a copy: archives of large payloads would otherwise hold every file twice.
    const data = contentOf(entry);
    if (data.length !== size) throw new InternalError('TAR_SIZE_MISMATCH', `tar entry ${entry.path}: ${data.length} bytes, header says ${size}`);
    chunks.push(...head, data, pad(size));
  }
  chunks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(chunks);
}

/** A stored file's bytes from `skip` on, chunk by chunk (fresh buffers); throws at the end if it changed since planning. */
function* storedChunks(stored: StoredFile, skip: number): Generator<Buffer> {
  const hash = createHash('sha256');
  let seen = 0;
  for (const chunk of fileChunks(stored.file, { fresh: true })) {
    hash.update(chunk);
    const start = Math.max(0, skip - seen);
    seen += chunk.length;
    if (seen > stored.size) break;
    if (start < chunk.length) yield chunk.subarray(start);
  }
  // Whatever was yielded lands in a temporary file that the caller discards when this throws.
  checkUnchanged(stored, seen, hash.digest('hex'));
}

/** The length in bytes of `writeTar(entries)` (and of `tarChunks(entries)`), without reading any content. */
export function tarSize(entries: readonly TarEntry[], options: TarWriteOptions = {}): number {
  const mtime = options.mtime ?? 0;
  let total = 2 * BLOCK;
  for (const entry of entries) {
    const { head, size } = entryHead(entry, mtime);
    for (const h of head) total += h.length;
    total += size + padLength(size);
  }
  return total;
}

/**
 * The same archive as `writeTar`, byte for byte, as a sequence of chunks: stored files are read in 1 MiB chunks
 * (checked against their planned SHA-256 once streamed), small ones are passed as views. Memory stays bounded
 * by the chunk size whatever the payload.
 */
export function* tarChunks(entries: readonly TarEntry[], options: TarWriteOptions = {}): Generator<Buffer> {
  const mtime = options.mtime ?? 0;
  for (const entry of entries) {
    const { head, size } = entryHead(entry, mtime);
    yield* head;
    if (entry.type === 'file' && entry.stored) {
      yield* storedChunks(entry.stored, entry.offset ?? 0);
    } else if (size > 0) {
      const data = contentOf(entry);
      for (let at = 0; at < data.length; at += CHUNK_BYTES) yield data.subarray(at, at + CHUNK_BYTES);
    }
    if (size % BLOCK !== 0) yield pad(size);
  }
  yield Buffer.alloc(2 * BLOCK);
}
