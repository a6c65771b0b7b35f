/**
 * Stage part `render/stack`: renders a loaded stack as CSO would, per Kubernetes target — the cluster-class
 * chart with release name `P-N-MA-MI` and chart version = cluster-stack version, and each cluster-addon
 * chart with release `cluster-addon` in `kube-system` and CSO-templated values (rendering-and-capi.md §1).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserInputError, ValidationFailed, type Issue } from '../../core/errors.js';
import type { ChartInfo, KubernetesTarget, Stack } from '../../stack/index.js';
import type { RenderedObject } from './rendered.js';
import { csctlTags, renderCsoValues, substituteCsctlTags, type CsoTemplateData } from '../csctl/index.js';
import { formatHelmTemplate, loadChart, parseValuesYaml, renderChart, type HelmRenderOptions, type RenderedManifest } from '../helm/index.js';
import { crdManifests } from './crds.js';
import { materializeChart, type MaterializedChart } from './materialize.js';
import { RenderCache, renderKey } from './render-cache.js';
import { assignTemplateLines, manifestsToObjects, stackPathOf } from './objects.js';
import { sampleCluster } from './sample-cluster.js';
import { checkVersion, releasePrefix, selectTargets } from './version.js';
import { targetHashVersion } from '../../version/index.js';

export { clusterFromDocuments, sampleCluster } from './sample-cluster.js';

export interface RenderStackOptions {
  /** Only this Kubernetes minor (`1.33`); default every target in versions.yaml. */
  k8s?: string;
  /** Cluster-stack version in dot form; default each target's hash-mode version, as `csp build --mode hash` gives it. */
  version?: string;
  /** Cluster-addon and node-image versions for csctl's `<< >>` tags (csp build passes the decided ones); default `version`. */
  components?: { clusterAddon: string; nodeImage: string };
  /** Extra Helm values file for every chart (highest priority, like `helm template -f`). */
  valuesFile?: string;
  /** Several extra values files, later ones winning (after `valuesFile`). */
  valuesFiles?: string[];
  /** Seed for random and generated-key functions, so renders repeat. */
  seed?: string;
  now?: Date;
  chartCacheDir?: string;
  cwd?: string;
  /** Namespace of the ClusterStack (the cluster-class chart's namespace); default `default`. */
  namespace?: string;
  /** Objects for CSO's values templating; default a sample Cluster per target (sampleCluster). */
  cluster?: CsoTemplateData;
}

/** One rendered chart. */
export interface RenderedChart {
  /** `cluster-class`, or the addon folder name (`cluster-addon` in the old convention). */
  name: string;
  releaseName: string;
  namespace: string;
  /** Chart name and version as rendered (the cluster-class chart is renamed for the target). */
  chartName: string;
  chartVersion: string;
  manifests: RenderedManifest[];
  objects: RenderedObject[];
  /** helm-template-style text. */
  text: string;
}

/** Everything rendered for one Kubernetes target. */
export interface RenderedStackTarget {
  /** Minor, e.g. `1.33`. */
  kubernetes: string;
  /** Patch version, e.g. `1.33.2`. */
  kubernetesVersion: string;
  /** Cluster-stack version used (dot form). */
  version: string;
  clusterClass: RenderedChart;
  addons: RenderedChart[];
  issues: Issue[];
}

/** Namespace and release name CSO uses for cluster-addon charts (release-format.md §9). */
export const ADDON_RELEASE = { releaseName: 'cluster-addon', namespace: 'kube-system' } as const;

/**
 * Renders every target (or `options.k8s`). Addon problems are issues of their target; when a
 * cluster-class chart cannot be rendered, throws ValidationFailed with every issue found.
 */
export async function renderStack(stack: Stack, options: RenderStackOptions = {}): Promise<RenderedStackTarget[]> {
  const targets = selectTargets(stack, options.k8s);
  if (options.version !== undefined) checkVersion(options.version);
  const userValues: { file: string; values: Record<string, unknown> }[] = [];
  for (const file of [...(options.valuesFile ? [options.valuesFile] : []), ...(options.valuesFiles ?? [])]) userValues.push(await readValuesFile(file, options.cwd ?? process.cwd()));
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-render-'));
  try {
    const results: RenderedStackTarget[] = [];
    const fatal: Issue[] = [];
    for (const [i, target] of targets.entries()) {
      const into = path.join(work, String(i));
      const version = options.version ?? (await targetHashVersion(stack, target, { chartCacheDir: options.chartCacheDir }));
      const rendered = await renderTarget({ stack, target, version, options, userValues, into });
      if (rendered.clusterClass) results.push({ ...rendered, clusterClass: rendered.clusterClass });
      else fatal.push(...rendered.issues);
    }
    if (fatal.length > 0) throw new ValidationFailed([...fatal, ...results.flatMap((r) => r.issues)], 'the cluster-class chart could not be rendered');
    return results;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

interface TargetInput {
  stack: Stack;
  target: KubernetesTarget;
  version: string;
  options: RenderStackOptions;
  userValues: { file: string; values: Record<string, unknown> }[];
  into: string;
}

async function renderTarget(input: TargetInput): Promise<Omit<RenderedStackTarget, 'clusterClass'> & { clusterClass?: RenderedChart }> {
  const { stack, target, version, options } = input;
  const prefix = releasePrefix(stack, target);
  const tags = csctlTags({ clusterStack: version, clusterAddon: options.components?.clusterAddon ?? version, nodeImage: options.components?.nodeImage ?? version });
  const namespace = options.namespace ?? 'default';
  const issues: Issue[] = [];
  const common = { seed: options.seed, now: options.now };

  const clusterClass = await renderOne({
    input,
    chart: stack.clusterClass,
    label: 'cluster-class',
    rename: { name: `${prefix}-cluster-class`, version },
    tags,
    helm: { ...common, releaseName: prefix, namespace, valueFiles: input.userValues.length ? input.userValues : undefined },
    issues,
  });

  const cso = options.cluster ?? sampleCluster({ provider: stack.provider, clusterClassName: `${prefix}-${version}`, kubernetesVersion: target.version, namespace });
  const addons: RenderedChart[] = [];
  for (const addon of stack.addons) {
    const valuesRel = stack.addonConvention === 'old' ? 'cluster-addon-values.yaml' : `${addon.path}/overwrite.yaml`;
    const valueFiles: NonNullable<HelmRenderOptions['valueFiles']> = [];
    try {
      const csoValues = await templatedValues(stack, valuesRel, tags, cso);
      if (csoValues) valueFiles.push(csoValues);
    } catch (e) {
      issues.push(asIssue(e, stack.displayDir, () => undefined));
      continue;
    }
    valueFiles.push(...input.userValues);
    const rendered = await renderOne({
      input,
      chart: addon,
      label: addon.addon,
      tags,
      helm: { ...common, ...ADDON_RELEASE, kubeVersion: `v${target.version}`, valueFiles },
      includeCrds: true,
      issues,
    });
    if (rendered) addons.push(rendered);
  }
  return { kubernetes: `${target.major}.${target.minor}`, kubernetesVersion: target.version, version, clusterClass, addons, issues };
}

interface RenderOneInput {
  input: TargetInput;
  chart: ChartInfo;
  label: string;
  rename?: { name: string; version: string };
  tags: Record<string, string>;
  helm: HelmRenderOptions;
  /** `--include-crds` (CSO passes it for cluster-addon charts only). */
  includeCrds?: boolean;
  issues: Issue[];
}

/**
 * Seeded renders by content (chart folder + options): a build renders the same addon charts with the same
 * values for every copy of a stack, and for every stack that shares them. Unseeded renders are random, never cached.
 */
const renderedCharts = new RenderCache<RenderedChart>();

async function renderOne(r: RenderOneInput): Promise<RenderedChart | undefined> {
  const { stack, target, options } = r.input;
  let made: MaterializedChart | undefined;
  // Helm names templates `<chart name>/templates/x`; errors name the file in the temporary copy.
  const toStackPath = (p: string): string | undefined => {
    if (!made) return undefined;
    if (p.startsWith(`${made.dir}/`)) return `${r.chart.path}/${p.slice(made.dir.length + 1)}`;
    return p.startsWith(`${made.name}/`) ? stackPathOf(p, made.name, r.chart.path) : undefined;
  };
  try {
    made = await materializeChart({ stack, chart: r.chart, target, tags: r.tags, into: path.join(r.input.into, r.label), rename: r.rename, chartCacheDir: options.chartCacheDir });
    r.issues.push(...made.issues);
    if (made.issues.some((i) => i.severity === 'error')) return undefined;
    const key = r.helm.seed === undefined ? undefined : await renderKey(made.dir, { helm: r.helm, includeCrds: r.includeCrds, label: r.label, path: r.chart.path, templates: r.chart.templates, name: made.name });
    const hit = key === undefined ? undefined : renderedCharts.get(key);
    if (hit) return hit;
    const chart = await loadChart(made.dir);
    const rendered = renderChart(chart, r.helm);
    const result = r.includeCrds ? { ...rendered, manifests: [...crdManifests(chart), ...rendered.manifests] } : rendered;
    const text = formatHelmTemplate(result);
    const outputFile = r.label === 'cluster-class' ? 'cluster-class.yaml' : `cluster-addon/${r.label}.yaml`;
    const objects = manifestsToObjects(result.manifests, text, outputFile, (p) => toStackPath(p) ?? p);
    for (const rel of r.chart.templates) {
      const file = `${r.chart.path}/${rel}`;
      if (objects.some((o) => o.source.file === file)) assignTemplateLines(objects, file, await fs.readFile(path.join(made.dir, rel), 'utf8'));
    }
    const out: RenderedChart = {
      name: r.label,
      releaseName: r.helm.releaseName,
      namespace: r.helm.namespace,
      chartName: result.chart.name,
      chartVersion: result.chart.version,
      manifests: result.manifests,
      objects,
      text,
    };
    if (key !== undefined) renderedCharts.set(key, out, text.length * 3);
    return out;
  } catch (e) {
    r.issues.push(asIssue(e, stack.displayDir, toStackPath, made ? { from: made.dir, to: `${stack.displayDir}/${r.chart.path}` } : undefined));
    return undefined;
  }
}

/** A user-input problem as an Issue pointing into the stack; anything else is rethrown (a bug or tool error). */
function asIssue(e: unknown, displayDir: string, toStackPath: (p: string) => string | undefined, rewrite?: { from: string; to: string }): Issue {
  if (!(e instanceof UserInputError)) throw e;
  const issue = e instanceof ValidationFailed ? (e.issues[0] ?? e.toIssue()) : e.toIssue();
  const mapped = issue.location?.file === undefined ? undefined : toStackPath(issue.location.file);
  if (issue.location && mapped !== undefined) issue.location = { ...issue.location, file: `${displayDir}/${mapped}` };
  if (rewrite) issue.message = issue.message.split(rewrite.from).join(rewrite.to);
  return issue;
}

/** csctl pre-pass, then CSO templating of a values file; undefined when the stack has none. */
async function templatedValues(stack: Stack, rel: string, tags: Record<string, string>, cso: CsoTemplateData): Promise<{ file: string; values: Record<string, unknown> } | undefined> {
  if (!stack.files.includes(rel)) return undefined;
  const shown = `${stack.displayDir}/${rel}`;
  const raw = substituteCsctlTags(await fs.readFile(path.join(stack.dir, rel), 'utf8'), tags, shown);
  const { values } = renderCsoValues(raw, cso, shown);
  return { file: shown, values: parseValues(values, shown) };
}

/** Values text read like sigs.k8s.io/yaml (Helm's `-f`): a map, numbers float64. */
function parseValues(text: string, file: string): Record<string, unknown> {
  return parseValuesYaml(text, file) as Record<string, unknown>;
}

async function readValuesFile(file: string, cwd: string): Promise<{ file: string; values: Record<string, unknown> }> {
  const abs = path.resolve(cwd, file);
  const text = await fs.readFile(abs, 'utf8').catch(() => {
    throw new UserInputError('RENDER_VALUES_FILE_MISSING', `cannot read values file ${file}`, { details: 'Pass an existing YAML file with --values.', location: { file } });
  });
  return { file, values: parseValues(text, file) };
}
