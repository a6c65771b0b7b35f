/**
 * The data each template sees (helm/helm pkg/engine/engine.go recAllTpls): one shared map per chart with
 * `.Values`, `.Release`, `.Chart` (struct with Helm's field names), `.Capabilities`, `.Files`, `.Subcharts`.
 */
import { typedMap, typedSlice } from '../funcs/go-types.js';
import { marshalYamlGo } from '../funcs/helm-yaml.js';
import { GoStruct, isGoMap, withMapMethods } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { pathValue, table } from './coalesce.js';
import { chartFilesMap, filesValue } from './files.js';
import type { ChartDependency, ChartMetadata, HelmChart } from './types.js';

/** One template to render: its text, the chart data map it executes with and `.Template.BasePath`. */
export interface Renderable {
  text: string;
  vals: GoMap;
  basePath: string;
  /** Where the template file lives, for error locations. */
  file: string;
}

/** chartutil.Values: a map with AsMap, YAML, Table and PathValue methods. */
export function valuesMap(m: GoMap): GoMap {
  return withMapMethods(m, {
    AsMap: () => m,
    YAML: () => marshalYamlGo(m),
    Table: (name) => {
      const t = table(m, String(name));
      if (t === undefined) throw new Error(`${JSON.stringify(String(name).split('.').pop())} is not a table`);
      return valuesMap(t);
    },
    PathValue: (p) => {
      const v = pathValue(m, String(p));
      if (!v.found) throw new Error(`${JSON.stringify(String(p).split('.').pop())} is not a value`);
      return v.value;
    },
  });
}

function strings(list: string[] | undefined): GoValue[] {
  return typedSlice(list ? [...list] : [], 'string');
}

function dependencyStruct(d: ChartDependency): GoStruct {
  return new GoStruct('*chart.Dependency', {
    Name: d.name,
    Version: d.version ?? '',
    Repository: d.repository ?? '',
    Condition: d.condition ?? '',
    Tags: strings(d.tags),
    Enabled: d.enabled ?? false,
    ImportValues: (d['import-values'] ?? []) as GoValue[],
    Alias: d.alias ?? '',
  });
}

/** `.Chart`: chart.Metadata embedded with IsRoot. */
export function chartStruct(md: ChartMetadata, isRoot: boolean): GoStruct {
  return new GoStruct('struct { *chart.Metadata; IsRoot bool }', {
    Name: md.name,
    Home: md.home ?? '',
    Sources: strings(md.sources),
    Version: md.version,
    Description: md.description ?? '',
    Keywords: strings(md.keywords),
    Maintainers: (md.maintainers ?? []).map((m) => new GoStruct('*chart.Maintainer', { Name: m.name ?? '', Email: m.email ?? '', URL: m.url ?? '' })),
    Icon: md.icon ?? '',
    APIVersion: md.apiVersion,
    Condition: md.condition ?? '',
    Tags: md.tags ?? '',
    AppVersion: md.appVersion ?? '',
    Deprecated: md.deprecated ?? false,
    Annotations: typedMap({ ...(md.annotations ?? {}) }, 'string'),
    KubeVersion: md.kubeVersion ?? '',
    Dependencies: (md.dependencies ?? []).map(dependencyStruct),
    Type: md.type ?? '',
    IsRoot: isRoot,
  });
}

/** recAllTpls: fills `templates` (full name → renderable) and returns this chart's data map. */
export function collectTemplates(
  chart: HelmChart,
  parentVals: GoMap,
  parentPath: string | undefined,
  templates: Map<string, Renderable>,
  fileOf: (chartPath: string, name: string) => string,
): GoMap {
  const isRoot = parentPath === undefined;
  const subcharts: GoMap = {};
  const next: GoMap = {
    Chart: chartStruct(chart.metadata, isRoot),
    Files: filesValue(chartFilesMap(chart.files)),
    Release: parentVals.Release,
    Capabilities: parentVals.Capabilities,
    Values: {},
    Subcharts: subcharts,
  };
  if (isRoot) next.Values = parentVals.Values;
  else {
    const pv = parentVals.Values;
    const vs = isGoMap(pv) && Object.hasOwn(pv, chart.metadata.name) ? pv[chart.metadata.name] : undefined;
    if (isGoMap(vs)) next.Values = vs;
  }
  if (isGoMap(next.Values)) valuesMap(next.Values);
  const fullPath = isRoot ? chart.metadata.name : `${parentPath}/charts/${chart.metadata.name}`;
  for (const child of chart.dependencies) {
    subcharts[child.metadata.name] = collectTemplates(child, next, fullPath, templates, fileOf);
  }
  for (const t of chart.templates) {
    // Library charts contribute only partials.
    if (chart.metadata.type === 'library' && !t.name.split('/').pop()?.startsWith('_')) continue;
    templates.set(`${fullPath}/${t.name}`, {
      text: t.data.toString('utf8'),
      vals: next,
      basePath: `${fullPath}/templates`,
      file: fileOf(chart.source, t.name),
    });
  }
  return next;
}
