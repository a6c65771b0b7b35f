/**
 * The OCI image manifest of one release bundle, as csctl publishes it (release-format.md §13.2): artifactType
 * `application/vnd.scs.cluster-stacks.v1`, empty config, one titled layer per file. Pure and reproducible.
 */
import { createHash } from 'node:crypto';
import { UserInputError } from '../core/errors.js';
import type { StoredFile } from '../core/stored-file.js';

/** One release asset: a flat file name and its bytes. */
export interface BundleFile {
  name: string;
  data: Uint8Array;
  /** A large asset written to a file while it was built: `data` reads it whole on each use; use `stored`. */
  stored?: StoredFile;
}

/** A layer's bytes for a blob store: in memory, or the file it was written to. */
export type BlobBytes = Buffer | StoredFile;

/** Size and `sha256:` digest of a bundle file, without reading a stored one. */
export function fileDescriptor(f: BundleFile): { size: number; digest: string } {
  return f.stored ? { size: f.stored.size, digest: `sha256:${f.stored.sha256}` } : { size: f.data.byteLength, digest: digestOf(f.data) };
}

/** What a manifest is built from; `created` is an input (RFC 3339), never the clock. */
export interface BundleManifestInput {
  releaseName: string;
  files: readonly BundleFile[];
  /** `metadata.yaml` versions.kubernetes, e.g. `v1.34.2`. */
  kubernetesVersion: string;
  /** First 7 characters of the cleaned clusterStack hash. */
  hash: string;
  created: string;
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  data?: string;
  annotations?: Record<string, string>;
}

export const manifestMediaType = 'application/vnd.oci.image.manifest.v1+json';
export const indexMediaType = 'application/vnd.oci.image.index.v1+json';
export const bundleArtifactType = 'application/vnd.scs.cluster-stacks.v1';
export const titleAnnotation = 'org.opencontainers.image.title';
export const refNameAnnotation = 'org.opencontainers.image.ref.name';
export const createdAnnotation = 'org.opencontainers.image.created';

/** The OCI empty JSON config `{}` (oras-go `DescriptorEmptyJSON`). */
export const emptyConfig: Descriptor = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  data: 'e30=',
};

/** Layer media type csctl uses for a release file (pkg/cmd/mediatype.go); oras' default otherwise. */
export function layerMediaType(fileName: string): string {
  if (fileName === 'clusteraddon.yaml') return 'application/vnd.scs.cluster-addon.config.layer.v1+yaml';
  if (fileName === 'metadata.yaml') return 'application/vnd.scs.metadata.layer.v1+yaml';
  if (fileName === 'node-images.yaml') return 'application/vnd.scs.node-image.config.layer.v1+yaml';
  if (fileName === 'hashes.json') return 'application/vnd.scs.hashes.layer.v1+yaml'; // sic, as csctl
  if (fileName.endsWith('.tgz')) {
    if (fileName.includes('cluster-addon')) return 'application/vnd.scs.cluster-addon.layer.v1.tar+gzip';
    if (fileName.includes('cluster-class')) return 'application/vnd.scs.cluster-class.v1.tar+gzip';
    if (fileName.includes('node-image')) return 'application/vnd.scs.node-image.layer.v1.tar+gzip';
  }
  return 'application/vnd.oci.image.layer.v1.tar';
}

/** `sha256:<hex>` of some bytes. */
export function digestOf(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** JSON with object keys sorted (as Go marshals maps) and no whitespace: one byte form per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function checkFiles(files: readonly BundleFile[]): void {
  const seen = new Set<string>();
  for (const f of files) {
    if (!/^[^/\\]+$/.test(f.name) || f.name === '.' || f.name === '..') {
      throw new UserInputError('BUNDLE_FILE_NAME_INVALID', `bundle file name ${JSON.stringify(f.name)} is not a plain file name`, {
        details: 'CSO stores every layer under its title in one directory; use flat names without slashes.',
      });
    }
    if (seen.has(f.name)) {
      throw new UserInputError('BUNDLE_FILE_DUPLICATE', `bundle holds ${f.name} twice`, { details: 'oras refuses duplicate titles; keep one file per name.' });
    }
    seen.add(f.name);
  }
  if (files.length === 0) throw new UserInputError('BUNDLE_EMPTY', 'bundle has no files', { details: 'A release needs at least metadata.yaml and the charts.' });
}

/** Builds the manifest bytes and every blob it references (config included), keyed by digest. */
export function buildBundleManifest(input: BundleManifestInput): { manifest: Buffer; descriptor: Descriptor; blobs: Map<string, BlobBytes> } {
  checkFiles(input.files);
  if (Number.isNaN(Date.parse(input.created))) {
    throw new UserInputError('BUNDLE_CREATED_INVALID', `created time ${JSON.stringify(input.created)} is not RFC 3339`, {
      details: 'Pass a timestamp such as the commit time (2025-01-31T12:00:00Z) so builds stay reproducible.',
    });
  }
  const blobs = new Map<string, BlobBytes>([[emptyConfig.digest, Buffer.from('{}')]]);
  const layers: Descriptor[] = [...input.files]
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
    .map((f) => {
      const { size, digest } = fileDescriptor(f);
      // A view of the bytes (or the stored file), never a copy: layers of large payloads would be held twice.
      blobs.set(digest, f.stored ?? Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
      return { mediaType: layerMediaType(f.name), digest, size, annotations: { [titleAnnotation]: f.name } };
    });
  const manifest = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: manifestMediaType,
      artifactType: bundleArtifactType,
      config: emptyConfig,
      layers,
      annotations: { kubernetesVersion: input.kubernetesVersion, hash: input.hash, [createdAnnotation]: input.created },
    }),
  );
  const descriptor: Descriptor = {
    mediaType: manifestMediaType,
    digest: digestOf(manifest),
    size: manifest.length,
    artifactType: bundleArtifactType,
    annotations: { [refNameAnnotation]: input.releaseName },
  };
  return { manifest, descriptor, blobs };
}
