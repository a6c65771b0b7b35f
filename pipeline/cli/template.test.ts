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

  describe('values flags and --show-only', () => {
    function chartDir(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-template-flags-'));
      fs.mkdirSync(path.join(dir, 'c', 'templates'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'c', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
      fs.writeFileSync(path.join(dir, 'c', 'templates', 'a.yaml'), 'a: {{ .Values.a | toJson }}\n');
      fs.writeFileSync(path.join(dir, 'c', 'templates', 'b.yaml'), 'b: {{ .Values.b | toJson }}\n');
      fs.writeFileSync(path.join(dir, 'cert.pem'), 'line1\nline2\n');
      return dir;
    }

    it.each<[string, string[], string]>([
      ['--set-json', ['--set-json', 'a={"k":[1,"x"]}', '-s', 'templates/a.yaml'], '---\n# Source: c/templates/a.yaml\na: {"k":[1,"x"]}'],
      ['--set-json object', ['--set-json', '{"a":{"k":true}}', '--show-only', 'templates/a.yaml'], '---\n# Source: c/templates/a.yaml\na: {"k":true}'],
      ['--set-file', ['--set-file', 'a=cert.pem', '-s', 'templates/a.yaml'], '---\n# Source: c/templates/a.yaml\na: "line1\\nline2\\n"'],
      ['--set-literal', ['--set-literal', 'a=x,y=z', '-s', 'templates/a.yaml'], '---\n# Source: c/templates/a.yaml\na: "x,y=z"'],
      ['order: --set-literal > --set-file > --set > --set-json', ['--set-literal', 'b=lit', '--set-file', 'a=cert.pem', '--set', 'a=s,b=s', '--set-json', 'a=1,b=2'], '---\n# Source: c/templates/a.yaml\na: "line1\\nline2\\n"\n---\n# Source: c/templates/b.yaml\nb: "lit"'],
      ['--show-only glob, pattern order', ['--set', 'a=1,b=2', '-s', 'templates/b.yaml', '-s', 'templates/*.yaml'], '---\n# Source: c/templates/b.yaml\nb: 2\n---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/b.yaml\nb: 2'],
    ])('%s', async (_name, flags, stdout) => {
      const dir = chartDir();
      try {
        const run = await runCli(['template', 'c', ...flags], dir);
        expect(run).toMatchObject({ code: 0, stdout });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('--show-only with --json keeps the matching objects', async () => {
      const dir = chartDir();
      try {
        const run = await runCli(['template', 'c', '--json', '-s', 'templates/b.yaml'], dir);
        expect(run.code).toBe(0);
        expect((JSON.parse(run.stdout) as { manifests: Array<{ source: string }> }).manifests.map((m) => m.source)).toEqual(['c/templates/b.yaml']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it.each<[string[], RegExp]>([
      [['--set-json', 'a={bad}'], /HELM_BAD_SET failed parsing --set-json data a=\{bad\}/],
      [['--set-json', '{"a":'], /HELM_BAD_SET failed parsing --set-json data JSON: \{"a":/],
      [['--set-file', 'a=missing.pem'], /HELM_BAD_SET failed parsing --set-file data: open missing.pem: no such file or directory/],
      [['--set-file', 'a=templates-dir'], /HELM_BAD_SET failed parsing --set-file data: read templates-dir: is a directory/],
      [['--set-file', 'a=-'], /HELM_BAD_SET failed parsing --set-file data: csp template does not read --set-file values from stdin/],
      [['--set-file', 'a=https://example.org/x'], /HELM_BAD_SET failed parsing --set-file data: csp template does not download/],
      [['--set-literal', 'a'], /HELM_BAD_SET failed parsing --set-literal data: key "a" has no value/],
      [['-s', 'templates/missing.yaml'], /HELM_TEMPLATE_NOT_FOUND could not find template templates\/missing.yaml in chart/],
      [['-s', 'templates/a.yaml', '-s', 'charts/*'], /HELM_TEMPLATE_NOT_FOUND could not find template charts\/\* in chart/],
    ])('%j fails with exit 1', async (flags, stderr) => {
      const dir = chartDir();
      fs.mkdirSync(path.join(dir, 'templates-dir'));
      try {
        const run = await runCli(['template', 'c', ...flags], dir);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
