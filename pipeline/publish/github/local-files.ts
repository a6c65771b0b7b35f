/** Reads the files to attach, checks their names and computes size and sha256 up front. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { UserInputError } from '../../core/errors.js';
import type { GithubReleaseFile } from './types.js';

/** A file ready to upload: bytes are kept in memory so a retried request can resend them. */
export interface LocalAsset {
  name: string;
  path: string;
  bytes: Buffer;
  size: number;
  sha256: string;
  contentType: string;
}

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Loads every file (reporting all bad names and missing files at once), sorted by name. */
export async function readLocalAssets(files: GithubReleaseFile[]): Promise<LocalAsset[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  if (files.length === 0) problems.push('no files to attach');
  for (const f of files) {
    // GitHub silently renames other characters to "." (upstream-and-ci.md §6); CSO would not find the file.
    if (!SAFE_NAME.test(f.name) || f.name.endsWith('.')) problems.push(`asset name ${JSON.stringify(f.name)} must match [A-Za-z0-9._-] and not start or end with "."`);
    if (seen.has(f.name)) problems.push(`asset name ${f.name} is given twice`);
    seen.add(f.name);
  }
  const assets: LocalAsset[] = [];
  for (const f of files) {
    try {
      const bytes = await fs.readFile(f.path);
      const sha256 = sha256Hex(bytes);
      // The bundle's own files are checked against its manifest here, as they are read (release-source.ts
      // leaves a file hard-linked to its layout blob to its readers).
      if (f.sha256 !== undefined && f.sha256 !== sha256) problems.push(`${f.path} changed after the build (sha256 ${sha256}, the bundle manifest says ${f.sha256}); run csp build again`);
      assets.push({ name: f.name, path: f.path, bytes, size: bytes.length, sha256, contentType: contentTypeFor(f.name) });
    } catch (error) {
      problems.push(`cannot read ${f.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  if (problems.length > 0) {
    throw new UserInputError('GITHUB_ASSETS_INVALID', `release assets: ${problems.join('; ')}`, {
      details: 'Build the bundle first (csp build) and pass its files; asset names are the file names CSO looks for.',
    });
  }
  return assets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Lower-case hex sha256. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The Content-Type sent with an upload (GitHub requires one; Octokit would otherwise send JSON's). */
export function contentTypeFor(name: string): string {
  if (/\.(tgz|tar\.gz)$/.test(name)) return 'application/gzip';
  if (/\.ya?ml$/.test(name)) return 'application/yaml';
  if (name.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}
