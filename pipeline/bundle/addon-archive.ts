/**
 * Cluster-addon archives (release-format.md §8). New convention: a gzip'd tar of chart directories at the
 * archive root (directory + regular-file entries only). Old convention: one `helm package`d umbrella chart.
 */
import { UserInputError } from '../core/errors.js';
import { packageChart, packageChartToFile, walkOrder, type ChartFile, type PackagedChart, type StoredChart } from './chart-archive.js';
import { gzip, gzipToFile } from './gzip.js';
import type { StoredFile } from '../core/stored-file.js';
import { tarChunks, tarSize, writeTar, type TarEntry } from './tar.js';

export interface AddonArchiveOptions {
  /** Seconds since the epoch for every entry (default 0). */
  mtime?: number;
}

/** A built addon archive and the top-level directories (stage names) it holds. */
export interface AddonArchive {
  tgz: Buffer;
  entries: TarEntry[];
  charts: string[];
}

/** The entries of a new-convention addon archive; throws when a top-level folder is no chart. */
function addonEntries(files: readonly ChartFile[]): { entries: TarEntry[]; charts: string[] } {
  const sorted = [...files].sort((a, b) => walkOrder(a.path, b.path));
  const charts = [...new Set(sorted.filter((f) => f.path.includes('/')).map((f) => f.path.split('/')[0] ?? ''))];
  const missing = charts.filter((c) => !files.some((f) => f.path === `${c}/Chart.yaml`));
  if (charts.length === 0 || missing.length > 0) {
    throw new UserInputError(
      'ADDON_CHART_MISSING',
      charts.length === 0 ? 'cluster-addon/ holds no chart directories' : `cluster-addon/${missing.join(', cluster-addon/')} without Chart.yaml`,
      { details: 'Each top-level folder of cluster-addon/ is one chart (its name is the clusteraddon.yaml stage name) and needs a Chart.yaml.' },
    );
  }
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const file of sorted) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      entries.push({ path: dir, type: 'directory' });
    }
    // A stored (large) file is referenced, not read: the buffered writer reads it, the streamed one streams it.
    entries.push(file.stored ? { path: file.path, type: 'file', stored: file.stored } : { path: file.path, type: 'file', data: file.data });
  }
  return { entries, charts };
}

/**
 * New-convention archive from the files of `cluster-addon/` (paths relative to it, e.g. `cni/Chart.yaml`):
 * every directory gets an entry (0755) before its contents, files are 0644, order is Go's walk order.
 */
export function buildAddonArchive(files: readonly ChartFile[], options: AddonArchiveOptions = {}): AddonArchive {
  const { entries, charts } = addonEntries(files);
  return { tgz: gzip(writeTar(entries, { mtime: options.mtime ?? 0 }), 'plain'), entries, charts };
}

/** `buildAddonArchive` streamed into `file` (tar chunks → deflate → file): for addon charts with large stored files. */
export async function buildAddonArchiveToFile(files: readonly ChartFile[], file: string, options: AddonArchiveOptions = {}): Promise<{ tgz: StoredFile; entries: TarEntry[]; charts: string[] }> {
  const { entries, charts } = addonEntries(files);
  return { tgz: await gzipToFile(tarChunks(entries, { mtime: options.mtime ?? 0 }), tarSize(entries, { mtime: options.mtime ?? 0 }), file, 'plain'), entries, charts };
}

/** Old-convention archive: the umbrella chart at `cluster-addon/` packaged by Helm rules, version forced. */
export function buildUmbrellaAddonArchive(files: readonly ChartFile[], version: string, options: AddonArchiveOptions = {}): PackagedChart {
  return packageChart(files, { version, mtime: options.mtime });
}

/** `buildUmbrellaAddonArchive` streamed into `file`: for umbrella charts with large stored files. */
export function buildUmbrellaAddonArchiveToFile(files: readonly ChartFile[], version: string, file: string, options: AddonArchiveOptions = {}): Promise<StoredChart> {
  return packageChartToFile(files, file, { version, mtime: options.mtime });
}
