/**
 * Signature assets are compared by what they sign, not by their bytes: ECDSA and keyless signatures differ on
 * every run, so a re-run of a publish that already uploaded `SHA256SUMS.sigstore.json` would otherwise see a
 * "different" asset and be refused (published release) or replace it needlessly (draft). When the caller
 * accepts the remote bytes as equivalent (a valid signature of the same SHA256SUMS under the same key), the
 * local file takes the remote bytes, so local folder, draft and published release converge.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { GithubClient } from './client.js';
import type { LocalAsset } from './local-files.js';
import { downloadAsset } from './remote.js';
import type { GithubAssetInfo } from './types.js';

/** Decides whether remote bytes of asset `name` stand for the local file (e.g. a valid signature of the same data). */
export type AssetEquivalence = (name: string, remote: Uint8Array) => Promise<boolean>;

/** Returns `files` with equivalent remote assets adopted (and written to their local paths); logs each adoption. */
export async function adoptEquivalentAssets(gh: GithubClient, assets: GithubAssetInfo[], files: LocalAsset[], equivalent: AssetEquivalence | undefined): Promise<LocalAsset[]> {
  if (!equivalent) return files;
  const byName = new Map(assets.map((a) => [a.name, a]));
  const out: LocalAsset[] = [];
  for (const file of files) {
    const asset = byName.get(file.name);
    const same = asset?.digest?.startsWith('sha256:') && asset.digest.slice(7) === file.sha256;
    if (!asset || asset.state !== 'uploaded' || same || asset.size > 1024 * 1024) {
      out.push(file);
      continue;
    }
    const remote = Buffer.from(await downloadAsset(gh, asset.id, asset.name));
    const sha256 = createHash('sha256').update(remote).digest('hex');
    if (sha256 === file.sha256 || !(await equivalent(file.name, remote))) {
      out.push(file);
      continue;
    }
    await fs.writeFile(file.path, remote);
    gh.log.info(`  ${file.name}: GitHub holds an equivalent signature of the same content; keeping it (local copy updated)`);
    out.push({ ...file, bytes: remote, size: remote.length, sha256 });
  }
  return out;
}
