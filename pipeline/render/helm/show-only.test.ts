/** `--show-only`: filepath.Match (Go's own match_test table) and Helm's document selection. */
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../core/errors.js';
import { formatHelmTemplate, renderChart } from './index.js';
import { filterShowOnly, selectShowOnly, showOnlyMatches } from './show-only.js';
import { chartFromFiles, chartYaml } from './test-charts.js';

describe('showOnlyMatches (path/filepath.Match on Unix)', () => {
  it.each<[string, string, boolean]>([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['[\\-x]', '-', true],
    ['[\\-x]', 'a', false],
    // Malformed patterns (ErrBadPattern) match nothing.
    ['[]a]', ']', false],
    ['[-]', '-', false],
    ['[x-]', 'x', false],
    ['[-x]', 'x', false],
    ['\\', 'a', false],
    ['[a-b-c]', 'a', false],
    ['[', 'a', false],
    ['[^', 'a', false],
    ['[^bc', 'a', false],
    ['a[', 'a', false],
    ['a[', 'ab', false],
    ['*x', 'xxx', true],
    ['templates/*.yaml', 'templates/cm.yaml', true],
    ['templates/*', 'templates/sub/cm.yaml', false],
    ['charts/*/templates/*.yaml', 'charts/sub/templates/cm.yaml', true],
  ])('%s ~ %s → %s', (pattern, name, want) => {
    expect(showOnlyMatches(pattern, name)).toBe(want);
  });
});

const chart = chartFromFiles({
  'Chart.yaml': chartYaml('c', 'dependencies:\n  - name: sub\n    version: 0.1.0\n'),
  'templates/b.yaml': 'kind: ConfigMap\nmetadata:\n  name: b\n',
  'templates/a.yaml': 'kind: Secret\nmetadata:\n  name: a\n---\nkind: ConfigMap\nmetadata:\n  name: a2\n',
  'templates/hook.yaml': 'kind: Job\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: pre-install\n',
  'templates/NOTES.txt': 'notes',
  'charts/sub/Chart.yaml': chartYaml('sub'),
  'charts/sub/templates/s.yaml': 'kind: Service\nmetadata:\n  name: s\n',
});
const result = renderChart(chart, { releaseName: 'r', namespace: 'ns' });
const full = formatHelmTemplate(result);

describe('selectShowOnly (helm template --show-only)', () => {
  it.each<[string[], string[][]]>([
    [['templates/b.yaml'], [['c/templates/b.yaml']]],
    [['templates/a.yaml'], [['c/templates/a.yaml']]],
    [['templates/hook.yaml'], [['c/templates/hook.yaml']]],
    [['charts/sub/templates/s.yaml'], [['c/charts/sub/templates/s.yaml']]],
    [['templates/b.yaml', 'templates/a.yaml'], [['c/templates/b.yaml'], ['c/templates/a.yaml']]],
    [['charts/*/templates/*.yaml'], [['c/charts/sub/templates/s.yaml']]],
    [['templates/b.yaml', 'templates/?.yaml'], [['c/templates/b.yaml'], ['c/templates/a.yaml', 'c/templates/b.yaml']]],
  ])('%j prints the matching documents, pattern by pattern', (patterns, sourcesPerPattern) => {
    // For every pattern, the documents of the full output from its templates, in output order.
    const docs = full.split(/^(?=---\n)/m).map((d) => `${d.trimEnd()}\n`);
    const want = sourcesPerPattern.flatMap((sources) => docs.filter((d) => sources.some((src) => d.startsWith(`---\n# Source: ${src}\n`))));
    expect(want.length).toBeGreaterThan(0);
    expect(selectShowOnly(full, patterns)).toBe(want.join(''));
  });

  it.each<string>(['templates/missing.yaml', 'c/templates/b.yaml', 'templates/NOTES.txt', 'templates/[', 'templates'])('%s → could not find template', (pattern) => {
    let err: unknown;
    try {
      selectShowOnly(full, ['templates/b.yaml', pattern]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserInputError);
    expect(err).toMatchObject({ code: 'HELM_TEMPLATE_NOT_FOUND', message: `could not find template ${pattern} in chart` });
  });

  it('selects the same objects for --json', () => {
    const picked = filterShowOnly(result.manifests, ['templates/a.yaml', 'charts/*/templates/*']);
    expect(picked.map((m) => m.name)).toEqual(['a', 'a2', 's']);
    expect(() => filterShowOnly(result.manifests, ['nope.yaml'])).toThrow('could not find template nope.yaml in chart');
  });

  it('drops document pieces that carry no # Source line, as Helm does', () => {
    const text = '---\n# Source: c/templates/x.yaml\ndata: |\n  a\n---\n  b\n';
    expect(selectShowOnly(text, ['templates/x.yaml'])).toBe('---\n# Source: c/templates/x.yaml\ndata: |\n  a\n');
  });
});
