/**
 * Builds the chart folder CSO would render for one target, in a temporary directory: the stack's chart
 * files after csctl's `<< >>` pre-pass, Chart.yaml name/version forced as csp build does, and each
 * dependency archive taken from the vendored charts/ or the chart cache at the target's version.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Issue } from '../../core/errors.js';
import { isSafeSegment, unsafeSegmentIssue } from '../../core/paths.js';
import type { ChartInfo, KubernetesTarget, Stack } from '../../stack/index.js';
import { archiveChartMeta } from '../../stack/index.js';
import { isTextContent, substituteCsctlTags } from '../csctl/index.js';
import { LARGE_FILE_BYTES, isTextFile } from '../../core/stored-file.js';

export interface MaterializeInput {
  stack: Stack;
  chart: ChartInfo;
  target: KubernetesTarget;
  /** csctl tag values (csctlTags()). */
  tags: Record<string, string>;
  /** Parent folder; the chart lands in `<into>/<folder name>`. */
  into: string;
  /** Forced Chart.yaml fields (csp build rewrites the cluster-class chart's name and version). */
  rename?: { name: string; version: string };
  chartCacheDir?: string;
}

export interface MaterializedChart {
  dir: string;
  /** Chart name after renaming (Helm's template path prefix). */
  name: string;
  /** Dependencies used: name → where from. */
  dependencies: { name: string; version: string; from: string }[];
  issues: Issue[];
}

/** Copies one chart of the stack for a target; problems (missing dependency archives) come back as issues. */
export async function materializeChart(input: MaterializeInput): Promise<MaterializedChart> {
  const { stack, chart, target } = input;
  const name = input.rename?.name ?? chart.name;
  const dir = path.join(input.into, name);
  const prefix = `${chart.path}/`;
  const issues: Issue[] = [];
  if (!isSafeSegment(name)) return { dir, name, dependencies: [], issues: [unsafeSegmentIssue('chart name', name, { file: `${stack.displayDir}/${chart.path}/Chart.yaml` })] };
  for (const rel of stack.files) {
    if (!rel.startsWith(prefix)) continue;
    const inner = rel.slice(prefix.length);
    const source = path.join(stack.dir, rel);
    const out = path.join(dir, inner);
    await fs.mkdir(path.dirname(out), { recursive: true });
    // A large binary file (csctl's pre-pass leaves it alone) is copied without being read into memory.
    if ((await fs.stat(source)).size >= LARGE_FILE_BYTES && !isTextFile(source)) {
      await fs.copyFile(source, out);
      continue;
    }
    const bytes = await fs.readFile(source);
    if (isTextContent(bytes)) {
      let text = substituteCsctlTags(Buffer.from(bytes).toString('utf8'), input.tags, `${stack.displayDir}/${rel}`);
      if (inner === 'Chart.yaml' && input.rename) text = rewriteChartYaml(text, input.rename);
      await fs.writeFile(out, text);
    } else {
      await fs.writeFile(out, bytes);
    }
  }
  const dependencies: MaterializedChart['dependencies'] = [];
  for (const dep of chart.dependencies) {
    const version = target.charts[dep.name] ?? dep.version ?? '';
    const chartsDir = path.join(dir, 'charts');
    if (!isSafeSegment(dep.name) || !isSafeSegment(version)) {
      issues.push(unsafeSegmentIssue(isSafeSegment(dep.name) ? `version of ${dep.name}` : 'dependency name', isSafeSegment(dep.name) ? version : dep.name, dep.location));
      continue;
    }
    if (dep.resolved?.source === 'vendored' && dep.resolved.version === version) {
      dependencies.push({ name: dep.name, version, from: dep.resolved.path });
      continue;
    }
    const cached = input.chartCacheDir ? path.join(input.chartCacheDir, 'by-name', dep.name, `${version}.tgz`) : undefined;
    const meta = cached ? await archiveChartMeta(cached).catch(() => undefined) : undefined;
    if (!cached || !meta) {
      issues.push({
        severity: 'error',
        code: 'RENDER_DEPENDENCY_MISSING',
        message: `${chart.path}: dependency ${dep.name} ${version} for Kubernetes ${target.version} is neither vendored nor in the chart cache`,
        hint: `Run csp deps ${stack.displayDir} to fetch it into the chart cache (or vendor ${dep.name}-${version}.tgz into ${chart.path}/charts/).`,
        location: dep.location,
      });
      continue;
    }
    // Drop vendored archives of the same chart at another version, as `helm dependency build` replaces them.
    for (const entry of await fs.readdir(chartsDir).catch(() => [] as string[])) {
      if (!entry.endsWith('.tgz')) continue;
      const vendoredMeta = await archiveChartMeta(path.join(chartsDir, entry)).catch(() => undefined);
      if (vendoredMeta?.name === dep.name) await fs.rm(path.join(chartsDir, entry));
    }
    await fs.mkdir(chartsDir, { recursive: true });
    await fs.copyFile(cached, path.join(chartsDir, `${dep.name}-${version}.tgz`));
    dependencies.push({ name: dep.name, version, from: cached });
  }
  return { dir, name, dependencies, issues };
}

/** Sets Chart.yaml `name` and `version` keeping everything else (comments, order) as written. */
export function rewriteChartYaml(text: string, rename: { name: string; version: string }): string {
  const doc = parseDocument(text);
  doc.set('name', rename.name);
  doc.set('version', rename.version);
  return doc.toString();
}
