/**
 * csctl's content hashes (SovereignCloudStack/csctl pkg/cshash): Go `dirhash.HashDir(dir, "", Hash1)`
 * over a directory, then csctl's cleaning. Pure variants work on in-memory file lists; `hashDir` walks disk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { isOutputDir } from '../core/paths.js';

/** One file of a tree by its `/`-separated relative path and the hex SHA-256 of its content. */
export interface FileDigest {
  path: string;
  sha256: string;
}

/** One file of a tree with its bytes. */
export interface FileEntry {
  path: string;
  data: Uint8Array;
}

/** Sorts strings by UTF-8 byte order, as Go's sort.Strings does (not UTF-16 code units). */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Hex SHA-256 of some bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Go dirhash `Hash1`: `h1:` + base64(SHA-256 of the sorted `<hex>  <path>\n` summary). */
export function hash1(files: readonly FileDigest[]): string {
  const sorted = [...files].sort((a, b) => byteOrder(a.path, b.path));
  const summary = createHash('sha256');
  for (const file of sorted) {
    if (file.path.includes('\n')) {
      throw new UserInputError('DIRHASH_NEWLINE_IN_NAME', `file name ${JSON.stringify(file.path)} contains a newline`, {
        details: 'dirhash (and so csctl) cannot hash such names; rename the file.',
      });
    }
    summary.update(`${file.sha256}  ${file.path}\n`, 'utf8');
  }
  return `h1:${summary.digest('base64')}`;
}

/** `hash1` over files held in memory. */
export function hashFiles(files: readonly FileEntry[]): string {
  return hash1(files.map((f) => ({ path: f.path, sha256: sha256Hex(f.data) })));
}

/** csctl's `clean`: drop a leading `h1:`, delete `/`, `=` and `+`, lower-case (about 40–43 chars of [a-z0-9]). */
export function cleanHash(hash: string): string {
  return hash.replace(/^h1:/, '').replace(/[/=+]/g, '').toLowerCase();
}

/** csctl's `clusterAddonValues` hash: base64(SHA-256(bytes)), cleaned (no `h1:` step). */
export function hashValuesFile(data: Uint8Array): string {
  return cleanHash(createHash('sha256').update(data).digest('base64'));
}

/**
 * Lists every non-directory entry below `dir` as Go's `dirhash.DirFiles(dir, "")` does: recursive,
 * hidden files included, symlinks listed as files and not descended into, `/`-separated relative paths.
 */
export async function listDirFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        // csp's own output folders inside a stack are not part of it (csctl never sees them).
        if (!isOutputDir(path.join(dir, childRel))) await visit(childRel);
      } else out.push(childRel);
    }
  };
  await visit('');
  return out.sort(byteOrder);
}

/** Streams one file into SHA-256; refuses what Go would fail to read (directories via symlinks, pipes). */
async function digestFile(dir: string, rel: string): Promise<string> {
  const abs = path.join(dir, ...rel.split('/'));
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch (error) {
    throw new UserInputError('DIRHASH_UNREADABLE', `cannot read ${rel} below ${dir}`, {
      details: 'A dangling symbolic link breaks the hash (csctl fails too); remove it or point it at a file.',
      cause: error,
    });
  }
  if (!stat.isFile()) {
    throw new UserInputError('DIRHASH_UNREADABLE', `${rel} below ${dir} is not a regular file`, {
      details: 'csctl hashes symbolic links as files and fails on links to directories and special files; replace it with a real file.',
    });
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(abs)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `dirhash.HashDir(dir, "", Hash1)`: the raw `h1:` hash of a directory on disk (csctl before cleaning). */
export async function hashDir(dir: string): Promise<string> {
  const files = await listDirFiles(dir);
  const digests: FileDigest[] = [];
  for (const rel of files) {
    if (rel.includes('\n')) return hash1([{ path: rel, sha256: '' }]); // throws DIRHASH_NEWLINE_IN_NAME
    digests.push({ path: rel, sha256: await digestFile(dir, rel) });
  }
  return hash1(digests);
}

/** Cleaned directory hash, as csctl stores it in `hashes.json`. */
export async function hashDirClean(dir: string): Promise<string> {
  return cleanHash(await hashDir(dir));
}
