/** Helm engine semantics on small in-memory charts: context objects, functions, errors, output assembly. */
import { describe, expect, it } from 'vitest';
import { UserInputError, ValidationFailed } from '../../core/errors.js';
import { DEFAULT_API_VERSIONS } from './capabilities.js';
import { formatHelmTemplate, renderChart } from './index.js';
import type { HelmRenderOptions } from './index.js';
import { chartFromFiles, chartYaml } from './test-charts.js';

const base: HelmRenderOptions = { releaseName: 'rel', namespace: 'ns' };

function render(templates: Record<string, string>, options: Partial<HelmRenderOptions> = {}, extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { 'Chart.yaml': chartYaml('c', 'appVersion: "1.2"\ndescription: demo\n'), ...extra };
  for (const [k, v] of Object.entries(templates)) files[`templates/${k}`] = v;
  return formatHelmTemplate(renderChart(chartFromFiles(files), { ...base, ...options }));
}

/** Renders one template and returns its document body. */
function one(text: string, options: Partial<HelmRenderOptions> = {}, extra: Record<string, string> = {}): string {
  const out = render({ 't.yaml': text }, options, extra);
  return out.replace(/^---\n# Source: c\/templates\/t\.yaml\n/, '').replace(/\n$/, '');
}

function renderError(text: string, extra: Record<string, string> = {}): UserInputError {
  try {
    render({ 't.yaml': text }, {}, extra);
  } catch (e) {
    if (e instanceof UserInputError) return e;
    throw e;
  }
  throw new Error('render did not fail');
}

describe('render context', () => {
  it.each<[string, string, Partial<HelmRenderOptions>, string]>([
    ['release', 'x: {{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Release.Service }}/{{ .Release.Revision }}/{{ .Release.IsInstall }}/{{ .Release.IsUpgrade }}', {}, 'x: rel/ns/Helm/1/true/false'],
    ['upgrade', 'x: {{ .Release.IsInstall }}/{{ .Release.IsUpgrade }}/{{ .Release.Revision }}', { isUpgrade: true, revision: 4 }, 'x: false/true/4'],
    ['chart fields', 'x: {{ .Chart.Name }}-{{ .Chart.Version }}-{{ .Chart.AppVersion }}-{{ .Chart.Description }}-{{ .Chart.APIVersion }}-{{ .Chart.IsRoot }}', {}, 'x: c-0.1.0-1.2-demo-v2-true'],
    ['template name and base path', 'x: {{ .Template.Name }} {{ .Template.BasePath }}', {}, 'x: c/templates/t.yaml c/templates'],
    ['default kube version', 'x: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }}', {}, 'x: v1.34.0 1.34'],
    ['--kube-version is normalised', 'x: {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.GitVersion }} {{ .Capabilities.KubeVersion.Minor }}', { kubeVersion: '1.29' }, 'x: v1.29.0 v1.29.0 29'],
    ['semverCompare on the kube version', 'x: {{ semverCompare ">=1.30-0" .Capabilities.KubeVersion.Version }}', { kubeVersion: 'v1.29.3' }, 'x: false'],
    ['built-in API versions', 'x: {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}', {}, 'x: true false'],
    ['--api-versions', 'x: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}', { apiVersions: ['monitoring.coreos.com/v1'] }, 'x: true'],
    [
      'ranging over APIVersions with --api-versions',
      '{{- range $i, $v := .Capabilities.APIVersions }}{{ if hasSuffix ".coreos.com/v1" $v }}x{{ $i }}: {{ $v }}{{ end }}{{ end }}',
      { apiVersions: ['monitoring.coreos.com/v1'] },
      `x${DEFAULT_API_VERSIONS.length}: monitoring.coreos.com/v1`,
    ],
    [
      'APIVersions as a []string: len, index, slice, Sprig lists, type',
      'x: {{ len .Capabilities.APIVersions }} {{ index .Capabilities.APIVersions 0 }} {{ last .Capabilities.APIVersions }} {{ has "b/v1" .Capabilities.APIVersions }} {{ slice .Capabilities.APIVersions 1 3 }} {{ typeOf .Capabilities.APIVersions }} {{ (slice .Capabilities.APIVersions 1).Has "a/v1" }}',
      { apiVersions: ['a/v1', 'b/v1'] },
      `x: ${DEFAULT_API_VERSIONS.length + 2} v1 b/v1 true [${DEFAULT_API_VERSIONS.slice(1, 3).join(' ')}] chartutil.VersionSet true`,
    ],
    ['helm version', 'x: {{ .Capabilities.HelmVersion.Version }}', {}, 'x: v3.19.0'],
    ['missing values render empty (missingkey=zero, <no value> stripped)', 'x: "{{ .Values.nope }}"', {}, 'x: ""'],
    ['--set ints print as integers', 'x: {{ .Values.n }} {{ kindOf .Values.n }}', { set: ['n=1000000'] }, 'x: 1000000 int64'],
    ['--set-string wins over --set', 'x: {{ .Values.n }} {{ kindOf .Values.n }}', { set: ['n=1'], setString: ['n=2'] }, 'x: 2 string'],
    ['--set null deletes a values.yaml key', 'x: "{{ .Values.big }}"', { set: ['big=null'] }, 'x: ""'],
    ['-f layers given as plain data', 'x: {{ .Values.n }} {{ kindOf .Values.n }} {{ hasKey .Values "u" }} {{ .Values.m.k }}', { valueFiles: [{ file: 'a.yaml', values: { n: 5n, u: undefined, m: { k: 'a' } } }, { file: 'b.yaml', values: { m: { k: 'b' } } }] }, 'x: 5 int64 false b'],
    ['values.yaml numbers are float64', 'x: {{ .Values.big }} {{ kindOf .Values.big }}', {}, 'x: 1e+06 float64'],
    ['Values.AsMap', 'x: {{ dig "a" "b" "none" .Values.AsMap }}', { set: ['a.b=deep'] }, 'x: deep'],
    ['lookup is empty offline', 'x: {{ lookup "v1" "Secret" "ns" "name" | toJson }}', {}, 'x: {}'],
    ['getHostByName is empty offline', 'x: "{{ getHostByName "example.org" }}"', {}, 'x: ""'],
  ])('%s', (_name, text, options, want) => {
    expect(one(text, options, { 'values.yaml': 'big: 1000000\n' })).toBe(want);
  });

  it('.Files: Get, Lines, Glob, AsConfig, AsSecrets and range', () => {
    const extra = { 'files/a.txt': 'alpha\nbeta\n', 'files/b.json': '{}', 'files/sub/c.txt': 'gamma', 'other.md': 'doc' };
    expect(one('x: {{ .Files.Get "files/a.txt" | quote }}', {}, extra)).toBe('x: "alpha\\nbeta\\n"');
    expect(one('x: {{ .Files.Get "missing" | quote }}', {}, extra)).toBe('x: ""');
    expect(one('x: {{ .Files.Lines "files/a.txt" | join "," }}', {}, extra)).toBe('x: alpha,beta');
    expect(one('{{ range $p, $b := .Files.Glob "files/*.txt" }}{{ $p }}={{ len $b }};{{ end }}', {}, extra)).toBe('files/a.txt=11;');
    expect(one('{{ range $p, $_ := .Files.Glob "files/**" }}{{ $p }};{{ end }}', {}, extra)).toBe('files/a.txt;files/b.json;files/sub/c.txt;');
    expect(one('{{ range $p, $_ := .Files.Glob "files/{a,b}.*" }}{{ $p }};{{ end }}', {}, extra)).toBe('files/a.txt;files/b.json;');
    expect(one('data:\n{{ (.Files.Glob "files/*.txt").AsConfig | indent 2 }}', {}, extra)).toBe('data:\n  a.txt: |\n    alpha\n    beta');
    expect(one('data:\n{{ (.Files.Glob "files/sub/*").AsSecrets | indent 2 }}', {}, extra)).toBe('data:\n  c.txt: Z2FtbWE=');
    expect(one('x: [{{ .Files.Get "templates/t.yaml" | quote }}, {{ .Files.Get "Chart.yaml" | quote }}]', {}, extra)).toBe('x: ["", ""]');
  });

  it('include, define override order and tpl', () => {
    const extra = { 'templates/_a.tpl': '{{ define "x" }}from-a{{ end }}', 'templates/_b.tpl': '{{ define "x" }}from-b{{ end }}' };
    // Same depth: parsed in reverse lexical order, so _a.tpl (parsed last) wins.
    expect(one('x: {{ include "x" . }}', {}, extra)).toBe('x: from-a');
    expect(one('x: {{ tpl "{{ .Values.a }}-{{ .Template.Name }}" . }}', { set: ['a=1'] })).toBe('x: 1-c/templates/t.yaml');
    expect(one('x: {{ tpl "{{ define \\"y\\" }}Y{{ end }}{{ include \\"y\\" . }}" . }}')).toBe('x: Y');
    expect(one('x: "{{ tpl "{{ .Values.missing }}" . }}"')).toBe('x: ""');
  });

  it('subchart templates see their values, globals and their own .Chart; the root define wins', () => {
    const chart = chartFromFiles({
      'Chart.yaml': chartYaml('root', 'dependencies:\n- name: sub\n  version: ">=0.1.0"\n'),
      'values.yaml': 'global:\n  g: 1\nsub:\n  v: from-parent\n',
      'templates/_h.tpl': '{{ define "name" }}root-def{{ end }}',
      'charts/sub/Chart.yaml': chartYaml('sub'),
      'charts/sub/values.yaml': 'v: default\nw: own\n',
      'charts/sub/templates/_h.tpl': '{{ define "name" }}sub-def{{ end }}',
      'charts/sub/templates/s.yaml': 'x: {{ .Values.v }} {{ .Values.w }} {{ .Values.global.g }} {{ .Chart.Name }} {{ .Chart.IsRoot }} {{ include "name" . }} {{ .Template.BasePath }}',
    });
    const out = formatHelmTemplate(renderChart(chart, base));
    expect(out).toBe('---\n# Source: root/charts/sub/templates/s.yaml\nx: from-parent own 1 sub false root-def root/charts/sub/templates\n');
  });

  it('library charts contribute only helpers', () => {
    const chart = chartFromFiles({
      'Chart.yaml': chartYaml('root'),
      'templates/a.yaml': 'x: {{ include "lib.x" . }}',
      'charts/lib/Chart.yaml': chartYaml('lib', 'type: library\n'),
      'charts/lib/templates/_x.tpl': '{{ define "lib.x" }}from-lib{{ end }}',
      'charts/lib/templates/ignored.yaml': 'kind: ShouldNotRender',
    });
    expect(formatHelmTemplate(renderChart(chart, base))).toBe('---\n# Source: root/templates/a.yaml\nx: from-lib\n');
  });

  it('seeded random and crypto functions repeat', () => {
    const text = 'x: {{ randAlphaNum 12 }} {{ uuidv4 }}';
    const a = one(text, { seed: 's1' });
    expect(one(text, { seed: 's1' })).toBe(a);
    expect(one(text, { seed: 's2' })).not.toBe(a);
  });
});

describe('output assembly like helm template', () => {
  it('splits documents, drops empty ones and partial/NOTES output, sorts by kind then keeps file order, hooks last', () => {
    const out = render({
      'b.yaml': '---\nkind: Deployment\nmetadata:\n  name: d\n---\n\n---\nkind: Service\nmetadata:\n  name: s\n',
      'a.yaml': 'kind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  script: |\n    one\n    ---\n    two\n---\n# only a comment\n',
      'c.yaml': 'kind: Zeta\n---\nkind: Alpha\n---\nkind: Namespace\n',
      'hook.yaml': 'kind: Job\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: post-install\n',
      'bad-hook.yaml': 'kind: Job\nmetadata:\n  name: u\n  annotations:\n    helm.sh/hook: unknown-event\n',
      'blank.yaml': '{{/* nothing */}}\n  \n',
      'NOTES.txt': 'Thanks for installing {{ .Release.Name }}',
      '_helpers.tpl': 'kind: NotRendered',
    });
    const sources = out.split('\n').filter((l) => l.startsWith('# Source') || l.startsWith('kind') || l.startsWith('# only'));
    expect(sources).toEqual([
      '# Source: c/templates/c.yaml', 'kind: Namespace',
      '# Source: c/templates/a.yaml', 'kind: ConfigMap',
      '# Source: c/templates/b.yaml', 'kind: Service',
      '# Source: c/templates/b.yaml', 'kind: Deployment',
      '# Source: c/templates/a.yaml', '# only a comment',
      '# Source: c/templates/c.yaml', 'kind: Alpha',
      '# Source: c/templates/c.yaml', 'kind: Zeta',
      '# Source: c/templates/hook.yaml', 'kind: Job',
    ]);
    expect(out).toContain('    one\n    ---\n    two\n');
    expect(out.endsWith('name: h\n  annotations:\n    helm.sh/hook: post-install\n')).toBe(true);
    expect(out).not.toContain('NotRendered');
    expect(out).not.toContain('Thanks');
  });

  it('prints a lone newline for a chart without output', () => {
    expect(render({ 'a.yaml': '{{- if false }}x: 1{{ end }}' })).toBe('\n');
  });
});

describe('positioned errors', () => {
  it.each<[string, string, string, Record<string, unknown>]>([
    ['required', 'a: 1\nb: {{ required "set b!" .Values.b }}', 'HELM_TEMPLATE_FAILED', { message: 'execution error at (c/templates/t.yaml:2:6): set b!', line: 2, column: 7 }],
    ['fail', '{{ fail "nope" }}', 'HELM_TEMPLATE_FAILED', { message: 'execution error at (c/templates/t.yaml:1:3): nope', line: 1, column: 4 }],
    ['unknown function at parse time', 'a: 1\n\nb: {{ nosuch 1 }}', 'HELM_TEMPLATE_PARSE_ERROR', { message: 'parse error at (c/templates/t.yaml:3): function "nosuch" not defined', line: 3 }],
    ['nil pointer through a missing parent', 'x: {{ .Values.a.b }}', 'HELM_TEMPLATE_EXEC_ERROR', { line: 1, column: 14 }],
    ['unknown .Chart field', 'x: {{ .Chart.name }}', 'HELM_TEMPLATE_EXEC_ERROR', { line: 1 }],
    ['invalid YAML output', 'a: [\n', 'HELM_MANIFEST_YAML_ERROR', {}],
  ])('%s', (_name, text, code, want) => {
    const e = renderError(text);
    expect(e.code).toBe(code);
    expect(e.location?.file).toBe('mychart/templates/t.yaml');
    if (want.message) expect(e.message).toBe(want.message);
    if (want.line) expect(e.location?.line).toBe(want.line);
    if (want.column) expect(e.location?.column).toBe(want.column);
  });

  it('names the helper file when a partial fails to parse', () => {
    const e = renderError('x: 1', { 'templates/_bad.tpl': '{{ define "x" }}\n{{ if }}\n{{ end }}' });
    expect(e.code).toBe('HELM_TEMPLATE_PARSE_ERROR');
    expect(e.location).toMatchObject({ file: 'mychart/templates/_bad.tpl', line: 2 });
  });

  it('points at the helper that failed inside an include, keeping Helm\'s message', () => {
    const e = renderError('a: 1\nb: {{ include "h" . }}', { 'templates/_h.tpl': '{{ define "h" }}\n  {{ .Values.x.y }}\n{{ end }}' });
    expect(e.code).toBe('HELM_TEMPLATE_EXEC_ERROR');
    expect(e.message).toMatch(/^template: c\/templates\/t\.yaml:2:6: executing "c\/templates\/t\.yaml" at <include "h" \.>: error calling include: template: c\/templates\/_h\.tpl:2:12: /);
    expect(e.location).toEqual({ file: 'mychart/templates/_h.tpl', line: 2, column: 13 });
  });

  it('rejects a bad --set', () => {
    expect(() => one('x: 1', { set: ['a[x]=1'] })).toThrow(/failed parsing --set data: error parsing index/);
  });

  it('checks values against values.schema.json of the chart and its subcharts', () => {
    const chart = chartFromFiles({
      'Chart.yaml': chartYaml('c'),
      'values.schema.json': JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { replicas: { type: 'integer' } } }),
      'templates/a.yaml': 'r: {{ .Values.replicas }}',
      'charts/sub/Chart.yaml': chartYaml('sub'),
      'charts/sub/values.schema.json': JSON.stringify({ type: 'object', required: ['needed'] }),
      'charts/sub/values.yaml': 'needed: 1',
    });
    expect(formatHelmTemplate(renderChart(chart, { ...base, set: ['replicas=3'] }))).toBe('---\n# Source: c/templates/a.yaml\nr: 3\n');
    let error: unknown;
    try {
      renderChart(chart, { ...base, set: ['replicas=three', 'sub.needed=null'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailed);
    const issues = (error as ValidationFailed).issues;
    expect(issues.map((i) => [i.code, i.location?.file])).toEqual([
      ['HELM_VALUES_SCHEMA', 'mychart/values.schema.json'],
      ['HELM_VALUES_SCHEMA', 'mychart/charts/sub/values.schema.json'],
    ]);
    expect(issues[0]?.message).toContain("values at '/replicas'");
    expect(() => renderChart(chart, { ...base, set: ['replicas=three'], skipSchemaValidation: true })).not.toThrow();
  });

  it.each<[string, Record<string, string>, Partial<HelmRenderOptions>, string]>([
    ['release name', {}, { releaseName: 'Bad_Name' }, 'HELM_BAD_RELEASE_NAME'],
    ['release name too long', {}, { releaseName: 'a'.repeat(54) }, 'HELM_BAD_RELEASE_NAME'],
    ['library chart', { 'Chart.yaml': chartYaml('c', 'type: library\n') }, {}, 'HELM_LIBRARY_CHART'],
    ['Chart.yaml kubeVersion', { 'Chart.yaml': chartYaml('c', 'kubeVersion: ">=1.30.0-0"\n') }, { kubeVersion: '1.29.4' }, 'HELM_KUBE_VERSION_INCOMPATIBLE'],
    ['bad --kube-version', {}, { kubeVersion: 'latest' }, 'HELM_BAD_KUBE_VERSION'],
  ])('refuses to install: %s', (_name, files, options, code) => {
    const chart = chartFromFiles({ 'Chart.yaml': chartYaml('c'), 'templates/a.yaml': 'a: 1', ...files });
    expect(() => renderChart(chart, { ...base, ...options })).toThrow(expect.objectContaining({ code }));
  });

  it('includeCrds prints crds/ files of the chart and its subcharts first, raw', () => {
    const chart = chartFromFiles({
      'Chart.yaml': chartYaml('c'),
      'crds/a.yaml': 'kind: CustomResourceDefinition\nmetadata:\n  name: a\n',
      'crds/notes.txt': 'not a manifest',
      'templates/t.yaml': 'kind: ConfigMap',
      'charts/sub/Chart.yaml': chartYaml('sub'),
      'charts/sub/crds/b.json': '{"kind": "CustomResourceDefinition"}',
    });
    expect(formatHelmTemplate(renderChart(chart, base))).toBe('---\n# Source: c/templates/t.yaml\nkind: ConfigMap\n');
    expect(formatHelmTemplate(renderChart(chart, { ...base, includeCrds: true }))).toBe(
      '---\n# Source: c/crds/a.yaml\nkind: CustomResourceDefinition\nmetadata:\n  name: a\n\n' +
        '---\n# Source: c/charts/sub/crds/b.json\n{"kind": "CustomResourceDefinition"}\n' +
        '---\n# Source: c/templates/t.yaml\nkind: ConfigMap\n',
    );
  });
});
