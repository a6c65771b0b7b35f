/** Publish targets: one interface, one file per implementation, listed in `targets.ts`. */
import type { Http } from '../core/http.js';
import type { Log } from '../core/log.js';
import type { Attestation, SigningMode } from '../sign/index.js';
import type { Credentials } from './oci/auth.js';
import type { LoadedRelease } from './release-source.js';
import type { RegistryOptions } from './oci/client.js';

/** Where a release goes: the build's OCI layout (default), a registry repository, or a GitHub release. */
export type PublishTarget =
  | { kind: 'oci-layout'; dir: string }
  | { kind: 'oci'; reference: string }
  | { kind: 'github'; repository: string };

/** What happened at one target (JSON-serialisable; stored in releases/). */
export interface TargetResult {
  target: PublishTarget['kind'];
  ref: string;
  digest: string;
  status: 'pushed' | 'unchanged' | 'would-push';
  /** Blob body bytes sent (registries). */
  bytesSent?: number;
  attestations: { kind: Attestation['kind']; digest: string; status: 'attached' | 'already-signed' | 'would-attach' }[];
}

/**
 * The GitHub hook: `publishGithubRelease` from pipeline/publish/github/ is passed in by cli/publish.ts.
 * It gets the release folder (assets incl. SHA256SUMS and its `.sigstore.json`) and returns the release URL.
 */
export type GithubPublisher = (input: {
  repository: string;
  releaseName: string;
  releaseDir: string;
  files: string[];
  /** `sha256:<hex>` of the bundle's files by name (the manifest's layers): an asset with other bytes is refused. */
  digests?: Record<string, string>;
  dryRun: boolean;
  /** Remote bytes of an asset accepted as the local file (a valid signature of the same SHA256SUMS). */
  equivalent?: (name: string, remote: Uint8Array) => Promise<boolean>;
}) => Promise<{ url: string; status: TargetResult['status'] }>;

/** Effects a publish needs (built once in cli/). */
export interface PublishDeps {
  http: Http;
  log: Log;
  now: () => Date;
  /** Registry credentials by host (from flags/env); falls back to `dockerConfig`. */
  credentialsFor?: (registry: string) => Credentials | undefined;
  dockerConfig?: string;
  registryOptions?: Partial<RegistryOptions>;
  github?: GithubPublisher;
}

/** Per-target context: the release, the signer (lazily used) and the run's options. */
export interface TargetContext {
  release: LoadedRelease;
  /**
   * Checks the release folder and the ledger record (fails otherwise); the first call starts them, later calls
   * share them. A target may upload content-addressed blobs first, and should call it once they are under way
   * so the checks overlap the upload, but must await it before anything becomes visible (tag, release, asset).
   */
  ready(): Promise<void>;
  /** Signs the attestations for `subjectName` (called only when the target needs new signatures). */
  attest(subjectName: string): Promise<Attestation[]>;
  signed: boolean;
  dryRun: boolean;
  created: string;
  deps: PublishDeps;
  /** Whether remote bytes of asset `name` stand for the local file (signatures are compared by what they sign). */
  equivalentAsset?: (name: string, remote: Uint8Array) => Promise<boolean>;
}

/** One publish target implementation. */
export interface TargetImpl<T extends PublishTarget = PublishTarget> {
  publish(target: T, ctx: TargetContext): Promise<TargetResult>;
}

export type { SigningMode };
