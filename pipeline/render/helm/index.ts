/**
 * Helm 3 chart semantics in-process: load a chart (folder or .tgz), merge values like `helm template`
 * (`-f` layers, `--set`, subchart values, globals, conditions/tags, import-values), render all templates in one
 * Go text/template set and print exactly what `helm template` prints.
 */
import { UserInputError } from '../../core/errors.js';
import { trimSpace } from '../funcs/text.js';
import { GoNumber } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { capabilitiesValue, DEFAULT_KUBE_VERSION, parseKubeVersion } from './capabilities.js';
import { coalesceValues, mergeMaps } from './coalesce.js';
import { collectTemplates } from './context.js';
import type { Renderable } from './context.js';
import { cloneChart, isCompatibleRange, processDependencyEnabled, processDependencyImportValues } from './dependencies.js';
import { renderTemplates } from './engine.js';
import { sortManifests } from './manifests.js';
import { validateValuesAgainstSchemas } from './schema.js';
import { setFileReader, type SetFileRead } from './set-file.js';
import { parseSetFileInto, parseSetInto, parseSetJsonInto, parseSetStringInto, StrvalsError } from './strvals.js';
import { JsonTooDeepError, JsonValueError, unmarshalJsonObject } from './strvals-json.js';
import { parseSetLiteralInto } from './strvals-literal.js';

export { loadChart, loadChartArchive } from './load.js';
export { parseValuesYaml } from './values-file.js';
export { parseSetFileInto, parseSetInto, parseSetJsonInto, parseSetStringInto } from './strvals.js';
export { parseSetLiteralInto } from './strvals-literal.js';
export { setFilePaths, setFileSource, type SetFileRead } from './set-file.js';
export { filterShowOnly, selectShowOnly, showOnlyMatches } from './show-only.js';
export { coalesceValues, mergeMaps } from './coalesce.js';
export { DEFAULT_KUBE_VERSION, parseKubeVersion };
export type { HelmChart, ChartMetadata, ChartDependency, ChartFile } from './types.js';
import type { HelmChart } from './types.js';

/** What `helm template` takes besides the chart. */
export interface HelmRenderOptions {
  releaseName: string;
  namespace: string;
  revision?: number;
  isUpgrade?: boolean;
  /** `-f` layers in order, later wins. */
  valueFiles?: Array<{ file: string; values: Record<string, unknown> }>;
  /** `--set` expressions, applied after the files. */
  set?: string[];
  /** `--set-string` expressions, applied after `set`. */
  setString?: string[];
  /** `--set-json` expressions (`a.b=JSON,c=JSON` or one JSON object), applied after the files, before `set`. */
  setJson?: string[];
  /** `--set-file` expressions (`a.b=PATH`), applied after `setString`; contents come from `setFileData`. */
  setFile?: string[];
  /** What reading each path named in `setFile` gave, keyed by the path as written (see setFilePaths). */
  setFileData?: Record<string, SetFileRead>;
  /** `--set-literal` expressions (`a.b=anything, even , and =`), applied last. */
  setLiteral?: string[];
  /** e.g. "v1.33.0"; default Helm 3.19's v1.34.0. */
  kubeVersion?: string;
  /** Extra `--api-versions`. */
  apiVersions?: string[];
  /** Repeatable random/crypto output (`randAlpha`, `genCA`, ...) and a fixed clock. */
  seed?: string;
  now?: Date;
  /** Like --skip-schema-validation: do not check values against values.schema.json. */
  skipSchemaValidation?: boolean;
  /** Like --include-crds: print `crds/` files (chart, then subcharts) before the templates. */
  includeCrds?: boolean;
}

/** One output document. */
export interface RenderedManifest {
  /** As in "# Source:" (the template's full name, e.g. `chart/charts/sub/templates/x.yaml`). */
  source: string;
  /** One document, trimmed, no leading `---`. */
  content: string;
  template: string;
  kind?: string;
  /** `metadata.name` of the object. */
  name?: string;
  /** A `helm.sh/hook` document (printed after the others). */
  hook?: boolean;
  /** A raw file from `crds/` (only with includeCrds; printed first). */
  crd?: boolean;
}

/** The rendered release in `helm template` order. */
export interface HelmRenderResult {
  chart: { name: string; version: string; appVersion?: string };
  manifests: RenderedManifest[];
  /** Helm's log warnings (e.g. a table overwritten by a scalar). */
  warnings?: string[];
}

/** Plain data (e.g. from the `yaml` package) as Go values: bigint → int64, Date → RFC 3339 text, undefined dropped. */
function toGo(v: unknown): GoValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return new GoNumber('int64', v);
  if (v instanceof GoNumber || v instanceof Uint8Array) return v;
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) return v.map(toGo);
  if (typeof v === 'object') {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined) Object.defineProperty(out, k, { value: toGo(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return null;
}

const SET_HINTS: Record<string, string> = {
  '--set': 'use a.b=c, lists as a={x,y} or a[0]=x; escape , . = [ with a backslash.',
  '--set-string': 'use a.b=c, lists as a={x,y} or a[0]=x; escape , . = [ with a backslash.',
  '--set-json': 'use a.b=<JSON value> (comma-separated) or one JSON object {"a":{"b":1}}.',
  '--set-file': 'use a.b=PATH with a readable file; escape , . = [ with a backslash.',
  '--set-literal': 'use a.b=VALUE; everything after the first = is the value.',
};

function badSet(flag: string, expr: string, message: string, cause: unknown): UserInputError {
  return new UserInputError('HELM_BAD_SET', message, { details: `In ${flag} ${expr}: ${SET_HINTS[flag] ?? ''}`, cause });
}

/** One --set-json argument: a JSON object merged like a values file, else strvals.ParseJSON. */
function applySetJson(expr: string, base: GoMap): GoMap {
  const trimmed = trimSpace(expr);
  try {
    if (trimmed.startsWith('{')) return mergeMaps(base, unmarshalJsonObject(trimmed));
    parseSetJsonInto(expr, base);
    return base;
  } catch (e) {
    if (e instanceof JsonTooDeepError) {
      throw new UserInputError('HELM_SET_JSON_TOO_DEEP', `--set-json data ${expr}: ${e.message}`, {
        details: 'Helm accepts JSON nested up to 10000 levels; csp runs out of stack earlier. Put the value in a -f values file or flatten it.',
      });
    }
    if (!(e instanceof StrvalsError) && !(e instanceof JsonValueError)) throw e;
    // Helm reports the flag value, not the JSON error.
    throw badSet('--set-json', expr, trimmed.startsWith('{') ? `failed parsing --set-json data JSON: ${expr}` : `failed parsing --set-json data ${expr}`, e);
  }
}

/** values.Options.MergeValues: -f files, then --set-json, --set, --set-string, --set-file, --set-literal. */
function userValues(options: HelmRenderOptions): GoMap {
  let base: GoMap = {};
  for (const layer of options.valueFiles ?? []) base = mergeMaps(base, toGo(layer.values) as GoMap);
  for (const expr of options.setJson ?? []) base = applySetJson(expr, base);
  const read = setFileReader(options.setFileData ?? {});
  const layers: Array<[string, string[], (e: string, d: GoMap) => void]> = [
    ['--set', options.set ?? [], parseSetInto],
    ['--set-string', options.setString ?? [], parseSetStringInto],
    ['--set-file', options.setFile ?? [], (e, d) => parseSetFileInto(e, d, read)],
    ['--set-literal', options.setLiteral ?? [], parseSetLiteralInto],
  ];
  for (const [flag, exprs, parse] of layers) {
    for (const expr of exprs) {
      try {
        parse(expr, base);
      } catch (e) {
        if (!(e instanceof StrvalsError)) throw e;
        throw badSet(flag, expr, `failed parsing ${flag} data: ${e.message}`, e);
      }
    }
  }
  return base;
}

function checkDependencies(chart: HelmChart): void {
  const missing = (chart.metadata.dependencies ?? []).filter((r) => !chart.dependencies.some((d) => d.metadata.name === r.name)).map((r) => r.name);
  if (missing.length > 0) {
    throw new UserInputError('HELM_DEPENDENCY_MISSING', `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`, {
      details: 'Vendor the dependencies (csp deps, or helm dependency build) before rendering.',
      location: { file: `${chart.source}/Chart.yaml` },
    });
  }
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The checks action.Install makes before rendering: release name, chart type, Chart.yaml kubeVersion. */
function checkInstallable(chart: HelmChart, options: HelmRenderOptions): void {
  if (options.releaseName === '' || options.releaseName.length > 53 || !RELEASE_NAME.test(options.releaseName)) {
    throw new UserInputError('HELM_BAD_RELEASE_NAME', `release name "${options.releaseName}": invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`, {
      details: 'Use lower-case letters, digits, - and . (at most 53 characters).',
    });
  }
  if (chart.metadata.type === 'library') {
    throw new UserInputError('HELM_LIBRARY_CHART', `${chart.metadata.name}: library charts are not installable`, {
      details: 'Render an application chart that depends on the library instead.',
      location: { file: `${chart.source}/Chart.yaml` },
    });
  }
  const kube = parseKubeVersion(options.kubeVersion ?? DEFAULT_KUBE_VERSION).version;
  if (chart.metadata.kubeVersion && !isCompatibleRange(chart.metadata.kubeVersion, kube)) {
    throw new UserInputError('HELM_KUBE_VERSION_INCOMPATIBLE', `chart requires kubeVersion: ${chart.metadata.kubeVersion} which is incompatible with Kubernetes ${kube}`, {
      details: 'Pass a matching --kube-version or use a chart version that supports this Kubernetes version.',
      location: { file: `${chart.source}/Chart.yaml` },
    });
  }
}

/** Renders a loaded chart like `helm template`; throws positioned UserInputErrors for broken charts or values. */
export function renderChart(input: HelmChart, options: HelmRenderOptions): HelmRenderResult {
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
  };
  checkInstallable(input, options);
  checkDependencies(input);
  const chart = cloneChart(input);
  const vals = userValues(options);
  let values: GoMap;
  try {
    processDependencyEnabled(chart, vals, '', warn);
    processDependencyImportValues(chart, warn);
    values = coalesceValues(chart, vals, warn);
  } catch (e) {
    if (e instanceof UserInputError) throw e;
    throw new UserInputError('HELM_VALUES_MISMATCH', (e as Error).message, {
      details: 'A subchart name in the values must hold a map of that subchart\'s values.',
      location: { file: `${chart.source}/values.yaml` },
    });
  }
  if (!options.skipSchemaValidation) validateValuesAgainstSchemas(chart, values);
  const top: GoMap = {
    Release: {
      Name: options.releaseName,
      Namespace: options.namespace,
      IsUpgrade: options.isUpgrade ?? false,
      IsInstall: !(options.isUpgrade ?? false),
      Revision: BigInt(options.revision ?? 1),
      Service: 'Helm',
    },
    Capabilities: capabilitiesValue(options.kubeVersion, options.apiVersions),
    Values: values,
  };
  const templates = new Map<string, Renderable>();
  collectTemplates(chart, top, undefined, templates, (source, name) => `${source}/${name}`);
  const rendered = renderTemplates(templates, { seed: options.seed, now: options.now });
  for (const name of [...rendered.keys()]) if (name.endsWith('NOTES.txt')) rendered.delete(name);
  const { manifests, hooks } = sortManifests(rendered, (n) => templates.get(n)?.file ?? n);
  const out: RenderedManifest[] = [...manifests, ...hooks].map((m) => ({
    source: m.name,
    content: m.content,
    template: m.name,
    kind: m.kind,
    name: m.resourceName,
    hook: m.hook,
  }));
  if (options.includeCrds) out.unshift(...crdObjects(chart, chart.metadata.name));
  const md = input.metadata;
  return {
    chart: { name: md.name, version: md.version, ...(md.appVersion !== undefined ? { appVersion: md.appVersion } : {}) },
    manifests: out,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** Chart.CRDObjects: `crds/*.{yaml,yml,json}` of the chart, then of each enabled subchart. */
function crdObjects(chart: HelmChart, fullPath: string): RenderedManifest[] {
  const own = chart.files
    .filter((f) => f.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(f.name))
    .map((f) => ({ source: `${fullPath}/${f.name}`, content: f.data.toString('utf8'), template: `${fullPath}/${f.name}`, kind: 'CustomResourceDefinition', crd: true }));
  return [...own, ...chart.dependencies.flatMap((d) => crdObjects(d, `${fullPath}/charts/${d.metadata.name}`))];
}

/** Exactly what `helm template` prints for the result (manifests, then hooks). */
export function formatHelmTemplate(result: HelmRenderResult): string {
  const doc = (m: RenderedManifest): string => `---\n# Source: ${m.source}\n${m.content}\n`;
  const main = result.manifests.filter((m) => !m.hook).map(doc).join('');
  return `${trimSpace(main)}\n${result.manifests.filter((m) => m.hook).map(doc).join('')}`;
}
