/** Chart.yaml into Helm's chart.Metadata (unknown keys dropped, strings sanitised) plus Metadata.Validate. */
import { UserInputError } from '../../core/errors.js';
import { sanitizeString } from '../../bundle/index.js';
import { formatFloat } from '../funcs/go-format.js';
import { parseYamlGo } from '../funcs/helm-yaml.js';
import { parseVersion } from '../funcs/semver.js';
import { isGoMap } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import type { ChartDependency, ChartMaintainer, ChartMetadata } from './types.js';

function invalid(file: string, message: string, line?: number): UserInputError {
  return new UserInputError('CHART_YAML_INVALID', `${file}: ${message}`, {
    details: 'Chart.yaml needs apiVersion (v1 or v2), name and a semantic version; see https://helm.sh/docs/topics/charts/#the-chartyaml-file',
    location: { file, line },
  });
}

function str(v: GoValue): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return sanitizeString(v);
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function strList(v: GoValue): string[] | undefined {
  return Array.isArray(v) ? v.map((x) => str(x) ?? '') : undefined;
}

function dependency(v: GoValue): ChartDependency {
  const m = isGoMap(v) ? v : {};
  const d: ChartDependency = { name: str(m.name) ?? '' };
  const version = str(m.version);
  if (version !== undefined) d.version = version;
  const repository = str(m.repository);
  if (repository !== undefined) d.repository = repository;
  const condition = str(m.condition);
  if (condition !== undefined) d.condition = condition;
  const tags = strList(m.tags);
  if (tags) d.tags = tags;
  if (typeof m.enabled === 'boolean') d.enabled = m.enabled;
  if (Array.isArray(m['import-values'])) d['import-values'] = m['import-values'];
  const alias = str(m.alias);
  if (alias !== undefined) d.alias = alias;
  return d;
}

/** Parses and validates Chart.yaml text; `file` names it in errors. */
export function parseChartYaml(text: string, file: string): ChartMetadata {
  let doc: GoValue;
  try {
    doc = parseYamlGo(text);
  } catch (e) {
    const m = /line (\d+)/.exec((e as Error).message);
    throw invalid(file, `cannot load Chart.yaml: ${(e as Error).message}`, m ? Number(m[1]) : undefined);
  }
  const m = isGoMap(doc) ? doc : {};
  const md: ChartMetadata = { name: str(m.name) ?? '', version: str(m.version) ?? '', apiVersion: str(m.apiVersion) ?? 'v1' };
  for (const key of ['home', 'description', 'icon', 'condition', 'tags', 'appVersion', 'kubeVersion', 'type'] as const) {
    const s = str(m[key]);
    if (s !== undefined) md[key] = s;
  }
  const sources = strList(m.sources);
  if (sources) md.sources = sources;
  const keywords = strList(m.keywords);
  if (keywords) md.keywords = keywords;
  if (typeof m.deprecated === 'boolean') md.deprecated = m.deprecated;
  if (isGoMap(m.annotations)) md.annotations = Object.fromEntries(Object.entries(m.annotations).map(([k, v]) => [k, str(v) ?? '']));
  if (Array.isArray(m.maintainers)) {
    md.maintainers = m.maintainers.map((x): ChartMaintainer => {
      const mm = isGoMap(x) ? x : {};
      const out: ChartMaintainer = {};
      for (const k of ['name', 'email', 'url'] as const) {
        const s = str(mm[k]);
        if (s !== undefined) out[k] = s;
      }
      return out;
    });
  }
  if (Array.isArray(m.dependencies)) md.dependencies = m.dependencies.map(dependency);
  validateMetadata(md, file);
  return md;
}

/** Helm's Metadata.Validate. */
export function validateMetadata(md: ChartMetadata, file: string): void {
  if (md.apiVersion === '') throw invalid(file, 'chart.metadata.apiVersion is required');
  if (md.name === '') throw invalid(file, 'chart.metadata.name is required');
  if (md.name.includes('/') || md.name.includes('\\') || md.name === '.' || md.name === '..') throw invalid(file, `chart.metadata.name "${md.name}" is invalid`);
  if (md.version === '') throw invalid(file, 'chart.metadata.version is required');
  try {
    parseVersion(md.version);
  } catch {
    throw invalid(file, `chart.metadata.version "${md.version}" is invalid`);
  }
  if (md.type !== undefined && md.type !== '' && md.type !== 'application' && md.type !== 'library') {
    throw invalid(file, 'chart.metadata.type must be application or library');
  }
  const seen = new Set<string>();
  for (const d of md.dependencies ?? []) {
    if (d.alias !== undefined && d.alias !== '' && !/^[a-zA-Z0-9_-]+$/.test(d.alias)) throw invalid(file, `dependency "${d.name}" has disallowed characters in the alias`);
    const key = d.alias || d.name;
    if (seen.has(key)) throw invalid(file, `more than one dependency with name or alias "${key}"`);
    seen.add(key);
  }
}
