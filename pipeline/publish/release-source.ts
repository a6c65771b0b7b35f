/**
 * What is published: a release folder written by `csp build` (OUT/<release-name>/) and its manifest in the
 * build's OCI layout (OUT/oci-layout). The files in the folder must be exactly the layers the manifest lists.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { once } from '../core/once.js';
import { digestFile } from './oci/digest.js';
import { MEDIA_TYPES, type BlobInput, type Descriptor, type ImageManifest } from './oci/types.js';
import { openLayout, type LayoutStore } from './layout-store.js';
import { TITLE } from './safe-files.js';

/** A release ready to publish. */
export interface LoadedRelease {
  releaseName: string;
  releaseDir: string;
  /**
   * Compares every release-folder file's bytes with the manifest (fails RELEASE_DIR_STALE); started by the first
   * call, which later calls share, so a publisher decides when the hashing overlaps its uploads.
   */
  check(): Promise<void>;
  layout: LayoutStore;
  manifest: Buffer;
  descriptor: Descriptor;
  files: { name: string; digest: string; size: number; mediaType: string }[];
  /** Config and layers, read from the layout's blob files. */
  blobs: BlobInput[];
  /** The release folder's metadata.yaml as text (parsed only when a ledger record has to be made from it). */
  metadataText?: string;
  hashes?: Record<string, string>;
  sbom?: { name: string; document: unknown };
  /** Present when the release folder has a SHA256SUMS file (GitHub releases sign it). */
  sha256sums?: string;
}

const SBOM_NAME = /(^|[._-])(sbom|spdx|cdx|cyclonedx)([._-].*)?\.json$/i;
/** Files next to the assets that are not assets: signatures csp writes itself. */
const SIDE_FILES = /\.(sig|sigstore\.json)$/;

function staleFile(releaseDir: string, name: string, releaseName: string, exists: boolean): UserInputError {
  return new UserInputError('RELEASE_DIR_STALE', `${path.join(releaseDir, name)} ${exists ? 'differs from' : 'is missing, but is listed in'} the manifest of ${releaseName}`, {
    details: 'The release folder and the OCI layout come from different builds; run csp build again.',
  });
}

/**
 * Hashes every file at once; fails with the first stale one in manifest order (not in time). A file that is
 * its layout blob (the same inode: csp build hard-links large archives) is not hashed here: it cannot differ
 * from the blob, and every reader of a blob checks it against its digest as it reads (registry uploads, layout
 * copies, GitHub assets), so its bytes are hashed once, by the upload, not twice.
 */
async function checkFiles(releaseDir: string, releaseName: string, files: LoadedRelease['files'], layout: LayoutStore): Promise<void> {
  const checks = files.map(async (file) => {
    const [own, blob] = await Promise.all([fs.stat(path.join(releaseDir, file.name)).catch(() => null), fs.stat(layout.blobPath(file.digest)).catch(() => null)]);
    if (own && blob && own.dev === blob.dev && own.ino === blob.ino && own.size === file.size) return;
    return digestFile(path.join(releaseDir, file.name)).then(
      (onDisk) => {
        if (onDisk.digest !== file.digest || onDisk.size !== file.size) throw staleFile(releaseDir, file.name, releaseName, true);
      },
      () => {
        throw staleFile(releaseDir, file.name, releaseName, false);
      },
    );
  });
  return firstFailureInOrder(checks);
}

/** Settles when all of `checks` succeeded; else fails with the first failure in the given order (not in time). */
async function firstFailureInOrder(checks: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(checks);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Loads `releaseDir` and its manifest from `layoutDir`, checking that both agree file by file: names and sizes
 * now, bytes (SHA-256) when `check()` is called — a publisher can upload the layout's blobs (verified against
 * their own digests as they stream) meanwhile and must await it before anything becomes visible (a tag, a
 * GitHub release, a signature).
 */
export async function loadRelease(releaseDir: string, layoutDir: string): Promise<LoadedRelease> {
  const releaseName = path.basename(path.resolve(releaseDir));
  const entries = await fs.readdir(releaseDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new UserInputError('RELEASE_DIR_MISSING', `cannot read release folder ${releaseDir}`, { details: 'Pass a folder written by csp build (OUT/<release-name>).', cause: error });
  });
  const layout = await openLayout(layoutDir);
  const found = await layout.resolve(releaseName);
  if (!found) {
    throw new UserInputError('RELEASE_NOT_IN_LAYOUT', `${releaseName} is not in the OCI layout ${layoutDir}`, { details: 'Run csp build for it (it writes OUT/<release>/ and OUT/oci-layout/ together), or pass --out OUT.' });
  }
  const manifest = JSON.parse(found.bytes.toString('utf8')) as ImageManifest;
  if (manifest.mediaType !== MEDIA_TYPES.manifest) throw new UserInputError('RELEASE_MANIFEST_INVALID', `${releaseName} in ${layoutDir} is not an OCI image manifest`, { details: 'Rebuild the release.' });
  const files: LoadedRelease['files'] = [];
  for (const layer of manifest.layers) {
    const name = layer.annotations?.[TITLE];
    if (!name) continue;
    // A missing file is found now; its bytes are hashed when `check()` is called.
    const stat = await fs.stat(path.join(releaseDir, name)).catch(() => null);
    if (!stat?.isFile() || stat.size !== layer.size) throw staleFile(releaseDir, name, releaseName, stat !== null);
    files.push({ name, digest: layer.digest, size: layer.size, mediaType: layer.mediaType });
  }
  const check = once(() => checkFiles(releaseDir, releaseName, files, layout));
  const names = new Set(files.map((f) => f.name));
  const extra = entries.filter((e) => e.isFile() && !names.has(e.name) && !SIDE_FILES.test(e.name)).map((e) => e.name);
  const blobs: BlobInput[] = [manifest.config, ...manifest.layers].map((d) => ({ descriptor: d, source: { path: layout.blobPath(d.digest) } }));
  const read = async (name: string): Promise<string | undefined> => (names.has(name) || extra.includes(name) ? fs.readFile(path.join(releaseDir, name), 'utf8') : undefined);
  const metadataText = await read('metadata.yaml');
  const hashesText = await read('hashes.json');
  const sbomName = [...names, ...extra].find((n) => SBOM_NAME.test(n));
  let sbom: LoadedRelease['sbom'];
  if (sbomName) {
    try {
      sbom = { name: sbomName, document: JSON.parse((await read(sbomName))!) };
    } catch (error) {
      throw new UserInputError('SBOM_INVALID', `${sbomName} in ${releaseDir} is not JSON`, { details: 'The build writes the SBOM as SPDX or CycloneDX JSON.', cause: error });
    }
  }
  return {
    releaseName,
    releaseDir,
    check,
    layout,
    manifest: found.bytes,
    descriptor: { mediaType: found.descriptor.mediaType, digest: found.descriptor.digest, size: found.descriptor.size },
    files,
    blobs,
    ...(metadataText !== undefined ? { metadataText } : {}),
    ...(hashesText ? { hashes: JSON.parse(hashesText) as Record<string, string> } : {}),
    ...(sbom ? { sbom } : {}),
    ...(entries.some((e) => e.isFile() && e.name === 'SHA256SUMS') ? { sha256sums: path.join(releaseDir, 'SHA256SUMS') } : {}),
  };
}

/** Release folders under a build output folder: every subfolder the layout names as a release. */
export async function listReleaseDirs(outDir: string, layoutDir: string): Promise<string[]> {
  const layout = await openLayout(layoutDir);
  const dirs: string[] = [];
  for (const e of await fs.readdir(outDir, { withFileTypes: true })) {
    if (e.isDirectory() && path.join(outDir, e.name) !== path.resolve(layoutDir) && (await layout.resolve(e.name))) dirs.push(path.join(outDir, e.name));
  }
  return dirs.sort();
}
