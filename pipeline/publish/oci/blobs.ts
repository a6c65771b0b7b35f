/** Reading blobs: existence checks (HEAD), small blobs into memory and big ones to a file by ranges, all digest-verified. */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { UpstreamError } from '../../core/errors.js';
import { registryError, scopesFor, type RepositoryTarget } from './client.js';
import { assertDigest } from './digest.js';

/** True when the repository has the blob (HEAD 200), false on 404. */
export async function blobExists(repo: RepositoryTarget, digest: string): Promise<boolean> {
  assertDigest(digest);
  const res = await repo.client.send({ url: `/v2/${repo.name}/blobs/${digest}`, method: 'HEAD', scopes: scopesFor(repo, 'pull') });
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await registryError(repo.client, res, `checking blob ${digest.slice(0, 19)} in ${repo.name}`);
}

/** Downloads a blob into memory and checks its digest (for configs, small layers, referrer payloads). */
export async function getBlob(repo: RepositoryTarget, digest: string): Promise<Uint8Array> {
  assertDigest(digest);
  const res = await repo.client.send({ url: `/v2/${repo.name}/blobs/${digest}`, scopes: scopesFor(repo, 'pull') });
  if (res.status !== 200) throw await registryError(repo.client, res, `downloading blob ${digest.slice(0, 19)} from ${repo.name}`);
  const bytes = await res.bytes();
  checkDigest(repo, digest, crypto.createHash('sha256').update(bytes), res.url);
  return bytes;
}

/**
 * Downloads a blob of known size to `file` with Range requests of `chunkSize` bytes, hashing as it goes,
 * so no more than one chunk is in memory; the file appears only after the digest matched.
 */
export async function downloadBlob(repo: RepositoryTarget, digest: string, size: number, file: string): Promise<void> {
  assertDigest(digest);
  const hash = crypto.createHash('sha256');
  const partial = `${file}.partial`;
  const handle = await fs.open(partial, 'w');
  let lastUrl = '';
  try {
    let offset = 0;
    while (offset < size || (size === 0 && offset === 0)) {
      const end = Math.min(offset + repo.client.options.chunkSize, size) - 1;
      const headers: Record<string, string> = size === 0 ? {} : { range: `bytes=${offset}-${end}` };
      // A registry may send more than the Range asked for: never read past what the descriptor allows.
      const maxBytes = offset === 0 ? size : end - offset + 1;
      const res = await repo.client.send({ url: `/v2/${repo.name}/blobs/${digest}`, headers, scopes: scopesFor(repo, 'pull'), timeoutMs: 300_000, maxBytes });
      lastUrl = res.url;
      if (res.status !== 200 && res.status !== 206) throw await registryError(repo.client, res, `downloading blob ${digest.slice(0, 19)} from ${repo.name}`);
      const bytes = await res.bytes();
      if (res.status === 200 && offset > 0) {
        throw new UpstreamError('OCI_RANGE_UNSUPPORTED', `the registry ignored a Range request for ${digest.slice(0, 19)}`, {
          url: repo.client.baseUrl,
          details: 'The registry or a proxy in front of it does not support ranged blob downloads.',
        });
      }
      hash.update(bytes);
      await handle.write(bytes);
      offset += bytes.length;
      if (res.status === 200 || bytes.length === 0) break;
    }
    if (offset !== size) {
      throw new UpstreamError('OCI_BLOB_SIZE_MISMATCH', `blob ${digest.slice(0, 19)} has ${offset} bytes, expected ${size}`, {
        url: repo.client.baseUrl,
        details: 'The registry served different content than the manifest describes; the download was discarded.',
      });
    }
    checkDigest(repo, digest, hash, lastUrl);
  } catch (error) {
    await handle.close();
    await fs.rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(partial, file);
}

function checkDigest(repo: RepositoryTarget, expected: string, hash: crypto.Hash, url: string): void {
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== expected) {
    throw new UpstreamError('OCI_BLOB_DIGEST_MISMATCH', `blob from ${repo.client.registry}/${repo.name} has digest ${actual}, expected ${expected}`, {
      url: url.replace(/\?.*$/, ''),
      details: 'The registry (or something between) served corrupted or different content; the bytes were discarded.',
    });
  }
}
