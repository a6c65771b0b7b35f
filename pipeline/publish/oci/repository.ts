/**
 * The client's front door: a Registry (one host, shared auth and state) hands out Repository objects
 * whose methods are the blob, manifest, tag, publish and referrer operations bound to that repository.
 */
import { downloadBlob, getBlob, blobExists } from './blobs.js';
import { pushBlob, type BlobPushResult, type PushBlobOptions } from './blob-upload.js';
import { createRegistryClient, type RegistryClient, type RegistryOptions, type RepositoryTarget } from './client.js';
import { readDockerConfig } from './docker-config.js';
import {
  deleteManifest, getManifest, headManifest, listTags, pushManifest,
  type FetchedManifest, type ManifestInfo, type ManifestPushResult,
} from './manifests.js';
import { publishArtifact, type PublishInput, type PublishResult } from './publish-artifact.js';
import { parseReference, type Reference } from './reference.js';
import { deleteReferrer, listReferrers, pushReferrer, signatureRepositoryOf, type ReferrerPushResult } from './referrers.js';
import type { BlobInput, Descriptor } from './types.js';

/** Operations on one repository. */
export interface Repository extends RepositoryTarget {
  blobExists(digest: string): Promise<boolean>;
  pushBlob(blob: BlobInput, options?: PushBlobOptions): Promise<BlobPushResult>;
  getBlob(digest: string): Promise<Uint8Array>;
  downloadBlob(digest: string, size: number, file: string): Promise<void>;
  pushManifest(reference: string, bytes: Uint8Array, mediaType?: string): Promise<ManifestPushResult>;
  getManifest(reference: string): Promise<FetchedManifest | null>;
  headManifest(reference: string): Promise<ManifestInfo | null>;
  deleteManifest(digest: string): Promise<boolean>;
  listTags(pageSize?: number): Promise<string[]>;
  publish(input: PublishInput): Promise<PublishResult>;
  pushReferrer(subjectDigest: string, manifest: Uint8Array, blobs?: BlobInput[]): Promise<ReferrerPushResult>;
  listReferrers(subjectDigest: string, artifactType?: string): Promise<Descriptor[]>;
  deleteReferrer(subjectDigest: string, referrerDigest: string): Promise<void>;
  /** The companion repository holding referrers on registries without the referrers API. */
  signatures(): Repository;
}

/** One registry host with its auth state; repositories share tokens and referrers knowledge. */
export interface Registry {
  client: RegistryClient;
  repository(name: string): Repository;
}

/** Creates the registry client for `host[:port]`. */
export function createRegistry(registry: string, options: RegistryOptions): Registry {
  const client = createRegistryClient(registry, options);
  return { client, repository: (name) => bindRepository({ client, name }) };
}

/** Parses `reference` and opens its repository; credentials come from `options` or a docker config.json. */
export async function openRepository(
  reference: string | Reference,
  options: RegistryOptions & { dockerConfig?: string },
): Promise<Repository & { reference: Reference }> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const credentials = options.credentials ?? (options.dockerConfig ? await readDockerConfig(options.dockerConfig, ref.registry) : undefined);
  const registry = createRegistry(ref.registry, { ...options, credentials });
  return { ...registry.repository(ref.repository), reference: ref };
}

function bindRepository(target: RepositoryTarget): Repository {
  return {
    ...target,
    blobExists: (digest) => blobExists(target, digest),
    pushBlob: (blob, options) => pushBlob(target, blob, options),
    getBlob: (digest) => getBlob(target, digest),
    downloadBlob: (digest, size, file) => downloadBlob(target, digest, size, file),
    pushManifest: (reference, bytes, mediaType) => pushManifest(target, reference, bytes, mediaType),
    getManifest: (reference) => getManifest(target, reference),
    headManifest: (reference) => headManifest(target, reference),
    deleteManifest: (digest) => deleteManifest(target, digest),
    listTags: (pageSize) => listTags(target, pageSize),
    publish: (input) => publishArtifact(target, input),
    pushReferrer: (subject, manifest, blobs) => pushReferrer(target, subject, manifest, blobs),
    listReferrers: (subject, artifactType) => listReferrers(target, subject, artifactType),
    deleteReferrer: (subject, referrer) => deleteReferrer(target, subject, referrer),
    signatures: () => bindRepository(signatureRepositoryOf(target)),
  };
}
