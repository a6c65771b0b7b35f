/** Publishing to a registry repository: blobs, manifest, tag = release name (immutable), then attestations as referrers. */
import { UserInputError } from '../core/errors.js';
import { openRepository } from './oci/repository.js';
import { MEDIA_TYPES } from './oci/types.js';
import { parseReference } from './oci/reference.js';
import { referrerFor } from './referrer-manifest.js';
import { reconcileAttestations } from './target-layout.js';
import type { PublishTarget, TargetImpl, TargetResult } from './types.js';

type OciTarget = Extract<PublishTarget, { kind: 'oci' }>;

/** Pushes the bundle under its release name and attaches signature, provenance and SBOM (unless already signed). */
export const ociTarget: TargetImpl<OciTarget> = {
  async publish(target, ctx) {
    const { release, deps } = ctx;
    const ref = parseReference(target.reference);
    if (ref.digest || (ref.tag && ref.tag !== release.releaseName)) {
      throw new UserInputError('PUBLISH_TARGET_INVALID', `--to ${target.reference} names a tag or digest`, {
        details: `Give only oci://HOST/REPO; the tag is always the release name (${release.releaseName}).`,
      });
    }
    const repo = await openRepository(
      { registry: ref.registry, repository: ref.repository },
      { http: deps.http, log: deps.log, credentials: deps.credentialsFor?.(ref.registry), dockerConfig: deps.dockerConfig, ...deps.registryOptions },
    );
    const pushed = await repo.publish({ manifest: release.manifest, blobs: release.blobs, tag: release.releaseName, dryRun: ctx.dryRun, ready: ctx.ready });
    const attestations: TargetResult['attestations'] = [];
    let bytesSent = pushed.bytesSent;
    if (ctx.signed) {
      // Per kind: a run that died after the signature but before provenance/SBOM completes them on a re-run.
      const already = pushed.status === 'unchanged' ? await repo.listReferrers(release.descriptor.digest, MEDIA_TYPES.sigstoreBundle) : [];
      attestations.push(...(await reconcileAttestations(release, already, {
        dryRun: ctx.dryRun,
        attest: () => ctx.attest(`${ref.registry}/${ref.repository}`),
        async attach(a) {
          const referrer = referrerFor(a, release.descriptor, ctx.created);
          await repo.pushReferrer(release.descriptor.digest, referrer.manifest, referrer.blobs);
          bytesSent += referrer.blobs[1]!.descriptor.size;
          return referrer.digest;
        },
      })));
    }
    return { target: 'oci', ref: `${ref.registry}/${ref.repository}:${release.releaseName}`, digest: pushed.digest, status: pushed.status, bytesSent, attestations };
  },
};
