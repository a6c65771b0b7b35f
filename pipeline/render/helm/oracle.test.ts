/**
 * integration: the fixture charts without subcharts rendered by the Go reference renderer (Go 1.19 text/template
 * + Sprig 3.2.3, Helm-like chart mode of testing/go-oracle) and by renderChart: every template must give the same
 * documents. Needs Debian golang-go and the Sprig packages (the oracle build reports what is missing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOracle, runOracle } from '../../testing/go-oracle/oracle.js';
import { chartsDir, fixturesDir } from '../../testing/paths.js';
import { DEFAULT_API_VERSIONS } from './capabilities.js';
import { loadChart, parseValuesYaml, renderChart } from './index.js';
import { chartFromFiles, chartYaml } from './test-charts.js';

const goldenDir = path.join(fixturesDir, 'helm-golden', 'hcloud-csi-2.22.1');

const cases: Array<{ chart: string; label: string; valuesFile?: string; values?: string }> = [
  { chart: 'hcloud-csi-2.22.1.tgz', label: 'defaults' },
  { chart: 'hcloud-csi-2.22.1.tgz', label: 'full-values.yaml', valuesFile: path.join(goldenDir, 'full-values.yaml') },
  { chart: 'hcloud-cloud-controller-manager-1.35.0.tgz', label: 'defaults' },
  { chart: 'hcloud-cloud-controller-manager-1.35.0.tgz', label: 'networking', values: 'networking:\n  enabled: true\nreplicaCount: 2\nrobot:\n  enabled: true\n' },
  { chart: 'metrics-server-3.12.2.tgz', label: 'defaults' },
  {
    chart: 'metrics-server-3.12.2.tgz',
    label: 'addon resizer, metrics, service monitor, host network',
    values: 'addonResizer:\n  enabled: true\nmetrics:\n  enabled: true\nserviceMonitor:\n  enabled: true\nhostNetwork:\n  enabled: true\nreplicas: 3\n',
  },
  { chart: 'openstack-cinder-csi-2.32.0.tgz', label: 'defaults' },
  {
    chart: 'openstack-cinder-csi-2.32.0.tgz',
    label: 'created secret, http endpoint, pod monitor',
    values: 'secret:\n  enabled: true\n  create: true\n  data:\n    cloud.conf: |\n      [Global]\n      auth-url=https://example.org\ncsi:\n  plugin:\n    httpEndpoint:\n      enabled: true\n    podMonitor:\n      enabled: true\n',
  },
];

let oracle: string;

beforeAll(async () => {
  oracle = await buildOracle();
}, 300_000);

describe('integration: differential against the Go reference renderer (chart mode)', () => {
  it.each(cases)('$chart with $label', async ({ chart: file, valuesFile, values }) => {
    const chart = await loadChart(path.join(chartsDir, file));
    const userText = valuesFile ? fs.readFileSync(valuesFile, 'utf8') : values;
    const ours = renderChart(chart, {
      releaseName: 'release-name',
      namespace: 'default',
      kubeVersion: 'v1.34.0',
      valueFiles: userText !== undefined ? [{ file: 'user-values.yaml', values: parseValuesYaml(userText, 'user-values.yaml') as Record<string, unknown> }] : [],
    });
    const [answer] = await runOracle(
      [
        {
          name: file,
          template: '',
          chart: {
            // JSON is YAML: the loaded metadata and values go to Go unchanged.
            chartYaml: JSON.stringify(chart.metadata),
            valuesYaml: JSON.stringify(chart.values),
            userValues: userText ? [userText] : [],
            // NOTES.txt is rendered by Helm but never split or printed; the oracle would try to parse it.
            templates: chart.templates.filter((t) => !t.name.endsWith('NOTES.txt')).map((t) => ({ name: `${chart.metadata.name}/${t.name}`, text: t.data.toString('utf8') })),
            releaseName: 'release-name',
            namespace: 'default',
            kubeVersion: 'v1.34.0',
          },
        },
      ],
      oracle,
    );
    expect(answer?.chart?.error).toBeUndefined();
    const goDocs = answer?.chart?.documents ?? {};
    const tsDocs: Record<string, string[]> = {};
    for (const m of ours.manifests) (tsDocs[m.source] ??= []).push(m.content);
    // Kind sorting may interleave a file's documents; compare each file's documents as a set.
    const normal = (r: Record<string, string[]>): Record<string, string[]> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...v].sort()]));
    expect(normal(tsDocs)).toEqual(normal(goDocs));
    expect(Object.keys(goDocs).length).toBeGreaterThan(0);
  });
});

describe('integration: .Capabilities.APIVersions against the Go reference renderer (chart mode)', () => {
  it('ranges, indexes, prints and passes the VersionSet to Sprig list functions', async () => {
    const extra = ['monitoring.coreos.com/v1', 'cert-manager.io/v1'];
    const templates: Record<string, string> = {
      'templates/range.yaml': [
        'monitoring:',
        '{{- range $i, $v := .Capabilities.APIVersions }}{{ if hasPrefix "monitoring" $v }}',
        '  - {{ $i }}: {{ $v }}{{ end }}{{ end }}',
        'count: {{ len .Capabilities.APIVersions }}',
        'first: {{ index .Capabilities.APIVersions 0 }} {{ first .Capabilities.APIVersions }}',
        'last: {{ last .Capabilities.APIVersions }}',
        'has: {{ .Capabilities.APIVersions.Has "cert-manager.io/v1" }} {{ has "apps/v1" .Capabilities.APIVersions }} {{ has "x/v1" .Capabilities.APIVersions }}',
        // Only the kind: the oracle's type is main.apiVersions, Helm's chartutil.VersionSet.
        'kind: {{ kindOf .Capabilities.APIVersions }} {{ kindIs "slice" .Capabilities.APIVersions }}',
        'tail: {{ slice .Capabilities.APIVersions (sub (len .Capabilities.APIVersions) 2 | int) }}',
        'sorted: {{ sortAlpha .Capabilities.APIVersions | first }}',
        'joined: {{ join "," .Capabilities.APIVersions | quote }}',
        'json: {{ toJson .Capabilities.APIVersions }}',
        'printed: {{ .Capabilities.APIVersions | quote }}',
        '{{- if .Capabilities.APIVersions }}',
        'nonEmpty: true',
        '{{- end }}',
        '',
      ].join('\n'),
    };
    const chart = chartFromFiles({ 'Chart.yaml': chartYaml('caps'), ...templates }, 'caps');
    const ours = renderChart(chart, { releaseName: 'r', namespace: 'ns', kubeVersion: 'v1.34.0', apiVersions: extra });
    const [answer] = await runOracle(
      [
        {
          name: 'caps',
          template: '',
          chart: {
            chartYaml: JSON.stringify(chart.metadata),
            valuesYaml: '{}',
            templates: chart.templates.map((t) => ({ name: `caps/${t.name}`, text: t.data.toString('utf8') })),
            releaseName: 'r',
            namespace: 'ns',
            kubeVersion: 'v1.34.0',
            apiVersions: [...DEFAULT_API_VERSIONS, ...extra],
          },
        },
      ],
      oracle,
    );
    expect(answer?.chart?.error).toBeUndefined();
    const goDocs = answer?.chart?.documents ?? {};
    const tsDocs: Record<string, string[]> = {};
    for (const m of ours.manifests) (tsDocs[m.source] ??= []).push(m.content);
    expect(tsDocs).toEqual(goDocs);
    expect(goDocs['caps/templates/range.yaml']?.[0]).toContain('monitoring.coreos.com/v1');
  });
});
