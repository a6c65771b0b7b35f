/** Publishing into an OCI image layout: the build's own (then only signatures are added) or another folder. */
import { UserInputError } from '../core/errors.js';
import { openLayout } from './layout-store.js';
import { referrerFor } from './referrer-manifest.js';
import type { Attestation } from '../sign/index.js';
import { MEDIA_TYPES } from './oci/types.js';
import type { LoadedRelease } from './release-source.js';
import type { PublishTarget, TargetImpl, TargetResult } from './types.js';

type LayoutTarget = Extract<PublishTarget, { kind: 'oci-layout' }>;

/** Adds the bundle (immutable by release name) and its attestations as referrers to the layout. */
export const layoutTarget: TargetImpl<LayoutTarget> = {
  async publish(target, ctx) {
    await ctx.ready(); // nothing of this target is content-addressed: no work before the release is checked
    const { release } = ctx;
    const store = await openLayout(target.dir, { create: true });
    const existing = await store.resolve(release.releaseName);
    if (existing && existing.descriptor.digest !== release.descriptor.digest) {
      throw new UserInputError('PUBLISH_TAG_EXISTS', `${target.dir}:${release.releaseName} already holds ${existing.descriptor.digest}, not ${release.descriptor.digest}`, {
        details: 'Published release names are immutable. Bump the cluster stack version to publish new content.',
      });
    }
    const ref = `${target.dir}:${release.releaseName}`;
    const status: TargetResult['status'] = existing ? 'unchanged' : ctx.dryRun ? 'would-push' : 'pushed';
    if (!existing && !ctx.dryRun) {
      for (const blob of release.blobs) await store.writeBlob(await release.layout.readBlob(blob.descriptor));
      await store.addManifest(release.manifest, release.releaseName);
    }
    const attestations: TargetResult['attestations'] = [];
    if (ctx.signed) {
      const already = existing ? await store.referrers(release.descriptor.digest, MEDIA_TYPES.sigstoreBundle) : [];
      attestations.push(...(await reconcileAttestations(release, already, {
        dryRun: ctx.dryRun,
        attest: () => ctx.attest(release.releaseName),
        async attach(a) {
          const referrer = referrerFor(a, release.descriptor, ctx.created);
          for (const b of referrer.blobs) await store.writeBlob((b.source as { bytes: Uint8Array }).bytes);
          await store.addManifest(referrer.manifest);
          return referrer.digest;
        },
      })));
    }
    return { target: 'oci-layout', ref, digest: release.descriptor.digest, status, attestations };
  },
};

type Kind = TargetResult['attestations'][number]['kind'];

/** The attestation kinds a release needs: signature, provenance, and the SBOM when the release has one. */
export function wantedKinds(release: LoadedRelease): Kind[] {
  return ['signature', 'provenance', ...(release.sbom ? (['sbom'] as const) : [])];
}

/** What a dry run would attach (only `kinds`, default every wanted kind). */
export function plannedAttestations(release: LoadedRelease, kinds: Kind[] = wantedKinds(release)): TargetResult['attestations'] {
  return kinds.map((kind) => ({ kind, digest: '', status: 'would-attach' as const }));
}

/**
 * Reconciles attestations per kind: existing referrers count as `already-signed`, and only the kinds still
 * missing are signed and attached (a publish interrupted between two referrers completes on a re-run).
 */
export async function reconcileAttestations(
  release: LoadedRelease,
  existing: { digest: string; annotations?: Record<string, string> }[],
  ctx: { dryRun: boolean; attest: () => Promise<Attestation[]>; attach: (a: Attestation) => Promise<string> },
): Promise<TargetResult['attestations']> {
  const out: TargetResult['attestations'] = existing.map((d) => ({ kind: kindOf(d.annotations), digest: d.digest, status: 'already-signed' as const }));
  const present = new Set(out.map((a) => a.kind));
  const missing = wantedKinds(release).filter((k) => !present.has(k));
  if (missing.length === 0) return out;
  // A dry run never signs (keyless signing would reach Fulcio and Rekor).
  if (ctx.dryRun) return [...out, ...plannedAttestations(release, missing)];
  // The e2e attestation (signed by csp e2e, handed on by the gate) goes along whenever the target lacks one.
  for (const a of (await ctx.attest()).filter((x) => missing.includes(x.kind) || (x.kind === 'e2e' && !present.has('e2e')))) {
    out.push({ kind: a.kind, digest: await ctx.attach(a), status: 'attached' });
  }
  return out;
}

/** Attestation kind from a referrer's predicate annotation. */
export function kindOf(annotations: Record<string, string> | undefined): 'signature' | 'provenance' | 'sbom' | 'e2e' {
  const p = annotations?.['dev.sigstore.bundle.predicateType'] ?? '';
  return p.includes('slsa.dev/provenance') ? 'provenance' : p.includes('cosign/sign') ? 'signature' : p.includes('csp/e2e') ? 'e2e' : 'sbom';
}
