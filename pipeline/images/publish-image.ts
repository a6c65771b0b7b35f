/**
 * `csp images publish`: pushes each built disk as an OCI artifact (one layer, its own media types, title
 * annotation) tagged with the image's immutable name, next to the bundles. The blob URL becomes the
 * image's download URL and the blob digest its sha256, which ORC checks before import.
 */
import { UserInputError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import { writeImageRecord } from './records.js';
import type { ImageRecord } from './types.js';

/** Media types of published node images. */
export const IMAGE_MEDIA_TYPES = {
  artifact: 'application/vnd.scs.csp.node-image.v1',
  qcow2: 'application/vnd.scs.csp.node-image.disk.qcow2',
  raw: 'application/vnd.scs.csp.node-image.disk.raw',
} as const;

const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };

export interface PublishImagesInput {
  records: ImageRecord[];
  /** oci://HOST/REPO (or HOST/REPO) the images go to. */
  repository: string;
  ledgerDir: string;
  dryRun?: boolean;
  plainHttp?: boolean;
}

/** One blob of an image artifact: its descriptor and where its bytes are. */
export interface ImageBlob {
  descriptor: { mediaType: string; digest: string; size: number };
  source: { bytes: Uint8Array } | { path: string };
}

/**
 * The OCI repository images go to, opened by the caller (the CLI builds it from publish/'s registry client):
 * the seam keeps this stage, which release/ reads records from, free of any import of a later stage.
 */
export interface ImageRepository {
  /** Registry host (for the blob URL). */
  registry: string;
  /** Repository path inside the registry. */
  repository: string;
  publish(input: { manifest: Uint8Array; tag: string; dryRun?: boolean; blobs: ImageBlob[] }): Promise<{ status: 'pushed' | 'unchanged' | 'would-push'; digest: string; bytesSent: number }>;
}

export interface PublishImagesDeps {
  log: Log;
  /** Opens `input.repository` (oci://HOST/REPO or HOST/REPO). */
  openRepository(repository: string): Promise<ImageRepository>;
}

/** What happened to each image. */
export interface PublishImagesResult {
  images: { name: string; status: 'pushed' | 'unchanged' | 'would-push' | 'skipped'; url?: string; digest?: string; bytesSent: number; seconds: number }[];
}

/** The exact manifest bytes for one image record (deterministic: same record ⇒ same digest). */
export function imageManifest(record: ImageRecord): Uint8Array {
  if (!record.sha256 || record.size === undefined) throw new UserInputError('IMAGE_NOT_FILE', `${record.name} is not a disk file (${record.builder} builds live in the cloud)`);
  const mediaType = record.format === 'raw' ? IMAGE_MEDIA_TYPES.raw : IMAGE_MEDIA_TYPES.qcow2;
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: IMAGE_MEDIA_TYPES.artifact,
    config: EMPTY,
    layers: [{ mediaType, digest: `sha256:${record.sha256}`, size: record.size, annotations: { 'org.opencontainers.image.title': `${record.name}.${record.format}` } }],
    annotations: {
      'org.opencontainers.image.created': record.buildDate,
      'org.opencontainers.image.title': record.name,
      'community.scs.csp.image.kubernetes-version': `v${record.kubernetes}`,
      'community.scs.csp.image.rebuild-key': record.key,
      'community.scs.csp.image.recipe': `${record.recipe}/${record.target}`,
    },
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}

/** Publishes every record that has a local disk file; updates each record with where it now lives. */
export async function publishImages(input: PublishImagesInput, deps: PublishImagesDeps): Promise<PublishImagesResult> {
  const repo = await deps.openRepository(input.repository);
  const scheme = input.plainHttp ?? /^(127\.|localhost|\[::1\])/.test(repo.registry) ? 'http' : 'https';
  const result: PublishImagesResult = { images: [] };
  for (const record of input.records) {
    if (!record.location.file || !record.sha256) {
      result.images.push({ name: record.name, status: 'skipped', bytesSent: 0, seconds: 0 });
      continue;
    }
    const started = Date.now();
    const manifest = imageManifest(record);
    const layer = { mediaType: record.format === 'raw' ? IMAGE_MEDIA_TYPES.raw : IMAGE_MEDIA_TYPES.qcow2, digest: `sha256:${record.sha256}`, size: record.size ?? 0 };
    const pushed = await repo.publish({
      manifest,
      tag: record.name,
      dryRun: input.dryRun,
      blobs: [
        { descriptor: EMPTY, source: { bytes: new TextEncoder().encode('{}') } },
        { descriptor: layer, source: { path: record.location.file } },
      ],
    });
    const url = `${scheme}://${repo.registry}/v2/${repo.repository}/blobs/${layer.digest}`;
    if (!input.dryRun) {
      const updated: ImageRecord = { ...record, location: { ...record.location, url }, published: { repository: `${repo.registry}/${repo.repository}`, tag: record.name, digest: layer.digest, url, mediaType: layer.mediaType } };
      await writeImageRecord(input.ledgerDir, updated);
    }
    result.images.push({ name: record.name, status: pushed.status, url, digest: pushed.digest, bytesSent: pushed.bytesSent, seconds: (Date.now() - started) / 1000 });
    deps.log.info(`${record.name}: ${pushed.status} ${url}`);
  }
  return result;
}
