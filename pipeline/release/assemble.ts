/**
 * The release assets of one planned target (release-format.md §5), byte-for-byte reproducible: the
 * cluster-class chart, the cluster-addon archive (new or old convention), clusteraddon.yaml or
 * cluster-addon-values.yaml, metadata.yaml, hashes.json, node-images.yaml, the SBOM and SHA256SUMS. Pure.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { InternalError, UserInputError } from '../core/errors.js';
import { buildAddonArchive, buildAddonArchiveToFile, buildUmbrellaAddonArchive, buildUmbrellaAddonArchiveToFile } from '../bundle/index.js';
import { buildHashesJson, buildMetadataYaml, buildSha256Sums } from '../bundle/index.js';
import { packageChart, packageChartToFile, type ChartFile } from '../bundle/index.js';
import { isStored, withData, type StoredFile } from '../core/stored-file.js';
import path from 'node:path';
import type { BundleFile } from '../bundle/index.js';
import { clusterAddonArchiveName } from '../version/index.js';
import { substituteTree } from './csctl-tags.js';
import { buildSbom, sbomFileName, type NodeImageRef } from './sbom.js';
import type { SourceTree, TargetPlan } from './types.js';

export const sha256SumsName = 'SHA256SUMS';

export interface AssembleOptions {
  /** RFC 3339 time written into the SBOM (and the OCI manifest); never the clock. */
  created: string;
  /** Seconds since the epoch for every tar entry. */
  mtime: number;
  /** A folder where charts with large (stored) files are packaged by streaming; without it they are built in memory. */
  spillDir?: string;
}

function under(tree: SourceTree, dir: string): ChartFile[] {
  // withData keeps a stored file on disk (reading `f.data` here would load it).
  return tree.files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => withData({ path: f.path.slice(dir.length + 1) }, f.stored ?? f.data));
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function nodeImagesOf(data: Buffer | undefined): NodeImageRef[] {
  if (!data) return [];
  const doc = parseYaml(data.toString('utf8')) as { openStackNodeImages?: { url?: string; createOpts?: { name?: string } }[] } | null;
  return (doc?.openStackNodeImages ?? []).map((i) => ({ name: String(i.createOpts?.name ?? ''), url: i.url })).filter((i) => i.name !== '');
}

/**
 * Builds every asset from the tree after csctl's `<< >>` pre-pass with the target's versions (what render and
 * validate saw); throws a UserInputError when a chart cannot be packaged.
 */
export async function assembleBundle(plan: TargetPlan, source: SourceTree, options: AssembleOptions): Promise<BundleFile[]> {
  const tree = substituteTree(source, plan.versions, plan.stack);
  const prefix = `${plan.provider}-${plan.name}-${plan.minor.replace('.', '-')}`;
  const file = (name: string): Buffer | undefined => tree.files.find((f) => f.path === name)?.data;
  const files: BundleFile[] = [];
  const archives: { name: string; chartName: string; version: string; sha256: string }[] = [];

  const classFiles = under(tree, 'cluster-class');
  const className = `${prefix}-cluster-class-${plan.versions.clusterStack}.tgz`;
  const chartOptions = { version: plan.versions.clusterStack, mtime: options.mtime };
  // Same bytes either way (tar.test/gzip.test compare them); streaming keeps a large payload out of memory.
  const classChart =
    options.spillDir && classFiles.some((f) => f.stored)
      ? await packageChartToFile(classFiles, path.join(options.spillDir, `${plan.releaseName}-${className}`), chartOptions)
      : packageChart(classFiles, chartOptions);
  if (classChart.fileName !== className) {
    throw new InternalError('BUILD_CHART_NAME', `cluster-class chart packaged as ${classChart.fileName}, expected ${className}`);
  }
  files.push(withData({ name: className }, classChart.tgz));
  archives.push({ name: className, chartName: classChart.name, version: classChart.version, sha256: isStored(classChart.tgz) ? classChart.tgz.sha256 : sha256(classChart.tgz) });

  const addonName = clusterAddonArchiveName(prefix, plan.versions.clusterAddon);
  const addonFiles = under(tree, 'cluster-addon');
  if (addonFiles.length === 0) {
    throw new UserInputError('BUILD_ADDON_MISSING', `${plan.stack} has no cluster-addon/ folder`, {
      details: 'CSO needs a cluster-addon archive in every release (release-format.md §12.4); add cluster-addon/<chart>/.',
      location: { file: plan.stack },
    });
  }
  const clusterAddonYaml = file('clusteraddon.yaml');
  const addonSpill = options.spillDir && addonFiles.some((f) => f.stored) ? path.join(options.spillDir, `${plan.releaseName}-${addonName}`) : undefined;
  const digestOf = (tgz: Buffer | StoredFile): string => (isStored(tgz) ? tgz.sha256 : sha256(tgz));
  if (clusterAddonYaml) {
    const addon = addonSpill ? await buildAddonArchiveToFile(addonFiles, addonSpill, { mtime: options.mtime }) : buildAddonArchive(addonFiles, { mtime: options.mtime });
    files.push(withData({ name: addonName }, addon.tgz), { name: 'clusteraddon.yaml', data: clusterAddonYaml });
    archives.push({ name: addonName, chartName: 'cluster-addon', version: plan.versions.clusterAddon, sha256: digestOf(addon.tgz) });
  } else {
    const umbrella = addonSpill
      ? await buildUmbrellaAddonArchiveToFile(addonFiles, plan.versions.clusterAddon, addonSpill, { mtime: options.mtime })
      : buildUmbrellaAddonArchive(addonFiles, plan.versions.clusterAddon, { mtime: options.mtime });
    files.push(withData({ name: addonName }, umbrella.tgz));
    archives.push({ name: addonName, chartName: umbrella.name, version: umbrella.version, sha256: digestOf(umbrella.tgz) });
    const values = file('cluster-addon-values.yaml');
    if (values) files.push({ name: 'cluster-addon-values.yaml', data: values });
  }

  files.push({
    name: 'metadata.yaml',
    data: Buffer.from(
      buildMetadataYaml({
        clusterStack: plan.versions.clusterStack,
        kubernetes: `v${plan.kubernetesVersion}`,
        clusterAddon: plan.versions.clusterAddon,
        nodeImage: plan.versions.nodeImage,
      }),
    ),
  });
  files.push({ name: 'hashes.json', data: Buffer.from(buildHashesJson(plan.hashes)) });
  const nodeImages = file('node-images.yaml');
  if (nodeImages) files.push({ name: 'node-images.yaml', data: nodeImages });
  files.push({
    name: sbomFileName,
    data: Buffer.from(buildSbom({ plan, created: options.created, archives, charts: tree.charts, nodeImages: nodeImagesOf(nodeImages) })),
  });
  files.push({ name: sha256SumsName, data: Buffer.from(buildSha256Sums(files)) });
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}
