/** Chart loading from real folders and archives: .helmignore, subcharts, symlinks, BOMs and safety limits. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../../core/errors.js';
import { configureLimits } from '../../core/limits.js';
import { gzip } from '../../bundle/index.js';
import { writeTar } from '../../bundle/index.js';
import { formatHelmTemplate, loadChart, renderChart } from './index.js';
import { loadChartDir } from './load.js';
import { chartFromFiles, chartYaml } from './test-charts.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-helm-load-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, content: string | Buffer): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function tgz(files: Record<string, string>): Buffer {
  return gzip(writeTar(Object.entries(files).map(([p, text]) => ({ path: p, type: 'file' as const, data: Buffer.from(text) }))));
}

async function loadError(p: string): Promise<UserInputError> {
  try {
    await loadChart(p);
  } catch (e) {
    if (e instanceof UserInputError) return e;
    throw e;
  }
  throw new Error('load did not fail');
}

describe('loadChart from a folder', () => {
  it('applies .helmignore and the default templates/.?* rule, strips BOMs, loads folder and .tgz subcharts', async () => {
    write('c/Chart.yaml', chartYaml('c'));
    write('c/.helmignore', '# comment\n*.md\nsecret/\n');
    write('c/values.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('v: bom-free\n')]));
    write('c/README.md', 'ignored');
    write('c/secret/key.txt', 'ignored');
    write('c/files/kept.txt', 'kept');
    write('c/templates/.hidden.yaml', 'kind: Hidden');
    write('c/templates/a.yaml', 'v: {{ .Values.v }}\nfiles: {{ range $p, $_ := .Files }}{{ $p }} {{ end }}');
    write('c/charts/folder/Chart.yaml', chartYaml('folder'));
    write('c/charts/folder/templates/f.yaml', 'f: {{ .Chart.Name }}');
    write('c/charts/_skipped/Chart.yaml', chartYaml('skipped'));
    write('c/charts/packed-1.0.0.tgz', tgz({ 'packed/Chart.yaml': chartYaml('packed', '', '1.0.0'), 'packed/templates/p.yaml': 'p: {{ .Chart.Version }}' }));
    const chart = await loadChart(path.join(dir, 'c'));
    expect(chart.dependencies.map((d) => d.metadata.name)).toEqual(['folder', 'packed']);
    expect(chart.templates.map((t) => t.name)).toEqual(['templates/a.yaml']);
    expect(formatHelmTemplate(renderChart(chart, { releaseName: 'r', namespace: 'n' }))).toBe(
      [
        '---\n# Source: c/charts/folder/templates/f.yaml\nf: folder',
        '---\n# Source: c/charts/packed/templates/p.yaml\np: 1.0.0',
        '---\n# Source: c/templates/a.yaml\nv: bom-free\nfiles: .helmignore files/kept.txt',
        '',
      ].join('\n'),
    );
  });

  it('follows symbolic links to files and folders', async () => {
    write('real/t.yaml', 'linked: {{ .Release.Name }}');
    write('c/Chart.yaml', chartYaml('c'));
    fs.mkdirSync(path.join(dir, 'c/templates'));
    fs.symlinkSync(path.join(dir, 'real/t.yaml'), path.join(dir, 'c/templates/t.yaml'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'c/files'));
    const chart = await loadChart(path.join(dir, 'c'));
    expect(chart.files.map((f) => f.name)).toEqual(['files/t.yaml']);
    expect(formatHelmTemplate(renderChart(chart, { releaseName: 'r', namespace: 'n' }))).toBe('---\n# Source: c/templates/t.yaml\nlinked: r\n');
  });

  it.each<[string, Record<string, string>, string]>([
    ['missing Chart.yaml', { 'values.yaml': 'a: 1' }, 'CHART_YAML_MISSING'],
    ['invalid version', { 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: one\n' }, 'CHART_YAML_INVALID'],
    ['missing name', { 'Chart.yaml': 'apiVersion: v2\nversion: 1.0.0\n' }, 'CHART_YAML_INVALID'],
    ['bad type', { 'Chart.yaml': chartYaml('c', 'type: plugin\n') }, 'CHART_YAML_INVALID'],
    ['duplicate dependency alias', { 'Chart.yaml': chartYaml('c', 'dependencies:\n- name: a\n  alias: x\n- name: b\n  alias: x\n') }, 'CHART_YAML_INVALID'],
    ['values not a map', { 'Chart.yaml': chartYaml('c'), 'values.yaml': '- a\n- b\n' }, 'VALUES_NOT_A_MAP'],
    ['broken values YAML', { 'Chart.yaml': chartYaml('c'), 'values.yaml': 'a: [\n' }, 'VALUES_INVALID_YAML'],
    ['folder under charts/ that is no chart', { 'Chart.yaml': chartYaml('c'), 'charts/junk/readme.txt': 'x' }, 'CHART_BAD_SUBCHART'],
  ])('%s', async (_name, files, code) => {
    for (const [k, v] of Object.entries(files)) write(`c/${k}`, v);
    const e = await loadError(path.join(dir, 'c'));
    expect(e.code).toBe(code);
    expect(e.location?.file.startsWith(path.join(dir, 'c'))).toBe(true);
  });

  it('refuses files over 5 MiB', async () => {
    write('c/Chart.yaml', chartYaml('c'));
    write('c/big.bin', Buffer.alloc(5 * 1024 * 1024 + 1));
    expect((await loadError(path.join(dir, 'c'))).code).toBe('CHART_TOO_LARGE');
  });

  it('takes CSP_LIMIT_CHART_FILE_BYTES and CSP_LIMIT_CHART_BYTES as the bounds', async () => {
    write('c/Chart.yaml', chartYaml('c'));
    write('c/big.bin', Buffer.alloc(5 * 1024 * 1024 + 1));
    try {
      configureLimits({ CSP_LIMIT_CHART_FILE_BYTES: String(6 * 1024 * 1024) });
      expect((await loadChart(path.join(dir, 'c'))).metadata.name).toBe('c');
      configureLimits({ CSP_LIMIT_CHART_FILE_BYTES: String(6 * 1024 * 1024), CSP_LIMIT_CHART_BYTES: String(5 * 1024 * 1024) });
      expect((await loadError(path.join(dir, 'c'))).message).toMatch(/chart is larger than 5242880 bytes/);
    } finally {
      configureLimits({});
    }
  });

  it('reports a missing path', async () => {
    expect((await loadError(path.join(dir, 'nope'))).code).toBe('CHART_NOT_FOUND');
  });
});

describe('loadChart from an archive', () => {
  it('refuses Chart.yaml outside the chart folder', async () => {
    write('c.tgz', tgz({ 'Chart.yaml': chartYaml('c') }));
    expect((await loadError(path.join(dir, 'c.tgz'))).code).toBe('CHART_BAD_ARCHIVE');
  });

  it('refuses paths escaping the archive', async () => {
    const tar = writeTar([{ path: 'c/Chart.yaml', type: 'file', data: Buffer.from(chartYaml('c')) }]);
    // Rewrite the entry name in place to "../Chart.yaml" (same length keeps the header layout) and fix the checksum.
    const name = Buffer.from('../Chart.yaml\0');
    name.copy(tar, 0);
    tar.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += tar[i] ?? 0;
    Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `).copy(tar, 148);
    write('evil.tgz', gzip(tar));
    expect((await loadError(path.join(dir, 'evil.tgz'))).code).toBe('TAR_UNSAFE_PATH');
  });

  it('refuses a file that is not gzip', async () => {
    write('x.tgz', 'plain text');
    expect((await loadError(path.join(dir, 'x.tgz'))).code).toBe('TAR_CORRUPT');
  });
});

describe('large chart files are read only when a template asks', () => {
  const big = `line: ${'x'.repeat(100)}\n`.repeat(12_000); // ~1.2 MiB, over LARGE_FILE_BYTES

  async function render(template: string): Promise<{ out: string; reads: string[] }> {
    write('c/Chart.yaml', chartYaml('c'));
    write('c/files/big.txt', big);
    write('c/files/small.txt', 'small\n');
    write('c/templates/t.yaml', template);
    const reads: string[] = [];
    const chart = await loadChartDir(path.join(dir, 'c'), {
      readLazy: (file) => {
        reads.push(path.basename(file));
        return fs.readFileSync(file);
      },
    });
    return { out: formatHelmTemplate(renderChart(chart, { releaseName: 'r', namespace: 'n' })), reads };
  }

  it('a template that never reads the large file never loads it', async () => {
    const { out, reads } = await render('small: {{ .Files.Get "files/small.txt" | trim }}\nnames: {{ range $k, $_ := .Files.Glob "files/s*" }}{{ $k }} {{ end }}\n');
    expect(out).toContain('small: small\nnames: files/small.txt');
    expect(reads).toEqual([]);
  });

  it.each([
    ['.Files.Get', '{{ .Files.Get "files/big.txt" | sha256sum }}'],
    ['.Files.Lines', '{{ len (.Files.Lines "files/big.txt") }}'],
    ['.Files.Glob | AsConfig', '{{ (.Files.Glob "files/big*").AsConfig | sha256sum }}'],
    ['range over .Files', '{{ range $k, $v := .Files }}{{ if eq $k "files/big.txt" }}{{ len $v }}{{ end }}{{ end }}'],
  ])('%s still sees its bytes', async (_name, expr) => {
    const eager = formatHelmTemplate(
      renderChart(chartFromFiles({ 'Chart.yaml': chartYaml('c'), 'files/big.txt': big, 'files/small.txt': 'small\n', 'templates/t.yaml': `v: ${expr}\n` }, 'c'), { releaseName: 'r', namespace: 'n' }),
    );
    const { out, reads } = await render(`v: ${expr}\n`);
    expect(out).toBe(eager);
    expect(reads).toEqual(['big.txt']);
  });
});
