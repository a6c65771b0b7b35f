/**
 * csp's reader/writer of an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`) for publishing and
 * verifying: release manifests are found by `org.opencontainers.image.ref.name`, referrers are untagged index
 * entries whose manifest has a `subject`. Blobs are digest-checked when read; writes are atomic renames.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { digestFile, sha256Digest } from './oci/digest.js';
import { MEDIA_TYPES, type Descriptor, type ImageIndex } from './oci/types.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

/** An opened layout directory. */
export interface LayoutStore {
  dir: string;
  /** Manifest bytes and descriptor of a release name; null when the layout does not list it. */
  resolve(refName: string): Promise<{ descriptor: Descriptor; bytes: Buffer } | null>;
  /** A manifest by digest (checked). */
  manifest(digest: string): Promise<Buffer | null>;
  blobPath(digest: string): string;
  /** Blob bytes, checked against digest and size. */
  readBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Buffer>;
  /** Copies a blob to `file` after checking digest and size (streamed). */
  copyBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>, file: string): Promise<void>;
  /** Stores a blob (no-op when present with the right size). */
  writeBlob(bytes: Uint8Array): Promise<string>;
  /** Stores a manifest and lists it in index.json (with `refName` as a tag); no-op when listed. */
  addManifest(bytes: Uint8Array, refName?: string): Promise<{ digest: string; added: boolean }>;
  /** Index entries of manifests whose `subject` is `subjectDigest`, optionally of one artifactType. */
  referrers(subjectDigest: string, artifactType?: string): Promise<Descriptor[]>;
}

/** Opens (without creating) a layout directory; fails clearly when it is not one. */
export async function openLayout(dir: string, options: { create?: boolean } = {}): Promise<LayoutStore> {
  const layoutFile = path.join(dir, 'oci-layout');
  const present = await fs.stat(layoutFile).then(() => true, () => false);
  if (!present && !options.create) {
    throw new UserInputError('LAYOUT_NOT_FOUND', `${dir} is not an OCI image layout (no oci-layout file)`, { details: 'Run csp build first, or pass the build output with --out DIR.' });
  }
  const blobPath = (digest: string): string => {
    const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
    if (!m) throw new UserInputError('OCI_DIGEST_INVALID', `unsupported digest ${JSON.stringify(digest)} in ${dir}`, { details: 'Layouts written by csp only use sha256.' });
    return path.join(dir, 'blobs', 'sha256', m[1]!);
  };
  const readIndex = async (): Promise<ImageIndex> => {
    const text = await fs.readFile(path.join(dir, 'index.json'), 'utf8').catch(() => null);
    if (text === null) return { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [] };
    const index = JSON.parse(text) as Partial<ImageIndex>;
    return { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: Array.isArray(index.manifests) ? index.manifests : [] };
  };
  const corrupt = (digest: string): UserInputError =>
    new UserInputError('LAYOUT_BLOB_CORRUPT', `blob ${digest} in ${dir} does not match its digest or size`, { details: 'The layout was modified after it was written; rebuild it.' });
  const readBlob = async (d: Pick<Descriptor, 'digest' | 'size'>): Promise<Buffer> => {
    const bytes = await fs.readFile(blobPath(d.digest)).catch(() => {
      throw new UserInputError('LAYOUT_BLOB_MISSING', `blob ${d.digest} is missing from ${dir}`, { details: 'The layout is incomplete; rebuild it.' });
    });
    if (bytes.length !== d.size || sha256Digest(bytes) !== d.digest) throw corrupt(d.digest);
    return bytes;
  };
  const manifest = async (digest: string): Promise<Buffer | null> => {
    const bytes = await fs.readFile(blobPath(digest)).catch(() => null);
    if (!bytes) return null;
    if (sha256Digest(bytes) !== digest) throw corrupt(digest);
    return bytes;
  };
  const writeAtomic = async (file: string, data: Uint8Array): Promise<void> => {
    const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  };
  const writeBlob = async (bytes: Uint8Array): Promise<string> => {
    const digest = sha256Digest(bytes);
    const file = blobPath(digest);
    if (!(await fs.stat(file).then((s) => s.size === bytes.length, () => false))) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeAtomic(file, bytes);
    }
    return digest;
  };
  return {
    dir,
    blobPath,
    readBlob,
    manifest,
    writeBlob,
    async resolve(refName) {
      const index = await readIndex();
      const descriptor = index.manifests.find((m) => m.annotations?.[REF_NAME] === refName);
      if (!descriptor) return null;
      return { descriptor, bytes: await readBlob(descriptor) };
    },
    async copyBlob(d, file) {
      const { digest, size } = await digestFile(blobPath(d.digest)).catch(() => {
        throw new UserInputError('LAYOUT_BLOB_MISSING', `blob ${d.digest} is missing from ${dir}`, { details: 'The layout is incomplete; rebuild it.' });
      });
      if (digest !== d.digest || size !== d.size) throw corrupt(d.digest);
      await fs.copyFile(blobPath(d.digest), file);
      // Re-check the copy: the source could change between hashing and copying.
      const copied = await digestFile(file);
      if (copied.digest !== d.digest) throw corrupt(d.digest);
    },
    async addManifest(bytes, refName) {
      const digest = await writeBlob(bytes);
      const index = await readIndex();
      const listed = index.manifests.some((m) => m.digest === digest && (refName === undefined || m.annotations?.[REF_NAME] === refName));
      if (listed) return { digest, added: false };
      const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: string; artifactType?: string; config?: Descriptor; annotations?: Record<string, string> };
      const descriptor: Descriptor = {
        mediaType: parsed.mediaType ?? MEDIA_TYPES.manifest,
        digest,
        size: bytes.length,
        ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
        ...(refName || parsed.annotations ? { annotations: { ...parsed.annotations, ...(refName ? { [REF_NAME]: refName } : {}) } } : {}),
      };
      await fs.mkdir(dir, { recursive: true });
      await writeAtomic(path.join(dir, 'oci-layout'), Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
      await writeAtomic(path.join(dir, 'index.json'), Buffer.from(JSON.stringify({ ...index, manifests: [...index.manifests, descriptor] })));
      return { digest, added: true };
    },
    async referrers(subjectDigest, artifactType) {
      const out: Descriptor[] = [];
      for (const d of (await readIndex()).manifests) {
        if (d.annotations?.[REF_NAME] !== undefined) continue;
        if (artifactType && d.artifactType !== artifactType) continue;
        const bytes = await manifest(d.digest);
        const subject = bytes && (JSON.parse(bytes.toString('utf8')) as { subject?: Descriptor }).subject;
        if (subject?.digest === subjectDigest) out.push(d);
      }
      return out;
    },
  };
}
