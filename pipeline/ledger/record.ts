/** The release record kept in `releases/<release-name>.yaml` (schemas/release.schema.json is the source of truth). */
import type { ComponentVersions, VersionMode } from '../version/index.js';
import type { StackHashes } from '../version/index.js';

/** One published (or locally stored) copy of a bundle. */
export interface PublishedRef {
  target: 'oci-layout' | 'oci' | 'github';
  ref: string;
  digest?: string;
  at?: string;
}

/** A signature, provenance or SBOM attached to a bundle. */
export interface SignatureRef {
  kind: 'sigstore-bundle' | 'provenance' | 'sbom' | 'e2e';
  ref: string;
  digest?: string;
  keyless?: boolean;
}

/** The e2e gate at publishing: a verified passing attestation, or a recorded --skip-e2e. */
export interface E2eGateRecord {
  status: 'passed' | 'skipped';
  /** Digest of the e2e attestation referrer (passed). */
  attestation?: string;
  at?: string;
}

/** One file of a release bundle. */
export interface RecordFile {
  name: string;
  digest: string;
  size: number;
  mediaType?: string;
}

/** The schemas a bundle's rendered objects were validated against (the schema catalog's origin). */
export interface RecordSchemas {
  /** sha256 over the catalog's files. */
  catalog: string;
  /** The catalog's Kubernetes minor used for the core kinds and the digest of its OpenAPI document. */
  kubernetes?: { minor: string; source: string; sha256: string };
  providers: { name: string; version: string }[];
  /** Schema cache or --crds folders that added to or overrode the catalog. */
  overrides?: string[];
}

/** What csp knows about one released bundle. */
export interface ReleaseRecord {
  apiVersion: 'csp.scs.community/v1alpha1';
  kind: 'ClusterStackRelease';
  name: string;
  provider: string;
  stack: string;
  /** `vX.Y.Z`. */
  kubernetesVersion: string;
  mode?: VersionMode;
  channel?: string;
  versions: ComponentVersions;
  hashes: Partial<StackHashes> & { clusterStack: string; clusterAddonDir: string };
  files: RecordFile[];
  /** The stack folder as read (csctl hash of it) and every Kubernetes version it listed. */
  input?: { hash: string; targets: string[] };
  /** path → hex SHA-256 of the per-target source tree. */
  sourceFiles?: Record<string, string>;
  /** What the rendered objects were validated against. */
  schemas?: RecordSchemas;
  manifestDigest?: string;
  source?: { repository?: string; commit?: string; path?: string };
  published?: PublishedRef[];
  signatures?: SignatureRef[];
  e2e?: E2eGateRecord;
}

export const recordApiVersion = 'csp.scs.community/v1alpha1';

/** The record with keys in one fixed order, so equal records serialise to equal bytes. */
export function orderRecord(record: ReleaseRecord): ReleaseRecord {
  const sortedFiles = record.sourceFiles
    ? Object.fromEntries(Object.entries(record.sourceFiles).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))))
    : undefined;
  const out: ReleaseRecord = {
    apiVersion: record.apiVersion,
    kind: record.kind,
    name: record.name,
    provider: record.provider,
    stack: record.stack,
    kubernetesVersion: record.kubernetesVersion,
    ...(record.mode ? { mode: record.mode } : {}),
    ...(record.channel ? { channel: record.channel } : {}),
    versions: { clusterStack: record.versions.clusterStack, clusterAddon: record.versions.clusterAddon, nodeImage: record.versions.nodeImage },
    hashes: record.hashes,
    files: record.files,
    ...(record.manifestDigest ? { manifestDigest: record.manifestDigest } : {}),
    ...(record.source ? { source: record.source } : {}),
    ...(record.published ? { published: record.published } : {}),
    ...(record.signatures ? { signatures: record.signatures } : {}),
    ...(record.e2e ? { e2e: record.e2e } : {}),
    ...(record.input ? { input: record.input } : {}),
    ...(record.schemas ? { schemas: record.schemas } : {}),
    ...(sortedFiles ? { sourceFiles: sortedFiles } : {}),
  };
  return out;
}
