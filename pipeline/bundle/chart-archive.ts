/**
 * Packages a chart the way `helm package` lays it out (rendering-and-capi.md §2.8; helm/helm pkg/chart/loader,
 * pkg/chartutil/save.go): entries under `<name>/`, no directory entries, fixed order, subcharts expanded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { marshalChartLock, marshalChartYaml } from './chart-yaml.js';
import { gzip, gzipToFile } from './gzip.js';
import { readChunks, type StoredFile } from '../core/stored-file.js';
import { applyHelmIgnore, parseHelmIgnore } from './helmignore.js';
import { readTgz } from '../core/tar-read.js';
import { tarChunks, tarSize, writeTar, type TarEntry } from './tar.js';

/** One file of a chart directory: `/`-separated path relative to the chart root, and its bytes. */
export interface ChartFile {
  path: string;
  data: Uint8Array;
  /** A large file left on disk (then `data` reads it whole on each use: packaging streams `stored` instead). */
  stored?: StoredFile;
}

export interface PackageChartOptions {
  /** Overrides `version:` in the root Chart.yaml (csctl forces the cluster-stack version). */
  version?: string;
  /** Seconds since the epoch for every entry (Helm uses the packaging time; csp takes it as input). Default 0. */
  mtime?: number;
}

/** A packaged chart: `<name>-<version>.tgz` and what went into it. */
export interface PackagedChart {
  name: string;
  version: string;
  fileName: string;
  entries: TarEntry[];
  tgz: Buffer;
}

/** A packaged chart written to a file (see packageChartToFile). */
export interface StoredChart {
  name: string;
  version: string;
  fileName: string;
  entries: TarEntry[];
  tgz: StoredFile;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SPECIAL = new Set(['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json']);

/** Go `filepath.Walk` order: segment by segment, each compared by bytes (so `a/x` comes before `a.yaml`). */
export function walkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < as.length && i < bs.length; i += 1) {
    const c = Buffer.compare(Buffer.from(as[i] ?? ''), Buffer.from(bs[i] ?? ''));
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

function stripBom(data: Uint8Array): Buffer {
  const buf = Buffer.from(data);
  return buf.subarray(0, 3).equals(BOM) ? buf.subarray(3) : buf;
}

/** What a file contributes to a tar entry: its bytes without a BOM, or the stored file past its BOM. */
function content(f: ChartFile): Pick<TarEntry, 'data' | 'stored' | 'offset'> {
  if (!f.stored) return { data: stripBom(f.data) };
  let head = Buffer.alloc(0);
  readChunks(f.stored.file, (chunk) => {
    head = Buffer.from(chunk.subarray(0, 3));
    return false;
  });
  return { stored: f.stored, offset: head.equals(BOM) ? 3 : 0 };
}

function chartError(code: string, message: string, details: string, file: string): UserInputError {
  return new UserInputError(code, message, { details, location: { file } });
}

/** Helm's loader + save for one chart and (recursively) its subcharts; `where` names it in errors. */
function chartEntries(files: ChartFile[], prefix: string, where: string, version?: string): { name: string; version: string; entries: TarEntry[] } {
  // Only the special files are read here; other files (large ones stay on disk) are referenced by entries.
  const byPath = new Map(files.filter((f) => SPECIAL.has(f.path)).map((f) => [f.path, stripBom(f.data)]));
  const chartYaml = byPath.get('Chart.yaml');
  if (!chartYaml) throw chartError('CHART_YAML_MISSING', `${where} has no Chart.yaml`, 'Every chart needs a Chart.yaml at its root.', where);
  const meta = marshalChartYaml(chartYaml.toString('utf8'), { version, file: `${where}/Chart.yaml` });
  const base = `${prefix}${meta.name}/`;
  const out: TarEntry[] = [{ path: `${base}Chart.yaml`, type: 'file', data: Buffer.from(meta.yaml) }];
  const lock = byPath.get('Chart.lock');
  if (lock && meta.apiVersion === 'v2') out.push({ path: `${base}Chart.lock`, type: 'file', data: Buffer.from(marshalChartLock(lock.toString('utf8'), `${where}/Chart.lock`)) });
  const values = byPath.get('values.yaml');
  if (values) out.push({ path: `${base}values.yaml`, type: 'file', data: values });
  const schema = byPath.get('values.schema.json');
  if (schema) {
    try {
      JSON.parse(schema.toString('utf8'));
    } catch (error) {
      throw new UserInputError('CHART_SCHEMA_INVALID', `${where}/values.schema.json is not valid JSON`, { details: 'Helm refuses to package it; fix the JSON.', cause: error, location: { file: `${where}/values.schema.json` } });
    }
    out.push({ path: `${base}values.schema.json`, type: 'file', data: schema });
  }
  const others: TarEntry[] = [];
  const subcharts = new Map<string, ChartFile[]>();
  for (const f of files) {
    if (SPECIAL.has(f.path)) continue;
    if (f.path.startsWith('templates/')) out.push({ path: `${base}${f.path}`, type: 'file', ...content(f) });
    else if (f.path.startsWith('charts/') && !f.path.endsWith('.prov')) {
      const rest = f.path.slice('charts/'.length);
      const cname = rest.split('/')[0] ?? '';
      subcharts.set(cname, [...(subcharts.get(cname) ?? []), { path: rest.slice(cname.length + 1), data: stripBom(f.data) }]);
    } else others.push({ path: `${base}${f.path}`, type: 'file', ...content(f) });
  }
  out.push(...others);

  // Helm iterates a Go map here (random order); csp sorts the subcharts by their entry name in charts/.
  const seen = new Map<string, string>();
  for (const cname of [...subcharts.keys()].sort(walkOrder)) {
    if (cname.startsWith('_') || cname.startsWith('.')) continue;
    const group = subcharts.get(cname) ?? [];
    let sub: ChartFile[];
    if (cname.endsWith('.tgz')) {
      const archive = group.find((g) => g.path === '');
      if (!archive || group.length !== 1) throw chartError('CHART_DEPENDENCY_INVALID', `${where}/charts/${cname} is not a single archive file`, 'Put subchart archives directly in charts/.', where);
      sub = readTgz(Buffer.from(archive.data), `${where}/charts/${cname}`)
        .filter((e) => e.type === 'file' && e.path.includes('/'))
        .map((e) => ({ path: e.path.slice(e.path.indexOf('/') + 1), data: e.data }));
    } else {
      sub = group.filter((g) => g.path !== '').sort((a, b) => walkOrder(a.path, b.path));
      if (sub.length === 0) continue; // a plain file in charts/: Helm finds no chart in it
    }
    const packed = chartEntries(sub, `${base}charts/`, `${where}/charts/${cname}`);
    const clash = seen.get(packed.name);
    if (clash) {
      throw chartError('CHART_DEPENDENCY_DUPLICATE', `${where}/charts/${cname} and ${clash} both hold chart ${packed.name}`, 'Keep one copy of each subchart in charts/.', where);
    }
    seen.set(packed.name, `charts/${cname}`);
    out.push(...packed.entries);
  }
  checkDependencies(meta.dependencies, [...seen.keys()], where);
  return { name: meta.name, version: meta.version, entries: out };
}

/** `helm package` fails when Chart.yaml lists a dependency that is not in charts/ (action.CheckDependencies). */
function checkDependencies(declared: string[], present: string[], where: string): void {
  const missing = declared.filter((d) => !present.includes(d));
  if (missing.length > 0) {
    throw chartError(
      'CHART_DEPENDENCY_MISSING',
      `${where}: ${missing.join(', ')} listed in Chart.yaml but missing in charts/`,
      'Vendor the dependencies (csp deps, or helm dependency build) before packaging; CSO renders without network.',
      `${where}/Chart.yaml`,
    );
  }
}

/** Entries of a packaged chart directory (after `.helmignore`), before tar and gzip. */
export function chartArchiveEntries(files: readonly ChartFile[], options: PackageChartOptions = {}): { name: string; version: string; entries: TarEntry[] } {
  const ignoreFile = files.find((f) => f.path === '.helmignore');
  const ignore = parseHelmIgnore(ignoreFile ? Buffer.from(ignoreFile.data).toString('utf8') : '');
  const kept = applyHelmIgnore([...files].sort((a, b) => walkOrder(a.path, b.path)), ignore);
  return chartEntries(kept, '', 'chart', options.version);
}

/** `helm package`: `<name>-<version>.tgz` with Helm's gzip header, deterministic for equal inputs. */
export function packageChart(files: readonly ChartFile[], options: PackageChartOptions = {}): PackagedChart {
  const { name, version, entries } = chartArchiveEntries(files, options);
  const tgz = gzip(writeTar(entries, { mtime: options.mtime ?? 0 }), 'helm');
  return { name, version, fileName: `${name}-${version}.tgz`, entries, tgz };
}

/** `packageChart` written to `file` by streaming (tar chunks → deflate → file): for charts with large stored files. */
export async function packageChartToFile(files: readonly ChartFile[], file: string, options: PackageChartOptions = {}): Promise<StoredChart> {
  const { name, version, entries } = chartArchiveEntries(files, options);
  const tgz = await gzipToFile(tarChunks(entries, { mtime: options.mtime ?? 0 }), tarSize(entries, { mtime: options.mtime ?? 0 }), file, 'helm');
  return { name, version, fileName: `${name}-${version}.tgz`, entries, tgz };
}

/** Reads a chart directory into ChartFiles, following symlinks as Helm does; refuses special files. */
export async function readChartDir(dir: string): Promise<ChartFile[]> {
  const out: ChartFile[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const name of (await fs.readdir(path.join(dir, rel))).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
      const childRel = rel ? `${rel}/${name}` : name;
      const stat = await fs.stat(path.join(dir, childRel));
      if (stat.isDirectory()) await visit(childRel);
      else if (stat.isFile()) out.push({ path: childRel, data: await fs.readFile(path.join(dir, childRel)) });
      else throw chartError('CHART_FILE_IRREGULAR', `${childRel} in ${dir} is not a regular file`, 'Remove sockets, pipes and devices from the chart.', path.join(dir, childRel));
    }
  };
  await visit('');
  return out;
}
