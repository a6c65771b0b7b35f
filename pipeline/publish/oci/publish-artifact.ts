/**
 * Publishing one artifact: blobs first, the manifest last (by tag, which stores it under its digest too). Tags are immutable:
 * the same digest is a no-op, a different one is refused. `dryRun` only looks (HEADs) and reports.
 */
import { UserInputError } from '../../core/errors.js';
import { once } from '../../core/once.js';
import { blobExists } from './blobs.js';
import { pushBlob, type BlobAction } from './blob-upload.js';
import type { RepositoryTarget } from './client.js';
import { sha256Digest } from './digest.js';
import { headManifest, manifestMediaType, pushManifest } from './manifests.js';
import { assertTag } from './reference.js';
import type { BlobInput, Descriptor } from './types.js';

/** What to publish: exact manifest bytes, the blobs it references that we hold, and the tag. */
export interface PublishInput {
  manifest: Uint8Array;
  blobs: BlobInput[];
  /**
   * The caller's checks: started once the big blobs are streaming (or found present; at once when there are none),
   * so their work overlaps the upload instead of delaying its start, and awaited after the blobs and before the
   * manifest (the first thing a reader can see); a failure stops the push.
   */
  ready?: () => Promise<void>;
  tag?: string;
  dryRun?: boolean;
  /** Repositories on the same registry to mount blobs from before uploading. */
  mountFrom?: string[];
}

/** One blob's fate; the `would-*` actions come from dry runs. */
export interface PublishedBlob {
  digest: string;
  size: number;
  action: BlobAction | 'would-upload' | 'would-skip';
}

/** What `publishArtifact` did (JSON-serialisable, for reports and releases/ records). */
export interface PublishResult {
  repository: string;
  digest: string;
  tag?: string;
  status: 'pushed' | 'unchanged' | 'would-push';
  blobs: PublishedBlob[];
  /** Blob body bytes sent over the network, retries included. */
  bytesSent: number;
}

/** Pushes blobs, manifest and tag in that order so a visible tag never points at missing content. */
export async function publishArtifact(repo: RepositoryTarget, input: PublishInput): Promise<PublishResult> {
  if (input.tag !== undefined) assertTag(input.tag);
  const mediaType = manifestMediaType(input.manifest);
  const digest = sha256Digest(input.manifest);
  const referenced = referencedDescriptors(input.manifest);
  const given = new Map(input.blobs.map((b) => [b.descriptor.digest, b]));
  for (const blob of input.blobs) {
    const ref = referenced.find((d) => d.digest === blob.descriptor.digest);
    if (ref && ref.size !== blob.descriptor.size) {
      throw new UserInputError('OCI_BLOB_MISMATCH', `blob ${blob.descriptor.digest.slice(0, 19)} is ${blob.descriptor.size} bytes but the manifest says ${ref.size}`, {
        details: 'Rebuild the bundle so the manifest and its files agree.',
      });
    }
  }
  const base = { repository: `${repo.client.registry}/${repo.name}`, digest, ...(input.tag ? { tag: input.tag } : {}) };

  if (input.tag) {
    const existing = await headManifest(repo, input.tag);
    if (existing) return unchangedOrRefuse(base, existing.digest, referenced);
  }

  const unique = [...new Map(referenced.map((d) => [d.digest, d])).values()];
  // Big file blobs (≥ 32 MiB) go up in the background while the small ones follow one by one in manifest order (as
  // before, so auth challenges and fault positions stay where they were): their round trips hide behind the
  // big upload. Every blob is settled before the manifest; the first failure in manifest order is reported.
  const big = (d: Descriptor): boolean => {
    const source = given.get(d.digest)?.source;
    return d.size >= BACKGROUND_MIN_BYTES && source !== undefined && 'path' in source;
  };
  // Awaited below, unless a blob failed first.
  const startReady = once(() => input.ready?.() ?? Promise.resolve());
  if (!unique.some(big)) startReady();
  const outcomes = await settleInOrder(unique, big, async (descriptor): Promise<PublishedBlob & { bytesSent: number }> => {
    const blob = given.get(descriptor.digest);
    const present = await blobExists(repo, descriptor.digest);
    if (input.dryRun || (present && big(descriptor))) startReady();
    if (input.dryRun) {
      if (!present && !blob) throw missingBlob(descriptor);
      return { digest: descriptor.digest, size: descriptor.size, action: present ? 'would-skip' : 'would-upload', bytesSent: 0 };
    }
    if (present) return { digest: descriptor.digest, size: descriptor.size, action: 'skipped', bytesSent: 0 };
    if (!blob) throw missingBlob(descriptor);
    const pushed = await pushBlob(repo, blob, { mountFrom: input.mountFrom, knownMissing: true, ...(big(descriptor) ? { onStreaming: startReady } : {}) });
    return { digest: pushed.digest, size: pushed.size, action: pushed.action, bytesSent: pushed.bytesSent };
  });
  const blobs: PublishedBlob[] = outcomes.map(({ digest: d, size, action }) => ({ digest: d, size, action }));
  const bytesSent = outcomes.reduce((n, o) => n + o.bytesSent, 0);
  await startReady();
  if (input.dryRun) return { ...base, status: 'would-push', blobs, bytesSent: 0 };

  if (input.tag) {
    // Narrow the race with a concurrent publisher: 2.8.2 has no conditional PUT to close it.
    const existing = await headManifest(repo, input.tag);
    if (existing) return { ...unchangedOrRefuse(base, existing.digest, referenced), blobs, bytesSent };
    // One PUT by tag stores the manifest under its digest too; pushing it by digest first only doubled the bytes.
    await pushManifest(repo, input.tag, input.manifest, mediaType);
  } else {
    await pushManifest(repo, digest, input.manifest, mediaType);
  }
  return { ...base, status: 'pushed', blobs, bytesSent };
}

/** Big blobs uploading in the background at once. */
const BACKGROUND_UPLOADS = 2;
/** From this size on, a file blob's upload takes long enough to hide the small blobs' round trips behind it. */
const BACKGROUND_MIN_BYTES = 32 * 1024 * 1024;

/**
 * `fn` over `items`: those `background` says are started (at most BACKGROUND_UPLOADS at a time) alongside the
 * others, which run one by one in order and stop at the first failure. Waits for all that started, then throws
 * the first failure in item order (so the error reported does not depend on timing) or returns results in order.
 */
async function settleInOrder<T, R>(items: T[], background: (item: T) => boolean, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: (PromiseSettledResult<R> | undefined)[] = new Array(items.length);
  const run = async (i: number): Promise<void> => {
    results[i] = await fn(items[i] as T).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }));
  };
  const queue = items.map((item, i) => (background(item) ? i : -1)).filter((i) => i >= 0);
  const lane = async (): Promise<void> => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) await run(i);
  };
  const lanes = Array.from({ length: Math.min(BACKGROUND_UPLOADS, queue.length) }, lane);
  for (let i = 0; i < items.length; i++) {
    if (background(items[i] as T)) continue;
    await run(i);
    if (results[i]?.status === 'rejected') {
      queue.length = 0;
      break;
    }
  }
  await Promise.all(lanes);
  const failed = results.find((r) => r?.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<R>).value);
}

/** Config, layers (image manifest) or child manifests (index) a manifest points at; the registry needs them first. */
export function referencedDescriptors(manifest: Uint8Array): Descriptor[] {
  const parsed = JSON.parse(new TextDecoder().decode(manifest)) as { config?: Descriptor; layers?: Descriptor[] };
  return [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])];
}

function unchangedOrRefuse(base: Omit<PublishResult, 'status' | 'blobs' | 'bytesSent'>, existing: string, referenced: Descriptor[]): PublishResult {
  if (existing === base.digest) {
    return { ...base, status: 'unchanged', blobs: referenced.map((d) => ({ digest: d.digest, size: d.size, action: 'skipped' as const })), bytesSent: 0 };
  }
  throw new UserInputError('OCI_TAG_EXISTS', `${base.repository}:${base.tag} already points at ${existing}, not ${base.digest}`, {
    details: 'Published tags are immutable. Bump the cluster stack version so the release gets a new tag, or delete the old release deliberately.',
  });
}

function missingBlob(descriptor: Descriptor): UserInputError {
  return new UserInputError('OCI_BLOB_NOT_PROVIDED', `the manifest references ${descriptor.digest.slice(0, 19)} (${descriptor.mediaType}), which is neither given nor in the repository`, {
    details: 'Pass every file of the bundle (and the empty config {}) to publish.',
  });
}
