import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/run.js';
import { chartsDir, scsStacksDir } from '../testing/paths.js';
import { packageChart, readChartDir, walkOrder, type ChartFile } from './chart-archive.js';
import { readTar, readTgz } from '../core/tar-read.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'csp-chart-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fromArchive = (file: string): ChartFile[] =>
  readTgz(readFileSync(file), file)
    .filter((e) => e.type === 'file')
    .map((e) => ({ path: e.path.slice(e.path.indexOf('/') + 1), data: e.data }));

describe('packageChart on the SCS cluster-class chart', () => {
  const src = path.join(scsStacksDir, 'openstack/scs/cluster-class');

  it('lays entries out as helm package does, with the forced version', async () => {
    const chart = packageChart(await readChartDir(src), { version: 'v0-sha.abc1234', mtime: 1_700_000_000 });
    expect(chart.fileName).toBe('openstack-scs-1-32-cluster-class-v0-sha.abc1234.tgz');
    const names = chart.entries.map((e) => e.path);
    expect(names.slice(0, 2)).toEqual(['openstack-scs-1-32-cluster-class/Chart.yaml', 'openstack-scs-1-32-cluster-class/values.yaml']);
    expect(names.every((n) => n.startsWith('openstack-scs-1-32-cluster-class/'))).toBe(true);
    expect(names).toContain('openstack-scs-1-32-cluster-class/templates/_helpers.tpl');
    expect(names).toContain('openstack-scs-1-32-cluster-class/.helmignore');
    const templates = names.filter((n) => n.includes('/templates/'));
    expect(templates).toEqual([...templates].sort(walkOrder));
    const chartYaml = parse(chart.entries[0]?.data?.toString() ?? '') as Record<string, unknown>;
    expect(chartYaml).toEqual({
      apiVersion: 'v2',
      // Helm's sanitizeString turns every whitespace character (here the folded newlines) into a space.
      description: 'This chart installs and configures: * Openstack scs Cluster Class ',
      name: 'openstack-scs-1-32-cluster-class',
      type: 'application',
      version: 'v0-sha.abc1234',
    });
    // values.yaml and templates travel byte for byte
    expect(chart.entries[1]?.data).toEqual(readFileSync(path.join(src, 'values.yaml')));
  });

  it('is read by GNU tar and gunzip, has no directory entries, and keeps one mtime', async () => {
    const chart = packageChart(await readChartDir(src), { mtime: 86_400 });
    const file = path.join(tmp, chart.fileName);
    writeFileSync(file, chart.tgz);
    const listing = (await run('tar', ['-tvzf', file, '--numeric-owner'], { cwd: tmp, env: { TZ: 'UTC' } })).stdout.trimEnd().split('\n');
    expect(listing).toHaveLength(chart.entries.length);
    for (const line of listing) expect(line).toMatch(/^-rw-r--r-- 0\/0 .* 1970-01-02 00:00 /);
    await run('gunzip', ['-t', file], { cwd: tmp });
  });

  it('is byte-identical across file mtimes, modes, umask and creation order', async () => {
    const build = (dir: string, reverse: boolean, time: number, mode: number): void => {
      const files = [...readdirRecursive(src)];
      if (reverse) files.reverse();
      for (const rel of files) {
        const to = path.join(dir, rel);
        mkdirSync(path.dirname(to), { recursive: true, mode });
        cpSync(path.join(src, rel), to);
        utimesSync(to, time, time);
      }
    };
    const a = path.join(tmp, 'repro-a');
    const b = path.join(tmp, 'repro-b');
    const oldMask = process.umask(0o077);
    build(a, false, 1, 0o700);
    process.umask(0o002);
    build(b, true, 2_000_000_000, 0o775);
    process.umask(oldMask);
    const pa = packageChart(await readChartDir(a), { version: 'v2', mtime: 0 });
    const pb = packageChart(await readChartDir(b), { version: 'v2', mtime: 0 });
    expect(pa.tgz.equals(pb.tgz)).toBe(true);
  });

  it('applies .helmignore and Helm default rules and strips a BOM', async () => {
    const dir = path.join(tmp, 'ignore');
    cpSync(src, dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.swp'), 'x');
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref');
    writeFileSync(path.join(dir, 'templates', '.hidden.yaml'), 'x');
    writeFileSync(path.join(dir, 'extra.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('bom')]));
    const names = packageChart(await readChartDir(dir)).entries.map((e) => e.path.replace(/^[^/]+\//, ''));
    expect(names).not.toContain('notes.swp');
    expect(names).not.toContain('.git/HEAD');
    expect(names).not.toContain('templates/.hidden.yaml');
    const extra = packageChart(await readChartDir(dir)).entries.find((e) => e.path.endsWith('/extra.txt'));
    expect(extra?.data?.toString()).toBe('bom');
  });
});

function readdirRecursive(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? readdirRecursive(dir, child) : [child];
  });
}

describe('packageChart with dependencies', () => {
  it('expands a vendored .tgz subchart under charts/<name>/ (SCS metrics-server addon)', async () => {
    const src = path.join(scsStacksDir, 'docker/scs/cluster-addon/metrics-server');
    const chart = packageChart(await readChartDir(src), { version: 'v1' });
    const root = `${chart.name}/`;
    const subEntries = chart.entries.filter((e) => e.path.startsWith(`${root}charts/`));
    expect(chart.entries.some((e) => e.path.endsWith('.tgz'))).toBe(false);
    const vendored = fromArchive(path.join(chartsDir, 'metrics-server-3.12.2.tgz'));
    expect(subEntries.map((e) => e.path.slice(`${root}charts/metrics-server/`.length))).toEqual(vendored.map((f) => f.path));
    for (const [i, f] of vendored.entries()) {
      const packed = subEntries[i]?.data ?? Buffer.alloc(0);
      if (f.path === 'Chart.yaml') expect(parse(packed.toString())).toEqual(parse(Buffer.from(f.data).toString()));
      else expect(Buffer.from(packed).equals(Buffer.from(f.data))).toBe(true);
    }
    expect(chart.entries[1]?.path).toBe(`${root}Chart.lock`);
  });

  // Every entry but the subchart's Chart.yaml is byte-identical; that one differs only where yaml.v2 folds a
  // plain scalar longer than 80 columns at another word than the yaml package does (same parsed content).
  it('re-packs a Helm-made chart with an expanded dependency to the same entries and bytes', () => {
    const file = path.join(chartsDir, 'openstack-cloud-controller-manager-2.32.0.tgz');
    const original = readTar(gunzipSync(readFileSync(file)));
    const chart = packageChart(fromArchive(file), { mtime: original[0]?.mtime ?? 0 });
    expect(chart.fileName).toBe('openstack-cloud-controller-manager-2.32.0.tgz');
    const mine = readTar(gunzipSync(chart.tgz));
    expect(mine.map((e) => [e.path, e.mode, e.mtime])).toEqual(original.map((e) => [e.path, e.mode, e.mtime]));
    const differing = mine.filter((e, i) => !e.data.equals(original[i]?.data ?? Buffer.alloc(0))).map((e) => e.path);
    expect(differing).toEqual(['openstack-cloud-controller-manager/charts/common/Chart.yaml']);
    const i = mine.findIndex((e) => e.path === differing[0]);
    expect(parse(mine[i]?.data.toString() ?? '')).toEqual(parse(original[i]?.data.toString() ?? ''));
  });

  it('fails when Chart.yaml lists a dependency that is not vendored', async () => {
    const files = (await readChartDir(path.join(scsStacksDir, 'docker/scs/cluster-addon/cni'))).filter((f) => !f.path.startsWith('charts/'));
    expect(() => packageChart(files)).toThrow(expect.objectContaining({ code: 'CHART_DEPENDENCY_MISSING' }));
  });

  it('fails without Chart.yaml', () => {
    expect(() => packageChart([{ path: 'values.yaml', data: Buffer.from('a: 1\n') }])).toThrow(expect.objectContaining({ code: 'CHART_YAML_MISSING' }));
  });
});

describe('walkOrder', () => {
  it.each([
    ['templates/a/b.yaml', 'templates/a.yaml', -1],
    ['Chart.yaml', 'README.md', -1],
    ['a', 'a/b', -1],
    ['Z', 'a', -1],
  ])('%s before %s', (a, b, sign) => {
    expect(Math.sign(walkOrder(a, b))).toBe(sign);
  });
});
