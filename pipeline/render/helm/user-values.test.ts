/** User values in Helm 3.19's order: -f files, --set-json, --set, --set-string, --set-file, --set-literal. */
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../core/errors.js';
import { formatHelmTemplate, renderChart } from './index.js';
import type { HelmRenderOptions } from './index.js';
import { chartFromFiles, chartYaml } from './test-charts.js';

const chart = chartFromFiles({
  'Chart.yaml': chartYaml('c'),
  'values.yaml': 'x: chart\na:\n  b: 1\n  c: 2\n',
  'templates/t.yaml': 'x: {{ kindOf .Values.x }} {{ .Values.x | toJson }}\na: {{ .Values.a | toJson }}\n',
});

function render(options: Partial<HelmRenderOptions>): string {
  const out = formatHelmTemplate(renderChart(chart, { releaseName: 'r', namespace: 'ns', ...options }));
  return out.replace('---\n# Source: c/templates/t.yaml\n', '').trimEnd();
}

const files = { 'f.txt': { content: 'from file\n' } };
const file = { valueFiles: [{ file: 'v.yaml', values: { x: 'values-file' } }] };

describe('user values merge order', () => {
  it.each<[string, Partial<HelmRenderOptions>, string]>([
    ['chart default', {}, 'x: string "chart"'],
    ['-f over values.yaml', file, 'x: string "values-file"'],
    ['--set-json over -f', { ...file, setJson: ['x=[1,2.5]'] }, 'x: slice [1,2.5]'],
    ['--set over --set-json', { ...file, setJson: ['x=1'], set: ['x=2'] }, 'x: int64 2'],
    ['--set-json numbers are float64', { setJson: ['x=2'] }, 'x: float64 2'],
    ['--set-string over --set', { set: ['x=2'], setString: ['x=2'] }, 'x: string "2"'],
    ['--set-file over --set-string', { setString: ['x=s'], setFile: ['x=f.txt'], setFileData: files }, 'x: string "from file\\n"'],
    ['--set-literal over --set-file', { setFile: ['x=f.txt'], setFileData: files, setLiteral: ['x=a,b=c\\d'] }, 'x: string "a,b=c\\\\d"'],
    ['all together, later flag wins', { ...file, setJson: ['x="j"'], set: ['x=s'], setString: ['x=ss'], setFile: ['x=f.txt'], setFileData: files, setLiteral: ['x=lit'] }, 'x: string "lit"'],
    ['--set-json null removes a chart value', { setJson: ['x=null'] }, 'x: invalid null'],
  ])('%s', (_name, options, want) => {
    expect(render(options).split('\n')[0]).toBe(want);
  });

  it.each<[string, Partial<HelmRenderOptions>, string]>([
    ['a JSON object merges deeply into -f values', { valueFiles: [{ file: 'v.yaml', values: { a: { d: 5 } } }], setJson: ['{"a":{"b":3}}'] }, 'a: {"b":3,"c":2,"d":5}'],
    ['a key=JSON replaces the -f subtree', { valueFiles: [{ file: 'v.yaml', values: { a: { d: 5 } } }], setJson: ['a={"b":3}'] }, 'a: {"b":3,"c":2}'],
    ['a JSON object with a null removes a chart key', { setJson: ['{"a":{"c":null}}'] }, 'a: {"b":1}'],
    ['--set after a JSON object', { setJson: ['{"a":{"b":3}}'], set: ['a.b=4'] }, 'a: {"b":4,"c":2}'],
  ])('%s', (_name, options, want) => {
    expect(render(options).split('\n')[1]).toBe(want);
  });

  it.each<[string, Partial<HelmRenderOptions>, string]>([
    ['bad JSON value', { setJson: ['a={"b":'] }, 'failed parsing --set-json data a={"b":'],
    ['bad JSON after a good one', { setJson: ['a=1,b=[1'] }, 'failed parsing --set-json data a=1,b=[1'],
    ['bad JSON object', { setJson: [' {"a":1} x'] }, 'failed parsing --set-json data JSON:  {"a":1} x'],
    ['missing --set-file', { setFile: ['x=missing.txt'] }, 'failed parsing --set-file data: open missing.txt: no such file or directory'],
    ['unreadable --set-file', { setFile: ['x=dir'], setFileData: { dir: { error: 'read dir: is a directory' } } }, 'failed parsing --set-file data: read dir: is a directory'],
    ['--set-literal without =', { setLiteral: ['x'] }, 'failed parsing --set-literal data: key "x" has no value'],
    ['--set-literal type clash', { set: ['x=1'], setLiteral: ['x.y=1'] }, 'failed parsing --set-literal data: unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}'],
    ['the first failing flag in Helm\'s order is reported', { setLiteral: ['x'], setFile: ['x=missing.txt'], set: ['a[x]=1'] }, 'failed parsing --set data: error parsing index: strconv.Atoi: parsing "x": invalid syntax'],
  ])('%s', (_name, options, message) => {
    let err: unknown;
    try {
      render(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserInputError);
    expect(err).toMatchObject({ code: 'HELM_BAD_SET', message });
  });
});
