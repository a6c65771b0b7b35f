/**
 * Assembles a build output folder the way `csp build` lays it out (OUT/<release-name>/ + OUT/oci-layout/)
 * from pipeline/bundle primitives, so publish tests do not depend on a stack build.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { addBundle, buildSha256Sums } from '../../bundle/index.js';
import { bytesFor } from '../oci/__fixtures__/sample-artifact.js';

/** One assembled release: its folder, the layout and the file bytes by name. */
export interface TestRelease {
  outDir: string;
  releaseDir: string;
  layoutDir: string;
  releaseName: string;
  digest: string;
  files: Map<string, Buffer>;
}

/** Writes release `releaseName` (version seed changes the cluster-class archive) into `outDir`. */
export async function assembleRelease(outDir: string, options: {
    releaseName?: string;
    classSeed?: string;
    addonSeed?: string;
    classSize?: number;
    addonSize?: number;
    /** Hard-link the cluster-class archive and its layout blob, as csp build does for large archives. */
    linkClass?: boolean;
  } = {}): Promise<TestRelease> {
  const releaseName = options.releaseName ?? 'openstack-scs-1-30-v1';
  const [provider, stack, major, minor, version] = releaseName.split('-');
  const prefix = `${provider}-${stack}-${major}-${minor}`;
  const metadata = `apiVersion: metadata.clusterstack.x-k8s.io/v1alpha1\nversions:\n  clusterStack: ${version}\n  kubernetes: v1.30.5\n  components:\n    clusterAddon: ${version}\n    nodeImage: ${version}\n`;
  const hashes = JSON.stringify({ clusterStack: 'abc1234def', clusterAddonDir: 'addonhash', clusterAddonValues: '', clusterClassDir: 'classhash' }, null, 2);
  const sbom = `${JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [{ type: 'application', name: `${prefix}-cluster-class`, version }] }, null, 2)}\n`;
  const files = new Map<string, Buffer>([
    ['metadata.yaml', Buffer.from(metadata)],
    ['hashes.json', Buffer.from(hashes)],
    ['clusteraddon.yaml', Buffer.from('apiVersion: clusteraddonconfig.x-k8s.io/v1alpha1\naddonStages: {}\n')],
    [`${prefix}-cluster-class-${version}.tgz`, bytesFor(`class-${options.classSeed ?? releaseName}`, options.classSize ?? 40_000)],
    [`${prefix}-cluster-addon-${version}.tgz`, bytesFor(`addon-${options.addonSeed ?? 'addon'}`, options.addonSize ?? 60_000)],
    ['sbom.cdx.json', Buffer.from(sbom)],
  ]);
  files.set('SHA256SUMS', Buffer.from(buildSha256Sums([...files].map(([name, data]) => ({ name, data })))));
  const releaseDir = path.join(outDir, releaseName);
  await fs.mkdir(releaseDir, { recursive: true });
  for (const [name, data] of files) await fs.writeFile(path.join(releaseDir, name), data);
  const layoutDir = path.join(outDir, 'oci-layout');
  const added = await addBundle(layoutDir, {
    releaseName,
    files: [...files].map(([name, data]) => ({ name, data })),
    kubernetesVersion: 'v1.30.5',
    hash: 'abc1234',
    created: '2025-01-01T00:00:00Z',
  });
  if (options.linkClass) {
    const name = `${prefix}-cluster-class-${version}.tgz`;
    const blob = path.join(layoutDir, 'blobs/sha256', createHash('sha256').update(files.get(name)!).digest('hex'));
    await fs.rm(path.join(releaseDir, name));
    await fs.link(blob, path.join(releaseDir, name));
  }
  return { outDir, releaseDir, layoutDir, releaseName, digest: added.digest, files };
}
