/**
 * An OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/…`) holding release bundles, one
 * manifest per release name. Adding the same bundle again is a no-op; a different one under a taken name fails.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { placeStored } from '../core/stored-file.js';
import {
  buildBundleManifest,
  canonicalJson,
  digestOf,
  indexMediaType,
  refNameAnnotation,
  titleAnnotation,
  type BlobBytes,
  type BundleManifestInput,
  type Descriptor,
} from './oci-manifest.js';

/** The layout's `index.json`. */
export interface OciIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

/** A parsed image manifest. */
export interface OciManifest {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** What adding one bundle did. */
export interface AddBundleResult {
  releaseName: string;
  digest: string;
  action: 'added' | 'unchanged' | 'replaced';
}

function blobPath(dir: string, digest: string): string {
  const [algo, hex] = digest.split(':');
  if (algo !== 'sha256' || !hex || !/^[a-f0-9]{64}$/.test(hex)) {
    throw new UserInputError('OCI_DIGEST_INVALID', `unsupported digest ${JSON.stringify(digest)}`, { details: 'Only sha256 digests are used in csp layouts.' });
  }
  return path.join(dir, 'blobs', 'sha256', hex);
}

async function writeAtomic(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

async function writeBlob(dir: string, digest: string, data: BlobBytes): Promise<void> {
  const file = blobPath(dir, digest);
  const size = data instanceof Uint8Array ? data.length : data.size;
  const exists = await fs.stat(file).then((s) => s.size === size, () => false);
  if (exists) return;
  if (data instanceof Uint8Array) return writeAtomic(file, data);
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.rm(tmp, { force: true });
  await placeStored(data, tmp);
  await fs.rename(tmp, file);
}

function indexBytes(manifests: Descriptor[]): Buffer {
  const sorted = [...manifests].sort((a, b) => {
    const ar = a.annotations?.[refNameAnnotation] ?? '';
    const br = b.annotations?.[refNameAnnotation] ?? '';
    return ar < br ? -1 : ar > br ? 1 : a.digest < b.digest ? -1 : 1;
  });
  return Buffer.from(canonicalJson({ schemaVersion: 2, mediaType: indexMediaType, manifests: sorted }));
}

/** Reads `oci-layout` and `index.json`; a missing directory is an empty layout. */
export async function readLayout(dir: string): Promise<OciIndex> {
  const layoutFile = path.join(dir, 'oci-layout');
  const exists = await fs.stat(layoutFile).then(() => true, () => false);
  if (!exists) return { schemaVersion: 2, mediaType: indexMediaType, manifests: [] };
  const layout = JSON.parse(await fs.readFile(layoutFile, 'utf8')) as { imageLayoutVersion?: string };
  if (layout.imageLayoutVersion !== '1.0.0') {
    throw new UserInputError('OCI_LAYOUT_INVALID', `${layoutFile} has imageLayoutVersion ${JSON.stringify(layout.imageLayoutVersion)}`, { details: 'Expected an OCI image layout 1.0.0 directory.' });
  }
  const index = JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8')) as OciIndex;
  return { schemaVersion: 2, mediaType: index.mediaType ?? indexMediaType, manifests: index.manifests ?? [] };
}

/** Adds one bundle; with `force`, a different manifest may take over an existing release name. */
export async function addBundle(dir: string, input: BundleManifestInput, options: { force?: boolean } = {}): Promise<AddBundleResult> {
  const { manifest, descriptor, blobs } = buildBundleManifest(input);
  const index = await readLayout(dir);
  const existing = index.manifests.find((m) => m.annotations?.[refNameAnnotation] === input.releaseName);
  if (existing?.digest === descriptor.digest) return { releaseName: input.releaseName, digest: descriptor.digest, action: 'unchanged' };
  if (existing && !options.force) {
    throw new UserInputError('OCI_REF_EXISTS', `${input.releaseName} already names another manifest in ${dir}`, {
      details: `It points at ${existing.digest}; a release name must never change content (CSO never refreshes a download). Bump the version, or pass force to replace it in this local layout.`,
    });
  }
  await fs.mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const [digest, data] of blobs) await writeBlob(dir, digest, data);
  await writeBlob(dir, descriptor.digest, manifest);
  const manifests = index.manifests.filter((m) => m !== existing).concat(descriptor);
  await writeAtomic(path.join(dir, 'oci-layout'), Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  await writeAtomic(path.join(dir, 'index.json'), indexBytes(manifests));
  return { releaseName: input.releaseName, digest: descriptor.digest, action: existing ? 'replaced' : 'added' };
}

/** Reads a blob and checks its digest and size. */
export async function readBlob(dir: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Buffer> {
  const data = await fs.readFile(blobPath(dir, descriptor.digest));
  if (digestOf(data) !== descriptor.digest || data.length !== descriptor.size) {
    throw new UserInputError('OCI_BLOB_CORRUPT', `blob ${descriptor.digest} in ${dir} does not match its descriptor`, { details: 'The layout was modified; rebuild it.' });
  }
  return data;
}

/** Finds a release name in the layout and returns its descriptor, manifest and files (title → layer). */
export async function resolveRef(dir: string, releaseName: string): Promise<{ descriptor: Descriptor; manifest: OciManifest; files: { name: string; layer: Descriptor }[] }> {
  const index = await readLayout(dir);
  const descriptor = index.manifests.find((m) => m.annotations?.[refNameAnnotation] === releaseName);
  if (!descriptor) {
    throw new UserInputError('OCI_REF_NOT_FOUND', `${releaseName} is not in ${dir}`, { details: 'Run csp build for this release first, or check the release name (dash form).' });
  }
  const manifest = JSON.parse((await readBlob(dir, descriptor)).toString('utf8')) as OciManifest;
  const files = manifest.layers.map((layer) => ({ name: layer.annotations?.[titleAnnotation] ?? '', layer }));
  return { descriptor, manifest, files };
}
