/**
 * Helm's dependency processing before rendering (helm/helm pkg/chartutil/dependencies.go,
 * ProcessDependenciesWithMerge): aliases, `condition` and `tags` enabling, then `import-values` (both forms).
 * Works on a private copy of the chart tree (see cloneChart): it rewrites metadata and values like Helm does.
 */
import { checkConstraints, parseConstraints, parseVersion } from '../funcs/semver.js';
import { isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { coalesceValues, deepCopy, mergeTables, mergeValues, pathValue, table } from './coalesce.js';
import type { Warn } from './coalesce.js';
import type { ChartDependency, HelmChart } from './types.js';

/** A copy of the chart tree whose metadata, dependency lists and values may be rewritten. */
export function cloneChart(c: HelmChart): HelmChart {
  return {
    ...c,
    metadata: { ...c.metadata, dependencies: c.metadata.dependencies?.map((d) => ({ ...d })) },
    values: deepCopy(c.values),
    dependencies: c.dependencies.map(cloneChart),
  };
}

/** chartutil.IsCompatibleRange. */
export function isCompatibleRange(constraint: string | undefined, version: string): boolean {
  try {
    return checkConstraints(parseConstraints(constraint ?? ''), parseVersion(version));
  } catch {
    return false;
  }
}

function aliasDependency(charts: HelmChart[], dep: ChartDependency): HelmChart | undefined {
  for (const c of charts) {
    if (c.metadata.name !== dep.name || !isCompatibleRange(dep.version, c.metadata.version)) continue;
    return dep.alias ? { ...c, metadata: { ...c.metadata, name: dep.alias } } : { ...c, metadata: { ...c.metadata } };
  }
  return undefined;
}

function processTags(reqs: ChartDependency[], cvals: GoMap, warn: Warn): void {
  const vt = table(cvals, 'tags');
  if (vt === undefined) return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      if (!Object.hasOwn(vt, k)) continue;
      const b = vt[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else warn(`Warning: Tag '${k}' for chart ${r.name} returned non-bool value`);
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
}

function processConditions(reqs: ChartDependency[], cvals: GoMap, cpath: string, warn: Warn): void {
  for (const r of reqs) {
    for (const c of (r.condition ?? '').trim().split(',')) {
      if (c.length === 0) continue;
      const v = pathValue(cvals, cpath + c);
      if (!v.found) continue;
      if (typeof v.value === 'boolean') {
        r.enabled = v.value;
        break;
      }
      warn(`Warning: Condition path '${c}' for chart ${r.name} returned non-bool value`);
    }
  }
}

/** processDependencyEnabled: resolves aliases and drops subcharts disabled by conditions or tags. */
export function processDependencyEnabled(c: HelmChart, v: GoMap, path: string, warn: Warn): void {
  const reqs = c.metadata.dependencies;
  if (reqs === undefined) return;
  const chartDeps: HelmChart[] = [];
  for (const existing of c.dependencies) {
    if (!reqs.some((req) => existing.metadata.name === req.name && isCompatibleRange(req.version, existing.metadata.version))) chartDeps.push(existing);
  }
  for (const req of reqs) {
    const dep = aliasDependency(c.dependencies, req);
    if (dep) chartDeps.push(dep);
    if (req.alias) req.name = req.alias;
  }
  c.dependencies = chartDeps;
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(c, v, warn);
  processTags(reqs, cvals, warn);
  processConditions(reqs, cvals, path, warn);
  const disabled = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  const kept = c.dependencies.filter((d) => !disabled.has(d.metadata.name));
  const keptMeta = reqs.filter((r) => !disabled.has(r.name));
  for (const t of kept) processDependencyEnabled(t, cvals, `${path}${t.metadata.name}.`, warn);
  c.metadata.dependencies = keptMeta.length === 0 ? undefined : keptMeta;
  c.dependencies = kept;
}

function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  let cur: GoMap = data;
  for (const part of path.split('.').reverse()) {
    const m: GoMap = {};
    Object.defineProperty(m, part, { value: cur, enumerable: true, writable: true, configurable: true });
    cur = m;
  }
  return cur;
}

function processImportValues(c: HelmChart, warn: Warn): void {
  const reqs = c.metadata.dependencies;
  if (reqs === undefined) return;
  const cvals = mergeValues(c, {}, warn);
  let b: GoMap = {};
  for (const r of reqs) {
    const out: GoValue[] = [];
    for (const riv of r['import-values'] ?? []) {
      let child: string;
      let parent: string;
      if (isGoMap(riv as GoValue)) {
        const m = riv as GoMap;
        child = typeof m.child === 'string' ? m.child : '';
        parent = typeof m.parent === 'string' ? m.parent : '';
      } else if (typeof riv === 'string') {
        child = `exports.${riv}`;
        parent = '.';
      } else continue;
      out.push({ child, parent });
      const vv = table(cvals, `${r.name}.${child}`);
      if (vv === undefined) {
        warn(`Warning: ImportValues missing table from chart ${r.name}: ${child}`);
        continue;
      }
      b = mergeTables(b, pathToMap(parent, deepCopy(vv)), warn);
    }
    r['import-values'] = out;
  }
  // Imported values rank below the parent's own values (the parent can override parts of an import).
  c.values = mergeTables(deepCopy(cvals), b, warn);
}

/** processDependencyImportValues with merge semantics (Helm 3.13+ ProcessDependenciesWithMerge). */
export function processDependencyImportValues(c: HelmChart, warn: Warn): void {
  for (const d of c.dependencies) processDependencyImportValues(d, warn);
  processImportValues(c, warn);
}
