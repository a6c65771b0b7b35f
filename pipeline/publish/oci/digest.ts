/** sha256 digests: computing, checking the `sha256:<64 hex>` form, and hashing files without loading them. */
import crypto from 'node:crypto';
import { UserInputError } from '../../core/errors.js';
import { hashFile } from '../../core/stored-file.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** `sha256:<hex>` of the bytes. */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

/** True for a well-formed sha256 digest (the only algorithm the client produces). */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** Throws OCI_DIGEST_INVALID unless `text` is `sha256:<64 lowercase hex>`. */
export function assertDigest(text: string): string {
  if (!isDigest(text)) {
    throw new UserInputError('OCI_DIGEST_INVALID', `not a sha256 digest: ${text.slice(0, 80)}`, {
      details: 'Digests look like sha256:<64 lowercase hex characters>.',
    });
  }
  return text;
}

/** Digest and size of a file, read through one reused 1 MiB buffer (core/stored-file.ts `hashFile`). */
export async function digestFile(path: string): Promise<{ digest: string; size: number }> {
  const { sha256, size } = await hashFile(path);
  return { digest: `sha256:${sha256}`, size };
}
