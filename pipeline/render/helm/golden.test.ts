/**
 * Fidelity against real `helm template` output: the hcloud-csi maintainers' snapshots (shared fixtures,
 * helm-golden/README.md) must come out byte for byte after the same `grep -v` filters; every fixture chart
 * renders with its default values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartsDir, fixturesDir } from '../../testing/paths.js';
import { formatHelmTemplate, loadChart, parseValuesYaml, renderChart } from './index.js';
import type { HelmRenderOptions } from './index.js';

const goldenDir = path.join(fixturesDir, 'helm-golden', 'hcloud-csi-2.22.1');
const hcloudCsi = path.join(chartsDir, 'hcloud-csi-2.22.1.tgz');

function valuesFile(name: string): NonNullable<HelmRenderOptions['valueFiles']>[number] {
  const file = path.join(goldenDir, name);
  return { file, values: parseValuesYaml(fs.readFileSync(file, 'utf8'), file) as Record<string, unknown> };
}

function grepV(text: string, ...needles: string[]): string {
  return text
    .split('\n')
    .filter((line, i, all) => (i === all.length - 1 && line === '') || !needles.some((n) => line.includes(n)))
    .join('\n');
}

const goldenCases: Array<{ golden: string; options: Partial<HelmRenderOptions>; filters: string[] }> = [
  { golden: 'default.yaml', options: {}, filters: ['helm.sh/chart'] },
  { golden: 'example-prod.yaml', options: { valueFiles: [valuesFile('example-prod-values.yaml')] }, filters: ['helm.sh/chart'] },
  { golden: 'full.yaml', options: { valueFiles: [valuesFile('full-values.yaml')] }, filters: ['helm.sh/chart'] },
  {
    golden: 'deploy-overrides.yaml',
    options: {
      set: [
        'metrics.enabled=true',
        'controller.matchLabelsOverride.app=hcloud-csi-controller',
        'controller.podLabels.app=hcloud-csi-controller',
        'node.matchLabelsOverride.app=hcloud-csi',
        'node.podLabels.app=hcloud-csi',
      ],
    },
    filters: ['helm.sh/chart', 'app.kubernetes.io/managed-by'],
  },
];

describe('helm template golden files (hcloud-csi 2.22.1)', async () => {
  const chart = await loadChart(hcloudCsi);

  it.each(goldenCases)('reproduces $golden byte for byte', ({ golden, options, filters }) => {
    const result = renderChart(chart, { releaseName: 'hcloud-csi', namespace: 'kube-system', ...options });
    const ours = grepV(formatHelmTemplate(result), ...filters);
    expect(ours).toBe(fs.readFileSync(path.join(goldenDir, golden), 'utf8'));
  });

  it('loads the same chart from an unpacked folder', async () => {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'csp-helm-'));
    try {
      const { readTgz } = await import('../../bundle/index.js');
      for (const e of readTgz(fs.readFileSync(hcloudCsi))) {
        if (e.type !== 'file') continue;
        fs.mkdirSync(path.join(dir, path.dirname(e.path)), { recursive: true });
        fs.writeFileSync(path.join(dir, e.path), e.data);
      }
      const fromDir = renderChart(await loadChart(path.join(dir, 'hcloud-csi')), { releaseName: 'hcloud-csi', namespace: 'kube-system' });
      expect(grepV(formatHelmTemplate(fromDir), 'helm.sh/chart')).toBe(fs.readFileSync(path.join(goldenDir, 'default.yaml'), 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const fixtureCharts = fs.readdirSync(chartsDir).filter((f) => f.endsWith('.tgz')).sort();

describe('every fixture chart renders with default values', () => {
  it.each(fixtureCharts)('%s', async (file) => {
    const chart = await loadChart(path.join(chartsDir, file));
    const options: HelmRenderOptions = { releaseName: 'release-name', namespace: 'default', seed: 'fixture', now: new Date('2025-06-01T00:00:00Z') };
    const result = renderChart(chart, options);
    expect(result.chart.name).toBe(chart.metadata.name);
    expect(result.manifests.length).toBeGreaterThan(0);
    const text = formatHelmTemplate(result);
    expect(text.startsWith('---\n# Source: ')).toBe(true);
    expect(text).not.toContain('<no value>');
    for (const m of result.manifests) {
      expect(m.source.startsWith(`${chart.metadata.name}/`)).toBe(true);
      expect(m.content).toBe(m.content.trim());
    }
    // Same seed, same clock: the same bytes (cilium generates its CA and certificates on every render).
    expect(formatHelmTemplate(renderChart(chart, options))).toBe(text);
  });
});
