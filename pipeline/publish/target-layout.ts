/** Publishing into an OCI image layout: the build's own (then only signatures are added) or another folder. */
import { UserInputError } from '../core/errors.js';
import { openLayout } from './layout-store.js';
import { referrerFor } from './referrer-manifest.js';
import { SIGSTORE_BUNDLE_MEDIA_TYPE } from '../sign/index.js';
import type { LoadedRelease } from './release-source.js';
import type { PublishTarget, TargetImpl, TargetResult } from './types.js';

type LayoutTarget = Extract<PublishTarget, { kind: 'oci-layout' }>;

/** Adds the bundle (immutable by release name) and its attestations as referrers to the layout. */
export const layoutTarget: TargetImpl<LayoutTarget> = {
  async publish(target, ctx) {
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
      const already = existing ? await store.referrers(release.descriptor.digest, SIGSTORE_BUNDLE_MEDIA_TYPE) : [];
      if (already.length > 0) {
        for (const d of already) attestations.push({ kind: kindOf(d.annotations), digest: d.digest, status: 'already-signed' });
      } else {
        // A dry run never signs (keyless signing would reach Fulcio and Rekor).
        if (ctx.dryRun) attestations.push(...plannedAttestations(release));
        for (const a of ctx.dryRun ? [] : await ctx.attest(release.releaseName)) {
          const referrer = referrerFor(a, release.descriptor, ctx.created);
          for (const b of referrer.blobs) await store.writeBlob((b.source as { bytes: Uint8Array }).bytes);
          await store.addManifest(referrer.manifest);
          attestations.push({ kind: a.kind, digest: referrer.digest, status: 'attached' });
        }
      }
    }
    return { target: 'oci-layout', ref, digest: release.descriptor.digest, status, attestations };
  },
};

/** What a dry run would attach: signature, provenance, and the SBOM when the release has one. */
export function plannedAttestations(release: LoadedRelease): TargetResult['attestations'] {
  const kinds: TargetResult['attestations'][number]['kind'][] = ['signature', 'provenance', ...(release.sbom ? (['sbom'] as const) : [])];
  return kinds.map((kind) => ({ kind, digest: '', status: 'would-attach' as const }));
}

/** Attestation kind from a referrer's predicate annotation. */
export function kindOf(annotations: Record<string, string> | undefined): 'signature' | 'provenance' | 'sbom' {
  const p = annotations?.['dev.sigstore.bundle.predicateType'] ?? '';
  return p.includes('slsa.dev/provenance') ? 'provenance' : p.includes('cosign/sign') ? 'signature' : 'sbom';
}
