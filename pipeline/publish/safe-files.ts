/**
 * Safe unpacking of a bundle into a folder: layer titles must be plain file names (no absolute paths, no `..`,
 * no separators, no duplicates), sizes stay under limits, and nothing is written through or over a link.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UpstreamError, UserInputError } from '../core/errors.js';
import type { Descriptor } from './oci/types.js';

export const TITLE = 'org.opencontainers.image.title';

/** One file of a bundle as named by its layer. */
export interface BundleFileEntry {
  name: string;
  digest: string;
  size: number;
  mediaType: string;
}

/**
 * Checks every layer title and size; returns the files (what CSO would write, layer order). A bad
 * title or size is content the registry (or layout) sent: an upstream failure (exit 2), named by `source`.
 */
export function checkTitles(layers: Descriptor[], limits: { maxFileBytes: number; maxTotalBytes: number }, source = 'bundle'): BundleFileEntry[] {
  const seen = new Set<string>();
  let total = 0;
  const out: BundleFileEntry[] = [];
  for (const layer of layers) {
    const name = layer.annotations?.[TITLE];
    if (name === undefined) continue;
    if (!isPlainName(name)) {
      throw new UpstreamError('PULL_UNSAFE_NAME', `layer title ${JSON.stringify(name)} is not a plain file name`, {
        url: source,
        details: 'Refusing absolute paths, `..`, path separators and control characters in bundle file names.',
      });
    }
    if (seen.has(name)) throw new UpstreamError('PULL_DUPLICATE_NAME', `two layers are titled ${name}`, { url: source, details: 'CSO (oras) refuses duplicate titles too.' });
    seen.add(name);
    if (!Number.isSafeInteger(layer.size) || layer.size < 0 || layer.size > limits.maxFileBytes) {
      throw new UpstreamError('PULL_TOO_LARGE', `${name} is ${layer.size} bytes, over the limit of ${limits.maxFileBytes}`, { url: source, details: 'Raise the limit only for bundles you trust.' });
    }
    total += layer.size;
    if (total > limits.maxTotalBytes) throw new UpstreamError('PULL_TOO_LARGE', `the bundle is over ${limits.maxTotalBytes} bytes`, { url: source, details: 'Raise the limit only for bundles you trust.' });
    out.push({ name, digest: layer.digest, size: layer.size, mediaType: layer.mediaType });
  }
  return out;
}

/** True for a name that stays inside its folder on every platform. */
export function isPlainName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\u0000-\u001f]/.test(name) && !/^[a-zA-Z]:/.test(name);
}

/**
 * Moves verified files from `stagingDir/<hex>` to `outDir/<name>`. The output folder must be a real folder
 * (not a link); an existing entry with the same name is refused unless it is a regular file and `overwrite`.
 */
export async function placeFiles(stagingDir: string, outDir: string, files: BundleFileEntry[], options: { overwrite?: boolean } = {}): Promise<string[]> {
  await fs.mkdir(outDir, { recursive: true });
  const real = await fs.lstat(outDir);
  if (!real.isDirectory()) throw new UserInputError('PULL_OUT_NOT_DIR', `${outDir} is not a folder (or is a link)`, { details: 'Pass a plain folder to --out.' });
  for (const f of files) {
    const target = path.join(outDir, f.name);
    const existing = await fs.lstat(target).catch(() => null);
    if (existing && (!existing.isFile() || !options.overwrite)) {
      throw new UserInputError('PULL_TARGET_EXISTS', `${target} already exists${existing.isSymbolicLink() ? ' as a link' : ''}`, { details: 'Pull into an empty folder.' });
    }
  }
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(outDir, f.name);
    // rename() replaces the directory entry itself and never follows a link at the target.
    await fs.copyFile(path.join(stagingDir, f.digest.replace(/^sha256:/, '')), `${target}.csp-partial`, fs.constants.COPYFILE_EXCL);
    await fs.rename(`${target}.csp-partial`, target);
    written.push(target);
  }
  return written;
}
