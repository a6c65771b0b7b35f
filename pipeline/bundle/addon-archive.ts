/**
 * Cluster-addon archives (release-format.md §8). New convention: a gzip'd tar of chart directories at the
 * archive root (directory + regular-file entries only). Old convention: one `helm package`d umbrella chart.
 */
import { UserInputError } from '../core/errors.js';
import { packageChart, walkOrder, type ChartFile, type PackagedChart } from './chart-archive.js';
import { gzip } from './gzip.js';
import { writeTar, type TarEntry } from './tar.js';

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

/**
 * New-convention archive from the files of `cluster-addon/` (paths relative to it, e.g. `cni/Chart.yaml`):
 * every directory gets an entry (0755) before its contents, files are 0644, order is Go's walk order.
 */
export function buildAddonArchive(files: readonly ChartFile[], options: AddonArchiveOptions = {}): AddonArchive {
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
    entries.push({ path: file.path, type: 'file', data: file.data });
  }
  return { tgz: gzip(writeTar(entries, { mtime: options.mtime ?? 0 }), 'plain'), entries, charts };
}

/** Old-convention archive: the umbrella chart at `cluster-addon/` packaged by Helm rules, version forced. */
export function buildUmbrellaAddonArchive(files: readonly ChartFile[], version: string, options: AddonArchiveOptions = {}): PackagedChart {
  return packageChart(files, { version, mtime: options.mtime });
}
