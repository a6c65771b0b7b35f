/** Small in-memory charts for tests: a file map in, a loaded HelmChart out (same classifier as real loads). */
import { loadChartFiles } from './load.js';
import type { HelmChart } from './types.js';

/** Builds a chart from `{ 'Chart.yaml': ..., 'templates/x.yaml': ..., 'charts/sub/Chart.yaml': ... }`. */
export function chartFromFiles(files: Record<string, string>, source = 'mychart'): HelmChart {
  return loadChartFiles(
    Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text) })),
    source,
  );
}

/** A Chart.yaml text. */
export function chartYaml(name: string, extra = '', version = '0.1.0'): string {
  return `apiVersion: v2\nname: ${name}\nversion: ${version}\n${extra}`;
}
