/**
 * The e2e gate. `attachE2eAttestation` signs a passing csp e2e result about the bundle's manifest digest and adds
 * it as a referrer in the build's OCI layout; `requireE2eAttestation` finds such a referrer, verifies it under a
 * policy and checks that it says passed, so publish can copy it to registries (or refuse without one).
 */
import { PipelineError, UserInputError } from '../core/errors.js';
import type { Attestation, SigningMode, VerifyPolicy } from '../sign/index.js';
import { openLayout, type LayoutStore } from './layout-store.js';
import { PREDICATE_ANNOTATION, referrerFor } from './referrer-manifest.js';
import { MEDIA_TYPES, type ImageManifest } from './oci/types.js';

/** The fields of an e2e result the attestation carries (csp e2e's E2eResult fits). */
export interface E2eOutcome {
  ok: boolean;
  bundle: { releaseName: string; kubernetesVersion: string; manifestDigest?: string };
  versions: unknown;
  startedOn: string;
  finishedOn: string;
  checks: { id: string; name: string; status: string; message: string }[];
}

/** Signs a passing run and attaches it to `releaseName` in the layout; returns the referrer digest. */
export async function attachE2eAttestation(input: { layoutDir: string; releaseName: string; result: E2eOutcome; signing: SigningMode; created: string }): Promise<{ digest: string }> {
  const { result } = input;
  const store = await openLayout(input.layoutDir);
  const found = await store.resolve(input.releaseName);
  if (!found) throw new UserInputError('E2E_NOT_IN_LAYOUT', `${input.releaseName} is not in ${input.layoutDir}`, { details: 'Run csp e2e on a release folder written by csp build, with its OUT/oci-layout.' });
  if (!result.ok) throw new UserInputError('E2E_NOT_PASSED', `the e2e run of ${input.releaseName} did not pass; nothing to attest`, { details: 'Only passing runs are attested.' });
  if (result.bundle.manifestDigest !== found.descriptor.digest) {
    throw new UserInputError('E2E_DIGEST_MISMATCH', `the run tested ${result.bundle.manifestDigest ?? 'an unknown digest'}, the layout holds ${found.descriptor.digest}`, { details: 'The bundle was rebuilt after the run; run csp e2e again.' });
  }
  const predicate: Record<string, unknown> = {
    result: 'passed',
    releaseName: result.bundle.releaseName,
    kubernetesVersion: result.bundle.kubernetesVersion,
    versions: result.versions,
    startedOn: result.startedOn,
    finishedOn: result.finishedOn,
    checks: result.checks.map((c) => ({ id: c.id, name: c.name, status: c.status, message: c.message })),
  };
  // sign/ (and with it sigstore) loads only here, so an unsigned csp publish never loads it.
  const { signE2e } = await import('../sign/index.js');
  const attestation = await signE2e({ subjectName: input.releaseName, manifestDigest: found.descriptor.digest, predicate }, input.signing);
  const referrer = referrerFor(attestation, found.descriptor, input.created);
  for (const b of referrer.blobs) await store.writeBlob((b.source as { bytes: Uint8Array }).bytes);
  await store.addManifest(referrer.manifest);
  return { digest: referrer.digest };
}

/** A verified passing e2e attestation of `digest` in the layout (its signed bundle, to copy to other targets). */
export async function requireE2eAttestation(layout: LayoutStore, releaseName: string, digest: string, policy: VerifyPolicy): Promise<{ attestation: Attestation; referrerDigest: string }> {
  const { E2E_PREDICATE, verifyStatement } = await import('../sign/index.js');
  const candidates = (await layout.referrers(digest, MEDIA_TYPES.sigstoreBundle)).filter((d) => d.annotations?.[PREDICATE_ANNOTATION] === E2E_PREDICATE);
  const problems: string[] = [];
  for (const ref of candidates) {
    try {
      const manifest = JSON.parse((await layout.manifest(ref.digest))?.toString('utf8') ?? 'null') as ImageManifest | null;
      const layer = manifest?.layers?.find((l) => l.mediaType === MEDIA_TYPES.sigstoreBundle);
      if (!manifest || manifest.mediaType !== MEDIA_TYPES.manifest || manifest.subject?.digest !== digest || !layer || layer.size > 16 * 1024 * 1024) {
        problems.push(`${ref.digest.slice(0, 19)}: not an attestation of ${digest}`);
        continue;
      }
      const bundle = await layout.readBlob(layer);
      const verified = await verifyStatement(bundle, policy, { manifestDigest: digest, predicateType: E2E_PREDICATE, what: `e2e attestation ${ref.digest.slice(0, 19)}` });
      if ((verified.statement.predicate as { result?: unknown } | undefined)?.result !== 'passed') {
        problems.push(`${ref.digest.slice(0, 19)}: the run did not pass`);
        continue;
      }
      return { attestation: { kind: 'e2e', predicateType: E2E_PREDICATE, bundle }, referrerDigest: ref.digest };
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      problems.push(`${ref.digest.slice(0, 19)}: ${error.code} ${error.message}`);
    }
  }
  throw new UserInputError('PUBLISH_E2E_MISSING', `${releaseName} (${digest}) has no passing e2e attestation that verifies`, {
    details: `${problems.length ? `Rejected: ${problems.join('; ')}. ` : ''}Run csp e2e with --key/--keyless on this bundle first, or pass --skip-e2e (recorded in the release record).`,
  });
}
