/**
 * Reading the bundle under test: a release folder written by `csp build` (OUT/<release-name>/metadata.yaml) and
 * its manifest digest in the build's OCI layout (OUT/oci-layout/index.json), which the attestation is about.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserInputError } from '../core/errors.js';
import type { BundleUnderTest } from './types.js';

const MAX_METADATA_BYTES = 64 * 1024;
const MAX_INDEX_BYTES = 8 * 1024 * 1024;

/** Loads provider, stack, Kubernetes version and release version of `releaseDir` (and the digest from `layoutDir`). */
export async function readBundle(releaseDir: string, layoutDir?: string): Promise<BundleUnderTest> {
  const file = path.join(releaseDir, 'metadata.yaml');
  const text = await readBounded(file, MAX_METADATA_BYTES).catch((error: unknown) => {
    throw new UserInputError('E2E_BUNDLE_MISSING', `cannot read ${file}`, { details: 'Pass a release folder written by csp build (OUT/<release-name>).', cause: error });
  });
  const metadata = parseYaml(text) as { versions?: { kubernetes?: unknown; clusterStack?: unknown } } | null;
  const kubernetesVersion = metadata?.versions?.kubernetes;
  const clusterStackVersion = metadata?.versions?.clusterStack;
  if (typeof kubernetesVersion !== 'string' || !/^v\d+\.\d+\.\d+$/.test(kubernetesVersion) || typeof clusterStackVersion !== 'string') {
    throw new UserInputError('E2E_BUNDLE_INVALID', `${file} has no versions.kubernetes (vX.Y.Z) and versions.clusterStack`, { location: { file }, details: 'Rebuild the release with csp build.' });
  }
  const releaseName = path.basename(path.resolve(releaseDir));
  const match = new RegExp(`^([a-z0-9]+)-([a-z0-9-]+)-(\\d+)-(\\d+)-${escape(clusterStackVersion)}$`).exec(releaseName);
  if (!match) {
    throw new UserInputError('E2E_BUNDLE_INVALID', `release folder ${releaseName} is not named <provider>-<stack>-<major>-<minor>-${clusterStackVersion}`, {
      details: 'Pass the folder csp build wrote, unrenamed: CSO derives the ClusterClass name from it.',
    });
  }
  const [, provider, stackName, major, minor] = match as unknown as [string, string, string, string, string];
  if (!kubernetesVersion.startsWith(`v${major}.${minor}.`)) {
    throw new UserInputError('E2E_BUNDLE_INVALID', `${releaseName} is for Kubernetes ${major}.${minor} but metadata.yaml says ${kubernetesVersion}`, { location: { file }, details: 'Rebuild the release.' });
  }
  const manifestDigest = layoutDir ? await digestInLayout(layoutDir, releaseName) : undefined;
  return {
    releaseDir: path.resolve(releaseDir), releaseName, provider, stackName, kubernetesMinor: `${major}-${minor}`, kubernetesVersion, clusterStackVersion,
    ...(manifestDigest ? { manifestDigest } : {}),
  };
}

/** The manifest digest tagged `releaseName` in an OCI layout's index.json, or undefined. */
async function digestInLayout(layoutDir: string, releaseName: string): Promise<string | undefined> {
  const text = await readBounded(path.join(layoutDir, 'index.json'), MAX_INDEX_BYTES).catch(() => undefined);
  if (!text) return undefined;
  const index = JSON.parse(text) as { manifests?: { digest?: string; annotations?: Record<string, string> }[] };
  const entry = index.manifests?.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === releaseName);
  return typeof entry?.digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(entry.digest) ? entry.digest : undefined;
}

async function readBounded(file: string, max: number): Promise<string> {
  const stat = await fs.stat(file);
  if (stat.size > max) throw new UserInputError('E2E_FILE_TOO_LARGE', `${file} is ${stat.size} bytes (limit ${max})`, { details: 'This is not a file csp build writes.' });
  return fs.readFile(file, 'utf8');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
