/** Referrer manifests for attestations (cosign v3 bundle format): empty config, one bundle layer, `subject` = the bundle. */
import type { Attestation } from '../sign/index.js';
import { sha256Digest } from './oci/digest.js';
import { EMPTY_DESCRIPTOR, MEDIA_TYPES, type BlobInput, type Descriptor } from './oci/types.js';

export const CONTENT_ANNOTATION = 'dev.sigstore.bundle.content';
export const PREDICATE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

/** A referrer ready to push: exact manifest bytes and its blobs. */
export interface ReferrerArtifact {
  kind: Attestation['kind'];
  manifest: Buffer;
  digest: string;
  blobs: BlobInput[];
}

/** Wraps a signed attestation as an OCI 1.1 referrer of `subject`. */
export function referrerFor(attestation: Attestation, subject: Descriptor, created: string): ReferrerArtifact {
  const layer: Descriptor = { mediaType: MEDIA_TYPES.sigstoreBundle, digest: sha256Digest(attestation.bundle), size: attestation.bundle.length };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      artifactType: MEDIA_TYPES.sigstoreBundle,
      config: EMPTY_DESCRIPTOR,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations: { [CONTENT_ANNOTATION]: 'dsse-envelope', [PREDICATE_ANNOTATION]: attestation.predicateType, 'org.opencontainers.image.created': created },
    }),
  );
  return {
    kind: attestation.kind,
    manifest,
    digest: sha256Digest(manifest),
    blobs: [
      { descriptor: { ...EMPTY_DESCRIPTOR }, source: { bytes: Buffer.from('{}') } },
      { descriptor: layer, source: { bytes: attestation.bundle } },
    ],
  };
}
