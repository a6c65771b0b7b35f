/**
 * A strict tar reader for chart archives: ustar, PAX per-file and global headers, GNU long names. Refuses
 * links, devices and unsafe paths, and enforces size limits, so an archive from outside cannot escape or explode.
 */
import { gunzipSync } from 'node:zlib';
import { UserInputError } from './errors.js';

/** A regular file or directory read from an archive; `path` has no leading `./` and no trailing `/`. */
export interface TarReadEntry {
  path: string;
  type: 'file' | 'directory';
  data: Buffer;
  mode: number;
  mtime: number;
}

/** Limits against hostile archives. */
export interface TarReadLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

/** Defaults sized for Helm charts (cilium's chart is about 1 MB unpacked). */
export const defaultTarLimits: TarReadLimits = { maxEntries: 20_000, maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

const BLOCK = 512;

function fail(code: string, message: string, details: string, source: string): never {
  throw new UserInputError(code, `${source}: ${message}`, { details, location: { file: source } });
}

function cstring(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? slice.length : end).toString('utf8');
}

/** Numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function numeric(buf: Buffer, start: number, length: number): number {
  const first = buf[start] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i += 1) value = value * 256 + (buf[i] ?? 0);
    return value;
  }
  const text = cstring(buf, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = numeric(h, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i += 1) {
    const b = i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function parsePax(body: Buffer, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const len = space < 0 ? NaN : Number(body.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > body.length) {
      fail('TAR_CORRUPT', 'malformed PAX record', 'The archive is damaged; re-create it with helm package.', source);
    }
    const record = body.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

/** Normalises and checks a path: relative, no `..`, no empty segments once `./` and trailing `/` go. */
function safePath(raw: string, source: string): string {
  const name = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const parts = name.split('/');
  if (name === '' || raw.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || parts.some((p) => p === '..' || p === '' || p === '.')) {
    fail('TAR_UNSAFE_PATH', `entry ${JSON.stringify(raw)} has an unsafe path`, 'Archives may only hold relative paths without `..`; do not use this archive.', source);
  }
  return name;
}

const refused: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
};

/** Reads every entry of an uncompressed tar archive; `source` names it in errors. */
export function readTar(data: Buffer, source = 'archive', limits: TarReadLimits = defaultTarLimits): TarReadEntry[] {
  const entries: TarReadEntry[] = [];
  let offset = 0;
  let total = 0;
  let pax: Record<string, string> = {};
  let global: Record<string, string> = {};
  let gnuName: string | undefined;
  while (offset + BLOCK <= data.length) {
    const h = data.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    if (!checksumOk(h)) fail('TAR_CORRUPT', `bad header checksum at byte ${offset}`, 'The archive is damaged or not a tar file.', source);
    const type = String.fromCharCode(h[156] ?? 0);
    const size = Number(pax.size ?? numeric(h, 124, 12));
    if (!Number.isSafeInteger(size) || size < 0 || size > limits.maxEntryBytes) {
      fail('TAR_TOO_LARGE', `an entry of ${size} bytes exceeds the ${limits.maxEntryBytes}-byte limit`, 'Keep chart archives small; large binaries do not belong in charts.', source);
    }
    const bodyStart = offset + BLOCK;
    if (bodyStart + size > data.length) fail('TAR_CORRUPT', 'archive ends inside an entry', 'The archive is truncated; download it again.', source);
    const body = data.subarray(bodyStart, bodyStart + size);
    offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;
    total += size;
    if (total > limits.maxTotalBytes) {
      fail('TAR_TOO_LARGE', `content exceeds the ${limits.maxTotalBytes}-byte limit`, 'The archive unpacks to too much data (a gzip or tar bomb?).', source);
    }
    if (type === 'x') {
      pax = { ...global, ...parsePax(body, source) };
      continue;
    }
    if (type === 'g') {
      global = { ...global, ...parsePax(body, source) };
      pax = { ...global };
      continue;
    }
    if (type === 'L') {
      gnuName = body.toString('utf8').replace(/\0[\s\S]*$/, '');
      continue;
    }
    if (type === 'K') continue; // GNU long link name: the link itself is refused below
    const ustarPrefix = h.subarray(257, 263).toString('ascii') === 'ustar\0' ? cstring(h, 345, 155) : '';
    const headerName = ustarPrefix ? `${ustarPrefix}/${cstring(h, 0, 100)}` : cstring(h, 0, 100);
    const rawName = pax.path ?? gnuName ?? headerName;
    const mtime = Number(pax.mtime ?? numeric(h, 136, 12));
    pax = { ...global };
    gnuName = undefined;
    if (refused[type]) {
      fail('TAR_UNSUPPORTED_ENTRY', `entry ${JSON.stringify(rawName)} is a ${refused[type]}`, 'Only regular files and directories are accepted (CSO refuses links too); replace links by real files.', source);
    }
    const isDir = type === '5';
    const isFile = type === '0' || type === '\0' || type === '7';
    if (!isDir && !isFile) {
      fail('TAR_UNSUPPORTED_ENTRY', `entry ${JSON.stringify(rawName)} has unsupported type ${JSON.stringify(type)}`, 'Re-create the archive with helm package or csp.', source);
    }
    if (entries.length >= limits.maxEntries) {
      fail('TAR_TOO_LARGE', `more than ${limits.maxEntries} entries`, 'The archive has too many files for a chart.', source);
    }
    entries.push({ path: safePath(rawName, source), type: isDir ? 'directory' : 'file', data: Buffer.from(body), mode: numeric(h, 100, 8), mtime: Math.floor(mtime) });
  }
  return entries;
}

/** Gunzips (bounded by `maxTotalBytes`) and reads a `.tgz`. */
export function readTgz(data: Buffer, source = 'archive', limits: TarReadLimits = defaultTarLimits): TarReadEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(data, { maxOutputLength: limits.maxTotalBytes + 1024 * 1024 });
  } catch (error) {
    const tooBig = error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    fail(
      tooBig ? 'TAR_TOO_LARGE' : 'TAR_CORRUPT',
      tooBig ? 'archive unpacks beyond the size limit' : 'not a gzip file',
      tooBig ? 'The archive unpacks to too much data (a gzip bomb?).' : 'Expected a .tgz produced by helm package.',
      source,
    );
  }
  return readTar(tar, source, limits);
}
