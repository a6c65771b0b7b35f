/**
 * Helm's chart loader (helm/helm pkg/chart/loader): a folder (with `.helmignore`) or a `.tgz`, classified into
 * Chart.yaml, values.yaml, values.schema.json, templates/, charts/ subcharts and other files, then validated.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../../core/errors.js';
import { limitEnvName, limits } from '../../core/limits.js';
import { LARGE_FILE_BYTES } from '../../core/stored-file.js';
import { isIgnored, parseHelmIgnore } from '../../bundle/index.js';
import type { HelmIgnore } from '../../bundle/index.js';
import { readTgz } from '../../bundle/index.js';
import type { TarReadLimits } from '../../bundle/index.js';
import { parseChartYaml } from './chart-yaml.js';
import { parseValuesYaml } from './values-file.js';
import type { ChartFile, HelmChart } from './types.js';

/** Helm's loader limits: 5 MiB per file, 100 MiB per chart (limits().chartFileBytes and chartBytes). */
export function chartLimits(): TarReadLimits {
  return { maxEntries: 20_000, maxEntryBytes: limits().chartFileBytes, maxTotalBytes: limits().chartBytes };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function stripBom(data: Buffer): Buffer {
  return data.subarray(0, 3).equals(BOM) ? data.subarray(3) : data;
}

function loadError(code: string, message: string, file: string, details: string): UserInputError {
  return new UserInputError(code, message, { details, location: { file } });
}

/** Loads a chart folder or packed chart (`.tgz`), like `helm template` does with its CHART argument. */
export async function loadChart(pathOrTgz: string): Promise<HelmChart> {
  let stat;
  try {
    stat = await fs.stat(pathOrTgz);
  } catch {
    throw loadError('CHART_NOT_FOUND', `${pathOrTgz}: no such chart folder or archive`, pathOrTgz, 'Pass a chart folder (with Chart.yaml) or a .tgz made by helm package.');
  }
  if (stat.isDirectory()) return loadChartDir(pathOrTgz);
  if (stat.size > chartLimits().maxTotalBytes) {
    throw loadError('CHART_TOO_LARGE', `${pathOrTgz}: archive is larger than ${chartLimits().maxTotalBytes} bytes`, pathOrTgz, `Charts must stay below Helm's 100 MiB limit (${limitEnvName('chartBytes')}).`);
  }
  return loadChartArchive(await fs.readFile(pathOrTgz), pathOrTgz);
}

/** Loads a packed chart from memory; `source` names it in errors. */
export function loadChartArchive(data: Buffer, source: string): HelmChart {
  const entries = readTgz(data, source, chartLimits());
  const files: ChartFile[] = [];
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const parts = entry.path.split('/');
    if (parts[0] === 'Chart.yaml') throw loadError('CHART_BAD_ARCHIVE', `${source}: chart yaml not in base directory`, source, 'A chart archive holds one top-level folder named after the chart.');
    const name = parts.slice(1).join('/');
    if (name === '') continue;
    files.push({ name, data: stripBom(entry.data) });
  }
  return loadChartFiles(files, source);
}

/** How a chart folder is read; `readLazy` reads a large file when a template first asks for it (tests count it). */
export interface LoadDirOptions {
  readLazy?: (file: string) => Buffer;
}

/** Files a render always reads; anything else at least LARGE_FILE_BYTES big is left on disk until a template reads it. */
function readsEagerly(name: string): boolean {
  return ['Chart.yaml', 'Chart.lock', 'requirements.lock', 'requirements.yaml', 'values.yaml', 'values.schema.json'].includes(name) || /^(templates|charts|crds)\//.test(name);
}

function lazyFile(name: string, abs: string, read: (file: string) => Buffer): ChartFile {
  const file = { name, lazy: true } as ChartFile;
  Object.defineProperty(file, 'data', { get: () => stripBom(read(abs)), enumerable: true, configurable: true });
  return file;
}

/** Loads a chart folder: `.helmignore` plus Helm's default rule, lexical walk, symlinks followed. */
export async function loadChartDir(dir: string, options: LoadDirOptions = {}): Promise<HelmChart> {
  const readLazy = options.readLazy ?? ((file: string) => readFileSync(file));
  let ignore: HelmIgnore = parseHelmIgnore('');
  const ignoreFile = path.join(dir, '.helmignore');
  try {
    ignore = parseHelmIgnore(await fs.readFile(ignoreFile, 'utf8'));
  } catch (e) {
    if (e instanceof UserInputError) throw new UserInputError(e.code, `${ignoreFile}: ${e.message}`, { details: e.details, location: { file: ignoreFile } });
  }
  const files: ChartFile[] = [];
  let total = 0;
  const seen = new Set<string>();
  const walk = async (abs: string, rel: string): Promise<void> => {
    const real = await fs.realpath(abs);
    if (seen.has(real)) throw loadError('CHART_SYMLINK_LOOP', `${abs}: symbolic link loop`, abs, 'Remove the link that points back into the chart.');
    seen.add(real);
    const names = (await fs.readdir(abs)).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1));
    for (const name of names) {
      const childAbs = path.join(abs, name);
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const st = await fs.stat(childAbs);
      if (st.isDirectory()) {
        if (!isIgnored(ignore, childRel, true)) await walk(childAbs, childRel);
        continue;
      }
      if (isIgnored(ignore, childRel, false)) continue;
      if (!st.isFile()) throw loadError('CHART_IRREGULAR_FILE', `cannot load irregular file ${childAbs} as it has file mode type bits set`, childAbs, 'Charts may hold only regular files.');
      if (st.size > chartLimits().maxEntryBytes) throw loadError('CHART_TOO_LARGE', `${childAbs}: file is larger than ${chartLimits().maxEntryBytes} bytes`, childAbs, `Helm refuses chart files above 5 MiB (${limitEnvName('chartFileBytes')}).`);
      total += st.size;
      if (total > chartLimits().maxTotalBytes) throw loadError('CHART_TOO_LARGE', `${dir}: chart is larger than ${chartLimits().maxTotalBytes} bytes`, dir, `Helm refuses charts above 100 MiB (${limitEnvName('chartBytes')}).`);
      if (st.size >= LARGE_FILE_BYTES && !readsEagerly(childRel)) files.push(lazyFile(childRel, childAbs, readLazy));
      else files.push({ name: childRel, data: stripBom(await fs.readFile(childAbs)) });
    }
    seen.delete(real);
  };
  await walk(dir, '');
  return loadChartFiles(files, dir);
}

/** Classifies files like loader.LoadFiles and loads subcharts from `charts/`. */
export function loadChartFiles(files: ChartFile[], source: string): HelmChart {
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (!chartYaml) throw loadError('CHART_YAML_MISSING', `${source}: Chart.yaml file is missing`, source, 'A chart needs a Chart.yaml with apiVersion, name and version.');
  const metadata = parseChartYaml(chartYaml.data.toString('utf8'), `${source}/Chart.yaml`);
  const chart: HelmChart = { metadata, values: {}, templates: [], files: [], dependencies: [], source };
  const subcharts = new Map<string, ChartFile[]>();
  for (const f of files) {
    if (f.name === 'Chart.yaml' || f.name === 'Chart.lock' || f.name === 'requirements.lock') continue;
    if (f.name === 'values.yaml') chart.values = parseValuesYaml(f.data.toString('utf8'), `${source}/values.yaml`);
    else if (f.name === 'values.schema.json') chart.schema = f.data;
    else if (f.name === 'requirements.yaml' && metadata.apiVersion === 'v1') {
      const req = parseChartYaml(`name: x\nversion: 0.0.0\n${f.data.toString('utf8')}`, `${source}/requirements.yaml`);
      metadata.dependencies = req.dependencies;
      chart.files.push(f);
    } else if (f.name.startsWith('templates/')) chart.templates.push(f);
    else if (f.name.startsWith('charts/') && !f.name.endsWith('.prov')) {
      const rest = f.name.slice('charts/'.length);
      const cname = rest.split('/')[0] ?? '';
      const list = subcharts.get(cname) ?? [];
      list.push({ name: rest, data: f.data });
      subcharts.set(cname, list);
    } else chart.files.push(f);
  }
  for (const [cname, list] of [...subcharts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (cname.startsWith('_') || cname.startsWith('.')) continue;
    const subSource = `${source}/charts/${cname}`;
    if (cname.endsWith('.tgz')) {
      const file = list[0];
      if (!file || file.name !== cname) throw loadError('CHART_BAD_SUBCHART', `error unpacking subchart tar in ${metadata.name}: expected ${cname}, got ${file?.name ?? ''}`, subSource, 'charts/*.tgz must be chart archives.');
      chart.dependencies.push(loadChartArchive(file.data, subSource));
      continue;
    }
    const inner = list.filter((f) => f.name.includes('/')).map((f) => ({ name: f.name.slice(cname.length + 1), data: f.data }));
    if (inner.length === 0) continue;
    try {
      chart.dependencies.push(loadChartFiles(inner, subSource));
    } catch (e) {
      if (e instanceof UserInputError && e.code === 'CHART_YAML_MISSING') {
        throw loadError('CHART_BAD_SUBCHART', `error unpacking ${cname} in ${metadata.name}: Chart.yaml file is missing`, subSource, 'Every folder under charts/ must be a chart (or start with _ or .).');
      }
      throw e;
    }
  }
  return chart;
}
