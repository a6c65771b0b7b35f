/**
 * Opening a reference (`[oci://]HOST[:PORT]/REPO:TAG` or `LAYOUT_DIR:TAG`) as an artifact source, and pulling:
 * verify first, keep the digest-checked layers in a staging folder, then place them under their titles.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { VerifyPolicy } from '../sign/index.js';
import { openLayout } from './layout-store.js';
import { openRepository } from './oci/repository.js';
import { parseReference } from './oci/reference.js';
import { placeFiles } from './safe-files.js';
import { layoutSource, registrySource, type ArtifactSource } from './sources.js';
import type { PublishDeps } from './types.js';
import { verifyPublished, type VerifyResult } from './verify-published.js';

/** Resolves REF against the file system first (a layout folder), else as a registry reference. */
export async function openSource(refText: string, cwd: string, deps: Pick<PublishDeps, 'http' | 'log' | 'credentialsFor' | 'dockerConfig' | 'registryOptions'>): Promise<ArtifactSource> {
  if (!refText.startsWith('oci://')) {
    const colon = refText.lastIndexOf(':');
    if (colon > 0) {
      const dir = path.resolve(cwd, refText.slice(0, colon));
      if (await fs.stat(path.join(dir, 'oci-layout')).then(() => true, () => false)) return layoutSource(await openLayout(dir), refText.slice(colon + 1));
    }
    if (await fs.stat(path.resolve(cwd, refText)).then((s) => s.isDirectory(), () => false)) {
      throw new UserInputError('VERIFY_REF_INVALID', `${refText} is a folder; name the release as DIR:RELEASE_NAME`, { details: 'Example: out/oci-layout:openstack-scs-1-30-v1' });
    }
  }
  const ref = parseReference(refText);
  const repo = await openRepository(ref, { http: deps.http, log: deps.log, credentials: deps.credentialsFor?.(ref.registry), dockerConfig: deps.dockerConfig, ...deps.registryOptions });
  return registrySource(repo, ref);
}

/** What to pull and where. */
export interface PullInput {
  source: ArtifactSource;
  policy: VerifyPolicy;
  outDir: string;
  maxFileBytes?: number;
  maxTotalBytes?: number;
  loadTrustedRoot?: () => Promise<unknown>;
}

/** Verification result plus the files written. */
export interface PullResult extends VerifyResult {
  written: string[];
}

/** Verifies the bundle (signature, provenance, layers), then writes each layer as `outDir/<title>`. */
export async function pullRelease(input: PullInput): Promise<PullResult> {
  const existing = await fs.lstat(input.outDir).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new UserInputError('PULL_OUT_NOT_DIR', `${input.outDir} is not a folder (or is a link)`, { details: 'Pass a plain folder to --out.' });
  }
  await fs.mkdir(input.outDir, { recursive: true });
  const staging = await fs.mkdtemp(path.join(input.outDir, '.csp-pull-'));
  try {
    const verified = await verifyPublished({ ...input, downloadDir: staging });
    const written = await placeFiles(staging, input.outDir, verified.files);
    return { ...verified, written };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
