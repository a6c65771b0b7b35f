/** OCI data shapes (image-spec descriptor, manifest, index) and the media types the client speaks. */

/** Media types used by the client. */
export const MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  empty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  /** Sigstore bundle v0.3 (the sign stage's SIGSTORE_BUNDLE_MEDIA_TYPE; here so that finding referrers does not load sigstore). */
  sigstoreBundle: 'application/vnd.dev.sigstore.bundle.v0.3+json',
} as const;

/** `Accept` sent when fetching manifests (2.8.2 answers 404 unless the stored type is listed). */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.manifest, MEDIA_TYPES.index, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerList].join(', ');

/** The OCI empty descriptor: content `{}`, used as config of artifacts without one. */
export const EMPTY_DESCRIPTOR = {
  mediaType: MEDIA_TYPES.empty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
} as const;

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  data?: string;
  urls?: string[];
}

/** An OCI image manifest (also used for artifacts). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index (also the referrers response and the fallback tag content). */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Where blob bytes come from: a buffer, or a file read in chunks (never loaded whole when big). */
export type BlobSource = { bytes: Uint8Array } | { path: string };

/** A blob to push: what the manifest says about it plus where its bytes are. */
export interface BlobInput {
  descriptor: Descriptor;
  source: BlobSource;
}
