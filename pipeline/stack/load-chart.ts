/** Loads the facts csp needs about one chart folder of a stack: Chart.yaml, values, templates, dependencies. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserInputError, type Issue, type Location } from '../core/errors.js';
import { checkSchema } from '../core/schema.js';
import { isSafeSegment } from '../core/paths.js';
import { readYamlFile } from '../core/source.js';
import { readArchiveEntry } from './archive-entry.js';
import { collectLocations, where } from './locations.js';
import type { ChartDependency, ChartInfo } from './types.js';

export interface LoadContext {
  root: string;
  display: (rel: string) => string;
  files: string[];
  locations: Record<string, Location>;
  issues: Issue[];
  /** Content-addressed chart cache filled by `csp deps` (looked up when a dependency is not vendored). */
  chartCacheDir?: string;
}

interface ChartYaml {
  apiVersion: string;
  name: string;
  version: string;
  kubeVersion?: string;
  appVersion?: string | number;
  dependencies?: { name: string; alias?: string; version?: string; repository?: string; condition?: string }[];
}

/** Loads `rel` (a chart folder relative to the stack root); returns undefined when Chart.yaml is unusable. */
export async function loadChartInfo(rel: string, ctx: LoadContext): Promise<ChartInfo | undefined> {
  const chartFile = `${rel}/Chart.yaml`;
  if (!ctx.files.includes(chartFile)) {
    ctx.issues.push({
      severity: 'error',
      code: 'CHART_YAML_MISSING',
      message: `${ctx.display(rel)}/ is a chart folder without Chart.yaml`,
      hint: 'Add a Chart.yaml (apiVersion: v2, name, version) or remove the folder.',
      location: { file: ctx.display(rel) },
    });
    return undefined;
  }
  const { source, issues } = await readYamlFile(path.join(ctx.root, chartFile), ctx.display(chartFile));
  ctx.issues.push(...issues);
  if (!source) return undefined;
  collectLocations(source, ctx.locations);
  const schemaIssues = checkSchema(source, 'chart.schema.json');
  ctx.issues.push(...schemaIssues);
  if (schemaIssues.length > 0) return undefined;
  const meta = source.value as ChartYaml;

  const values = await loadValues(`${rel}/values.yaml`, ctx);
  const templates = ctx.files.filter((f) => f.startsWith(`${rel}/templates/`)).map((f) => f.slice(rel.length + 1));
  const dependencies: ChartDependency[] = [];
  for (const [i, dep] of (meta.dependencies ?? []).entries()) {
    const location = where(ctx.locations, source.file, `/dependencies/${i}`);
    dependencies.push({ ...dep, location, resolved: await resolveDependency(rel, dep, ctx) });
  }
  await checkLock(rel, dependencies, ctx);
  return {
    path: rel,
    name: meta.name,
    version: String(meta.version),
    apiVersion: meta.apiVersion,
    kubeVersion: meta.kubeVersion,
    appVersion: meta.appVersion === undefined ? undefined : String(meta.appVersion),
    dependencies,
    values,
    templates,
  };
}

async function loadValues(rel: string, ctx: LoadContext): Promise<Record<string, unknown>> {
  if (!ctx.files.includes(rel)) return {};
  const { source, issues } = await readYamlFile(path.join(ctx.root, rel), ctx.display(rel));
  ctx.issues.push(...issues);
  if (!source) return {};
  collectLocations(source, ctx.locations);
  if (source.value === null || source.value === undefined) return {};
  if (typeof source.value !== 'object' || Array.isArray(source.value)) {
    ctx.issues.push({
      severity: 'error',
      code: 'VALUES_NOT_A_MAP',
      message: `${source.file} must be a map of values`,
      hint: 'Helm values files hold a YAML mapping at the top level.',
      location: { file: source.file, line: 1, column: 1 },
    });
    return {};
  }
  return source.value as Record<string, unknown>;
}

async function resolveDependency(
  rel: string,
  dep: { name: string; version?: string },
  ctx: LoadContext,
): Promise<ChartDependency['resolved']> {
  const vendored = ctx.files.filter((f) => f.startsWith(`${rel}/charts/`) && f.endsWith('.tgz'));
  for (const file of vendored) {
    const base = path.posix.basename(file, '.tgz');
    if (!base.startsWith(`${dep.name}-`)) continue;
    let meta;
    try {
      meta = await archiveChartMeta(path.join(ctx.root, file), ctx.display(file));
    } catch (error) {
      // A damaged or hostile archive (gzip bomb, links, ../ paths) is one more problem to report.
      if (!(error instanceof UserInputError)) throw error;
      ctx.issues.push(error.toIssue());
      continue;
    }
    if (meta?.name === dep.name) return { path: file, source: 'vendored', ...meta };
  }
  const folderChart = `${rel}/charts/${dep.name}/Chart.yaml`;
  if (ctx.files.includes(folderChart)) {
    const meta = metaFrom(await fs.readFile(path.join(ctx.root, folderChart), 'utf8'));
    if (meta) return { path: `${rel}/charts/${dep.name}`, source: 'vendored', ...meta };
  }
  if (ctx.chartCacheDir && dep.version && isSafeSegment(dep.name) && isSafeSegment(dep.version)) {
    const cached = path.join(ctx.chartCacheDir, 'by-name', dep.name, `${dep.version}.tgz`);
    const meta = await archiveChartMeta(cached).catch(() => undefined);
    if (meta) return { path: cached, source: 'cache', ...meta };
  }
  return undefined;
}

/** name, version, kubeVersion and appVersion of a packed chart. */
export async function archiveChartMeta(
  file: string,
  display = file,
): Promise<{ name: string; version: string; kubeVersion?: string; appVersion?: string } | undefined> {
  const text = await readArchiveEntry(file, /^[^/]+\/Chart\.yaml$/, display);
  return text === undefined ? undefined : metaFrom(text);
}

function metaFrom(text: string): { name: string; version: string; kubeVersion?: string; appVersion?: string } | undefined {
  try {
    const doc = parseYaml(text) as Partial<ChartYaml> | null;
    if (!doc?.name || doc.version === undefined) return undefined;
    return {
      name: doc.name,
      version: String(doc.version),
      kubeVersion: doc.kubeVersion,
      appVersion: doc.appVersion === undefined ? undefined : String(doc.appVersion),
    };
  } catch {
    return undefined;
  }
}

/** Chart.lock must list the same dependency versions as Chart.yaml (Helm refuses a stale lock). */
async function checkLock(rel: string, dependencies: ChartDependency[], ctx: LoadContext): Promise<void> {
  const lockFile = `${rel}/Chart.lock`;
  if (!ctx.files.includes(lockFile) || dependencies.length === 0) return;
  const { source, issues } = await readYamlFile(path.join(ctx.root, lockFile), ctx.display(lockFile));
  ctx.issues.push(...issues);
  if (!source) return;
  collectLocations(source, ctx.locations);
  const locked = ((source.value as { dependencies?: { name: string; version: string; digest?: string }[] } | null)?.dependencies ?? []);
  for (const dep of dependencies) {
    const entry = locked.find((l) => l.name === dep.name);
    if (entry?.digest) dep.lockedDigest = String(entry.digest);
    if (!entry || (dep.version !== undefined && String(entry.version) !== dep.version)) {
      ctx.issues.push({
        severity: 'error',
        code: 'CHART_LOCK_STALE',
        message: `Chart.lock does not pin ${dep.name} ${dep.version ?? ''} (it has ${entry ? String(entry.version) : 'nothing'})`,
        hint: `Run: csp deps ${ctx.display('')} --update (or helm dependency update) to rewrite the lock.`,
        location: dep.location,
        related: [entry ? where(ctx.locations, source.file, `/dependencies/${locked.indexOf(entry)}`) : { file: source.file }],
      });
    }
  }
}
