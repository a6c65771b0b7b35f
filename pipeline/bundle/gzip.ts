/**
 * Reproducible gzip with a hand-written header (Node's zlib cannot set FEXTRA/FCOMMENT): the `helm` variant
 * copies `helm package` (rendering-and-capi.md §2.8), `plain` is a bare header. Deflate is zlib at a
 * level fixed by the input's size (`deflateLevelFor`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw, crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';
import { InternalError } from '../core/errors.js';
import type { StoredFile } from '../core/stored-file.js';

/** `helm`: FEXTRA + FCOMMENT "Helm" like helm/helm pkg/chartutil/save.go; `plain`: no optional fields. */
export type GzipVariant = 'helm' | 'plain';

/**
 * Helm's gzip extra field. The spec calls it 40 bytes; Helm's source and every Helm-made fixture carry
 * 41 (`+` and 40 base64 characters, XLEN 0x29), so 41 it is.
 */
export const helmGzipExtra = Buffer.from('+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=', 'ascii');

/** Deflate level of every archive whose tar is smaller than `largeArchiveBytes` (all charts seen so far). */
export const gzipLevel = 9;

/** Deflate level from `largeArchiveBytes` of tar on: Helm's own (Go's DefaultCompression), as `gzip`/`tar czf`. */
export const largeGzipLevel = 6;

/**
 * Tar size from which an archive is deflated at `largeGzipLevel`: on a 200 MiB payload level 9 costs 3.7×
 * level 6 for 1 % less output (docs/performance.md). A constant, so the level is a pure function of the
 * input and builds stay reproducible; every chart below it keeps the bytes it always had.
 */
export const largeArchiveBytes = 16 * 1024 * 1024;

/** The fixed deflate level for an input of `bytes` (see `largeArchiveBytes`). */
export function deflateLevelFor(bytes: number): number {
  return bytes < largeArchiveBytes ? gzipLevel : largeGzipLevel;
}

const FEXTRA = 0x04;
const FCOMMENT = 0x10;
const OS_UNKNOWN = 255;

/** CRC-32 (IEEE, as in the gzip trailer), by zlib (Node ≥ 20.15): ~100× the byte loop it replaced. */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}

/** gzip header: MTIME 0, XFL 0 (Go's value for its default level), OS 255, optional extra and comment. */
function gzipHeader(variant: GzipVariant): Buffer {
  const flags = variant === 'helm' ? FEXTRA | FCOMMENT : 0;
  const fixed = Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, OS_UNKNOWN]);
  if (variant === 'plain') return fixed;
  const xlen = Buffer.alloc(2);
  xlen.writeUInt16LE(helmGzipExtra.length);
  return Buffer.concat([fixed, xlen, helmGzipExtra, Buffer.from('Helm\0', 'latin1')]);
}

/** Compresses `data` into a complete gzip member: header, raw deflate, CRC-32 and ISIZE (little-endian). */
export function gzip(data: Uint8Array, variant: GzipVariant = 'plain'): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([gzipHeader(variant), deflateRawSync(data, { level: deflateLevelFor(data.length) }), trailer]);
}

/**
 * `gzip(concat(chunks), variant)` written to `file` without holding the input or the output: the chunks stream
 * through one zlib deflate stream at the same level (no flushes, so the raw deflate bytes equal
 * deflateRawSync's), CRC-32 and size are summed as they pass, the SHA-256 of the output as it is written.
 * `inputBytes` is the total length of the chunks (it picks the level before the first byte); a stream of
 * another length is an internal error.
 */
export async function gzipToFile(chunks: Iterable<Uint8Array>, inputBytes: number, file: string, variant: GzipVariant = 'plain'): Promise<StoredFile> {
  const out = await fs.open(file, 'wx', 0o644);
  try {
    const hash = createHash('sha256');
    let size = 0;
    const put = async (b: Uint8Array): Promise<void> => {
      hash.update(b);
      size += b.length;
      await out.write(b);
    };
    await put(gzipHeader(variant));
    let crc = 0;
    let isize = 0;
    const counted = function* (): Generator<Uint8Array> {
      for (const chunk of chunks) {
        crc = zlibCrc32(chunk, crc);
        isize = (isize + chunk.length) % 2 ** 32;
        yield chunk;
      }
    };
    await pipeline(
      Readable.from(counted(), { objectMode: false, highWaterMark: 1024 * 1024 }),
      createDeflateRaw({ level: deflateLevelFor(inputBytes) }),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          put(chunk).then(() => done(), done);
        },
      }),
    );
    if (isize !== inputBytes % 2 ** 32) throw new InternalError('GZIP_SIZE_MISMATCH', `gzip input was ${isize} bytes, ${inputBytes} announced`);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(isize, 4);
    await put(trailer);
    return { file, size, sha256: hash.digest('hex'), scratch: true };
  } catch (error) {
    await out.close().catch(() => undefined);
    await fs.rm(file, { force: true });
    throw error;
  } finally {
    await out.close().catch(() => undefined);
  }
}
