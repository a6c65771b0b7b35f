/** `csp template` end to end through the CLI entry point (in-process), against the real helm golden file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { chartsDir, fixturesDir, repoRoot } from '../testing/paths.js';

const goldenDir = path.join(fixturesDir, 'helm-golden', 'hcloud-csi-2.22.1');
const chart = path.join(chartsDir, 'hcloud-csi-2.22.1.tgz');

function withoutChartLabel(text: string): string {
  return text.split('\n').filter((l) => !l.includes('helm.sh/chart')).join('\n');
}

describe('csp template', () => {
  it('prints exactly what helm template prints (-f, --name, --namespace)', async () => {
    const run = await runCli(['template', chart, '--name', 'hcloud-csi', '-n', 'kube-system', '-f', path.join(goldenDir, 'example-prod-values.yaml')], repoRoot);
    expect(run.code).toBe(0);
    // bin/csp.js appends the newline that ctx.out strips.
    expect(withoutChartLabel(`${run.stdout}\n`)).toBe(fs.readFileSync(path.join(goldenDir, 'example-prod.yaml'), 'utf8'));
  });

  it('--set and --json', async () => {
    const run = await runCli(['template', chart, '--set', 'metrics.enabled=true', '--json'], repoRoot);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; chart: { name: string }; manifests: Array<{ source: string; kind: string }> };
    expect(result.ok).toBe(true);
    expect(result.chart.name).toBe('hcloud-csi');
    expect(result.manifests.filter((m) => m.kind === 'Service').map((m) => m.source)).toEqual([
      'hcloud-csi/templates/controller/service.yaml',
      'hcloud-csi/templates/node/service.yaml',
    ]);
  });

  it.each<[string[], number, RegExp]>([
    [['template'], 1, /CLI_BAD_ARGUMENTS missing CHART argument/],
    [['template', '/nonexistent/chart'], 1, /CHART_NOT_FOUND/],
    [['template', chart, '--set', 'a[x]=1'], 1, /HELM_BAD_SET failed parsing --set data/],
    [['template', chart, '-f', 'missing-values.yaml'], 1, /HELM_VALUES_NOT_FOUND/],
    [['template', chart, '--kube-version', 'banana'], 1, /HELM_BAD_KUBE_VERSION/],
  ])('%j fails with exit %i', async (argv, code, stderr) => {
    const run = await runCli(argv, repoRoot);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(stderr);
  });

  it('reports template failures with file:line:col and exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-template-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'c', 'templates'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'c', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
      fs.writeFileSync(path.join(dir, 'c', 'templates', 'cm.yaml'), 'kind: ConfigMap\ndata:\n  x: {{ required "x is required" .Values.x }}\n');
      const failed = await runCli(['template', 'c'], dir);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`${path.join(dir, 'c', 'templates', 'cm.yaml')}:3:9 HELM_TEMPLATE_FAILED execution error at (c/templates/cm.yaml:3:8): x is required`);
      const ok = await runCli(['template', 'c', '--set', 'x=1'], dir);
      expect(ok).toMatchObject({ code: 0, stdout: '---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\ndata:\n  x: 1' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
