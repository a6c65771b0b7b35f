/**
 * Where a published bundle is read from when verifying or pulling: a registry repository or a local OCI layout,
 * behind one small interface. Every read is digest-checked by the layer below.
 */
import { UserInputError } from '../core/errors.js';
import type { Repository } from './oci/repository.js';
import type { Reference } from './oci/reference.js';
import type { Descriptor } from './oci/types.js';
import type { LayoutStore } from './layout-store.js';

/** A read-only view of one published bundle and its referrers. */
export interface ArtifactSource {
  /** How to name it in messages, e.g. `127.0.0.1:5000/kaas/stacks:openstack-scs-1-30-v1`. */
  display: string;
  /** The bundle manifest: exact bytes and digest. */
  resolve(): Promise<{ bytes: Buffer; digest: string }>;
  referrers(subjectDigest: string, artifactType?: string): Promise<Descriptor[]>;
  /** A manifest by digest (digest-checked); null when missing. */
  manifest(digest: string): Promise<Buffer | null>;
  /** A small blob into memory (digest-checked). */
  blob(descriptor: Descriptor): Promise<Buffer>;
  /** A blob to a file (digest- and size-checked; the file exists only when it matched). */
  download(descriptor: Descriptor, file: string): Promise<void>;
}

/** A bundle in a registry repository, by tag and/or digest. */
export function registrySource(repo: Repository, ref: Reference): ArtifactSource {
  const reference = ref.digest ?? ref.tag;
  const display = `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  return {
    display,
    async resolve() {
      if (!reference) throw new UserInputError('VERIFY_REF_NO_TAG', `${display} names no tag or digest`, { details: 'Append :<release-name> or @sha256:<digest>.' });
      const fetched = await repo.getManifest(reference);
      if (!fetched) throw new UserInputError('VERIFY_NOT_FOUND', `${display} does not exist`, { details: 'Check the registry, repository and release name.' });
      if (ref.tag && ref.digest) {
        const tagged = await repo.headManifest(ref.tag);
        if (tagged?.digest !== ref.digest) {
          throw new UserInputError('VERIFY_TAG_MOVED', `${display}: the tag points at ${tagged?.digest ?? 'nothing'}, not the pinned digest`, { details: 'The tag was changed after the digest was recorded.' });
        }
      }
      return { bytes: Buffer.from(fetched.bytes), digest: fetched.digest };
    },
    referrers: (digest, artifactType) => repo.listReferrers(digest, artifactType),
    // Referrers may live in the companion signature repository (registries without the referrers API).
    async manifest(digest) {
      const fetched = (await repo.getManifest(digest)) ?? (await repo.signatures().getManifest(digest));
      return fetched ? Buffer.from(fetched.bytes) : null;
    },
    async blob(descriptor) {
      const from = (await repo.blobExists(descriptor.digest)) ? repo : repo.signatures();
      return Buffer.from(await from.getBlob(descriptor.digest));
    },
    download: (descriptor, file) => repo.downloadBlob(descriptor.digest, descriptor.size, file),
  };
}

/** A bundle in a local OCI layout, by release name (`org.opencontainers.image.ref.name`). */
export function layoutSource(store: LayoutStore, refName: string): ArtifactSource {
  const display = `${store.dir}:${refName}`;
  return {
    display,
    async resolve() {
      const found = await store.resolve(refName);
      if (!found) throw new UserInputError('VERIFY_NOT_FOUND', `${refName} is not in the layout ${store.dir}`, { details: 'Check the release name (dash form) or run csp build.' });
      return { bytes: found.bytes, digest: found.descriptor.digest };
    },
    referrers: (digest, artifactType) => store.referrers(digest, artifactType),
    manifest: (digest) => store.manifest(digest),
    blob: (descriptor) => store.readBlob(descriptor),
    download: (descriptor, file) => store.copyBlob(descriptor, file),
  };
}
