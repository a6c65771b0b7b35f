/**
 * Verifying a published bundle: a signature statement and a provenance statement, both valid under the policy
 * and both naming this manifest's digest; the manifest a CSO bundle; every layer downloaded and digest-checked
 * (into `downloadDir` when pulling). Any mismatch throws a UserInputError that says which check failed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PipelineError, UpstreamError, UserInputError } from '../core/errors.js';
import type { VerifyPolicy } from '../sign/index.js';
import { PREDICATE_ANNOTATION } from './referrer-manifest.js';
import type { ArtifactSource } from './sources.js';
import { MEDIA_TYPES, type Descriptor, type ImageManifest } from './oci/types.js';
import { checkTitles } from './safe-files.js';

/** What verification established. */
export interface VerifyResult {
  ref: string;
  digest: string;
  artifactType?: string;
  signer: string;
  attestations: { kind: 'signature' | 'provenance' | 'e2e' | 'other'; digest: string; predicateType: string }[];
  files: { name: string; digest: string; size: number; mediaType: string }[];
  /** Referrers that did not verify under the policy (ignored, as cosign does, once a signature and provenance passed). */
  ignored: string[];
}

/** Verify input: where, under which policy, and optionally a folder to keep the checked layer files in. */
export interface VerifyInput {
  source: ArtifactSource;
  policy: VerifyPolicy;
  /** Keep each layer as `<downloadDir>/<digest hex>` (pull uses this); otherwise a temporary folder. */
  downloadDir?: string;
  maxFileBytes?: number;
  maxTotalBytes?: number;
  loadTrustedRoot?: () => Promise<unknown>;
  /** Also require a passing csp e2e attestation of this digest that verifies under the same policy. */
  requireE2e?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_TOTAL_BYTES = 8 * 1024 ** 3;

/** Runs every check; returns the verified file list or throws on the first failed check with its reason. */
export async function verifyPublished(input: VerifyInput): Promise<VerifyResult> {
  const { source, policy } = input;
  const { COSIGN_SIGN_PREDICATE, E2E_PREDICATE, SLSA_PROVENANCE_PREDICATE, verifyStatement } = await import('../sign/index.js');
  const { bytes, digest } = await source.resolve();
  const manifest = parseManifest(bytes, source.display);
  const files = checkTitles(manifest.layers, { maxFileBytes: input.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, maxTotalBytes: input.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES }, source.display);

  const referrers = await source.referrers(digest, MEDIA_TYPES.sigstoreBundle);
  if (referrers.length === 0) {
    throw new UserInputError('VERIFY_UNSIGNED', `${source.display} (${digest}) has no Sigstore signature`, {
      details: 'No referrer of type application/vnd.dev.sigstore.bundle.v0.3+json points at this manifest: it was published unsigned, or the manifest was replaced after signing.',
    });
  }
  const attestations: VerifyResult['attestations'] = [];
  const failures: PipelineError[] = [];
  let signer: string | undefined;
  let provenance: { statement: { predicate?: unknown } } | undefined;
  for (const ref of referrers) {
    const declared = ref.annotations?.[PREDICATE_ANNOTATION];
    try {
      const bundle = await referrerBundle(source, ref, digest);
      const verified = await verifyStatement(bundle, policy, { manifestDigest: digest, predicateType: declared, what: `referrer ${ref.digest.slice(0, 19)}` }, input.loadTrustedRoot);
      const predicateType = verified.statement.predicateType;
      const passed = predicateType === E2E_PREDICATE && (verified.statement.predicate as { result?: unknown } | undefined)?.result === 'passed';
      const kind = predicateType === COSIGN_SIGN_PREDICATE ? 'signature' : predicateType === SLSA_PROVENANCE_PREDICATE ? 'provenance' : passed ? 'e2e' : 'other';
      if (kind === 'signature') signer ??= verified.signer;
      if (kind === 'provenance') provenance ??= verified;
      attestations.push({ kind, digest: ref.digest, predicateType });
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      failures.push(error);
    }
  }
  if (!signer) {
    throw failures[0] ?? new UserInputError('VERIFY_NO_SIGNATURE_STATEMENT', `${source.display} has attestations but no signature statement (${COSIGN_SIGN_PREDICATE})`, { details: 'Publish again with --key or --keyless.' });
  }
  if (!provenance) {
    throw new UserInputError('VERIFY_NO_PROVENANCE', `${source.display} has no valid SLSA provenance for ${digest}`, {
      details: failures.length ? `Referrers that failed: ${failures.map((f) => `${f.code} ${f.message}`).join('; ')}` : 'Publish again with signing enabled; csp attaches provenance next to the signature.',
    });
  }
  checkByproducts(provenance.statement.predicate, files, source.display);
  if (input.requireE2e && !attestations.some((a) => a.kind === 'e2e')) {
    throw new UserInputError('VERIFY_E2E_MISSING', `${source.display} (${digest}) has no passing e2e attestation that verifies under the policy`, {
      details: failures.length ? `Referrers that failed: ${failures.map((f) => `${f.code} ${f.message}`).join('; ')}` : 'The publisher skipped csp e2e (--skip-e2e) or published before the gate existed.',
    });
  }

  const keep = input.downloadDir;
  const dir = keep ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'csp-verify-')));
  try {
    for (const layer of manifest.layers) {
      const file = path.join(dir, layer.digest.replace(/^sha256:/, ''));
      if (await fs.lstat(file).then(() => true, () => false)) continue;
      await source.download(layer, file).catch((error: unknown) => {
        if (error instanceof PipelineError && /DIGEST_MISMATCH|SIZE_MISMATCH|CORRUPT/.test(error.code)) {
          throw new UserInputError('VERIFY_LAYER_MISMATCH', `layer ${titleOf(layer)} of ${source.display} does not match its digest ${layer.digest}`, {
            details: `The stored content was changed after publishing (${error.message}).`,
            cause: error,
          });
        }
        throw error;
      });
    }
  } finally {
    if (!keep) await fs.rm(dir, { recursive: true, force: true });
  }
  return { ref: source.display, digest, ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}), signer, attestations, files, ignored: failures.map((f) => `${f.code} ${f.message}`) };
}

function parseManifest(bytes: Buffer, display: string): ImageManifest {
  let manifest: ImageManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  } catch (error) {
    throw new UpstreamError('VERIFY_MANIFEST_INVALID', `${display} is not JSON`, { url: display, details: 'Not an OCI manifest; the registry or layout holds something else under this name.', cause: error });
  }
  if (manifest.mediaType !== MEDIA_TYPES.manifest || !Array.isArray(manifest.layers)) {
    throw new UpstreamError('VERIFY_MANIFEST_INVALID', `${display} is not an OCI image manifest (${String(manifest.mediaType)})`, { url: display, details: 'A cluster-stack bundle is one image manifest with one layer per file.' });
  }
  return manifest;
}

async function referrerBundle(source: ArtifactSource, ref: Descriptor, subjectDigest: string): Promise<Buffer> {
  const bytes = await source.manifest(ref.digest);
  if (!bytes) throw new UserInputError('VERIFY_REFERRER_MISSING', `referrer ${ref.digest} is listed but missing`, { details: 'The referrers index points at a deleted manifest.' });
  const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  if (manifest.subject?.digest !== subjectDigest) {
    throw new UserInputError('VERIFY_SUBJECT_MISMATCH', `referrer ${ref.digest.slice(0, 19)} has subject ${manifest.subject?.digest ?? 'none'}, not ${subjectDigest}`, {
      details: 'The referrers index lists a signature of another manifest.',
    });
  }
  const layer = manifest.layers?.find((l) => l.mediaType === MEDIA_TYPES.sigstoreBundle);
  if (!layer) throw new UserInputError('VERIFY_BUNDLE_INVALID', `referrer ${ref.digest.slice(0, 19)} has no Sigstore bundle layer`, { details: 'Not a csp/cosign signature artifact.' });
  if (layer.size > 16 * 1024 * 1024) throw new UserInputError('VERIFY_BUNDLE_INVALID', `referrer ${ref.digest.slice(0, 19)} bundle is ${layer.size} bytes`, { details: 'Sigstore bundles are small; refusing to load this one.' });
  return source.blob(layer);
}

function checkByproducts(predicate: unknown, files: { name: string; digest: string }[], display: string): void {
  const byproducts = (predicate as { runDetails?: { byproducts?: { name?: string; digest?: { sha256?: string } }[] } })?.runDetails?.byproducts;
  if (!Array.isArray(byproducts)) return;
  for (const f of files) {
    const listed = byproducts.find((b) => b.name === f.name);
    if (listed && `sha256:${listed.digest?.sha256}` !== f.digest) {
      throw new UserInputError('VERIFY_PROVENANCE_MISMATCH', `provenance of ${display} records ${f.name} as sha256:${listed.digest?.sha256}, the manifest as ${f.digest}`, {
        details: 'The bundle content differs from what the build recorded.',
      });
    }
  }
}

function titleOf(layer: Descriptor): string {
  return layer.annotations?.['org.opencontainers.image.title'] ?? layer.digest;
}
