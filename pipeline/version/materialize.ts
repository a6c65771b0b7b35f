/**
 * The per-target source tree: the stack folder as csctl would be given it for one Kubernetes minor.
 * `versions.yaml` is dropped, `csctl.yaml` names the target version, the cluster-class chart carries the
 * CSO name `P-N-MA-MI-cluster-class`, and each addon dependency is vendored in `charts/` at the version the
 * target pins. For a csctl-layout folder (no versions.yaml, charts vendored) the tree equals the folder,
 * so the hashes equal csctl's.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Issue, Location } from '../core/errors.js';
import { SCS_CHART_ALIASES, archiveChartMeta, type KubernetesTarget, type Stack } from '../stack/index.js';
import { lockDigestOf } from './chart-lock.js';
import type { SourceTree, TreeFile, VendoredChart } from './tree-types.js';
import { replaceScalar } from './yaml-edit.js';
import { LARGE_FILE_BYTES, bytesOf, isStored, storeFile, withData, type FileBytes } from '../core/stored-file.js';

export interface MaterializeOptions {
  /** Chart cache filled by `csp deps` (`by-name/<chart>/<version>.tgz`). */
  chartCacheDir?: string;
  /** File contents already read, keyed by stack-relative path (shared between targets of one stack). */
  read?: Map<string, FileBytes>;
  /** Chart cache reads shared across stacks of one run (path → bytes, or null when absent). */
  cacheReads?: Map<string, Buffer | null>;
  /** Name and version of vendored chart archives by absolute path, shared across targets. */
  chartMetas?: Map<string, { name: string; version: string } | undefined>;
  /** Files the target's node images add (images stage) and the cluster-class default image name. */
  images?: { files: Record<string, string>; imageName: string };
}

// The same Buffer (a stack file shared by several targets, a cached chart) is digested once per run.
const digests = new WeakMap<Uint8Array, string>();

function sha256(bytes: FileBytes): string {
  if (isStored(bytes)) return bytes.sha256;
  const data = bytes;
  let hex = digests.get(data);
  if (hex === undefined) {
    hex = createHash('sha256').update(data).digest('hex');
    digests.set(data, hex);
  }
  return hex;
}

async function readCached(file: string, memo: Map<string, Buffer | null> | undefined): Promise<Buffer | undefined> {
  const hit = memo?.get(file);
  if (hit !== undefined) return hit ?? undefined;
  const data = await fs.readFile(file).catch(() => null);
  memo?.set(file, data);
  return data ?? undefined;
}

/** Reads every stack file once (stack.files is byte-order sorted and relative); large files stay on disk. */
export async function readStackFiles(stack: Stack): Promise<Map<string, FileBytes>> {
  const out = new Map<string, FileBytes>();
  await Promise.all(
    stack.files.map(async (rel) => {
      const abs = path.join(stack.dir, rel);
      out.set(rel, (await fs.stat(abs)).size >= LARGE_FILE_BYTES ? storeFile(abs) : await fs.readFile(abs));
    }),
  );
  return out;
}

/** `P-N-MA-MI` of a target. */
export function targetPrefix(stack: Stack, target: KubernetesTarget): string {
  return `${stack.provider}-${stack.name}-${target.major}-${target.minor}`;
}

function rewrite(files: Map<string, FileBytes>, rel: string, at: (string | number)[], value: string, issues: Issue[], stack: Stack): void {
  const raw = files.get(rel);
  if (!raw) return;
  const next = replaceScalar(bytesOf(raw).toString('utf8'), at, value);
  if (next === undefined) {
    issues.push({
      severity: 'error',
      code: 'BUILD_REWRITE_FAILED',
      message: `cannot set ${at.join('.')} to ${value} in ${stack.displayDir}/${rel}`,
      hint: 'Write the field as a plain YAML scalar so csp can set it per Kubernetes version.',
      location: { file: `${stack.displayDir}/${rel}` },
    });
    return;
  }
  files.set(rel, Buffer.from(next, 'utf8'));
}

/** Position of the chart's pin in the target's versions.yaml entry (its key may be an SCS short name). */
function pinLocation(stack: Stack, target: KubernetesTarget, depName: string): Location {
  const prefix = `${target.location.file}#/`;
  const entry = Object.entries(stack.locations).find(([key, loc]) => key.startsWith(prefix) && /^\d+\/kubernetes$/.test(key.slice(prefix.length)) && loc.line === target.location.line);
  const index = entry?.[0].slice(prefix.length).split('/')[0];
  const keys = [depName, ...Object.entries(SCS_CHART_ALIASES).filter(([, name]) => name === depName).map(([short]) => short)];
  for (const key of keys) {
    const hit = index === undefined ? undefined : stack.locations[`${prefix}${index}/${key}`];
    if (hit) return hit;
  }
  return target.location;
}

/** Index of a dependency in Chart.lock by name, or -1. */
function lockIndexOf(lock: Buffer | undefined, name: string): number {
  if (!lock) return -1;
  try {
    const doc = parseYaml(lock.toString('utf8')) as { dependencies?: { name?: string }[] } | null;
    return doc?.dependencies?.findIndex((d) => d.name === name) ?? -1;
  } catch {
    return -1;
  }
}

/** Builds the tree of one target; missing dependency charts come back as positioned issues. */
export async function materializeTarget(stack: Stack, target: KubernetesTarget, options: MaterializeOptions = {}): Promise<SourceTree & { issues: Issue[] }> {
  const read = options.read ?? (await readStackFiles(stack));
  const files = new Map<string, FileBytes>();
  for (const rel of stack.files) if (rel !== 'versions.yaml') files.set(rel, read.get(rel) ?? Buffer.alloc(0));
  const text = (rel: string): string => {
    const raw = files.get(rel);
    return raw ? bytesOf(raw).toString('utf8') : '';
  };
  const issues: Issue[] = [];
  const prefix = targetPrefix(stack, target);

  rewrite(files, 'csctl.yaml', ['config', 'kubernetesVersion'], `v${target.version}`, issues, stack);
  rewrite(files, `${stack.clusterClass.path}/Chart.yaml`, ['name'], `${prefix}-cluster-class`, issues, stack);
  if (stack.addonConvention === 'old' && stack.addons[0]) rewrite(files, 'cluster-addon/Chart.yaml', ['name'], `${prefix}-cluster-addon`, issues, stack);
  if (options.images) {
    for (const [rel, text] of Object.entries(options.images.files)) files.set(rel, Buffer.from(text, 'utf8'));
    if (options.images.imageName && stack.clusterClass.values.nodeImageName !== undefined) rewrite(files, `${stack.clusterClass.path}/values.yaml`, ['nodeImageName'], options.images.imageName, issues, stack);
  }

  const charts: VendoredChart[] = [];
  for (const addon of stack.addons) {
    const vendored = stack.files.filter((f) => f.startsWith(`${addon.path}/charts/`) && f.endsWith('.tgz') && !f.slice(addon.path.length + 8).includes('/'));
    const metas = new Map<string, { name: string; version: string } | undefined>();
    for (const file of vendored) {
      const abs = path.join(stack.dir, file);
      if (!options.chartMetas?.has(abs)) options.chartMetas?.set(abs, await archiveChartMeta(abs).catch(() => undefined));
      metas.set(file, options.chartMetas ? options.chartMetas.get(abs) : await archiveChartMeta(abs).catch(() => undefined));
    }
    for (const [i, dep] of addon.dependencies.entries()) {
      const wanted = target.charts[dep.name] ?? dep.version;
      if (!wanted) continue;
      if (dep.version !== undefined && dep.version !== wanted) {
        rewrite(files, `${addon.path}/Chart.yaml`, ['dependencies', i, 'version'], wanted, issues, stack);
        const lockFile = `${addon.path}/Chart.lock`;
        const lock = files.get(lockFile);
        const lockIndex = lockIndexOf(lock && bytesOf(lock), dep.name);
        if (lockIndex >= 0) {
          rewrite(files, lockFile, ['dependencies', lockIndex, 'version'], wanted, issues, stack);
          const digest = lockDigestOf(text(`${addon.path}/Chart.yaml`), text(lockFile));
          if (digest) rewrite(files, lockFile, ['digest'], digest, issues, stack);
        }
      }
      let kept: string | undefined;
      for (const file of vendored) {
        const meta = metas.get(file);
        if (meta?.name !== dep.name) continue;
        if (meta.version === wanted && !kept) kept = file;
        else files.delete(file); // another version of this chart: not part of this target
      }
      if (kept) {
        charts.push({ addon: addon.addon, name: dep.name, version: wanted, repository: dep.repository, digest: `sha256:${sha256(files.get(kept) ?? Buffer.alloc(0))}`, source: 'vendored', path: kept });
        continue;
      }
      if (stack.files.includes(`${addon.path}/charts/${dep.name}/Chart.yaml`)) continue; // unpacked vendored chart
      const cached = options.chartCacheDir ? path.join(options.chartCacheDir, 'by-name', dep.name, `${wanted}.tgz`) : undefined;
      const data = cached ? await readCached(cached, options.cacheReads) : undefined;
      const pinned = target.charts[dep.name] !== undefined;
      if (!data) {
        issues.push({
          severity: 'error',
          code: 'BUILD_DEPENDENCY_MISSING',
          message: `Kubernetes ${target.version} needs chart ${dep.name} ${wanted} for ${addon.path}, but it is neither vendored in charts/ nor in the chart cache`,
          hint: `Run csp deps ${stack.displayDir} to fetch it${pinned ? ', or fix the version pinned in this versions.yaml entry' : ''}; CSO renders addons without network.`,
          location: pinned ? pinLocation(stack, target, dep.name) : dep.location,
        });
        continue;
      }
      const rel = `${addon.path}/charts/${dep.name}-${wanted}.tgz`;
      files.set(rel, data);
      charts.push({ addon: addon.addon, name: dep.name, version: wanted, repository: dep.repository, digest: `sha256:${sha256(data)}`, source: 'cache', path: rel });
    }
  }
  const sorted = [...files.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const tree: TreeFile[] = sorted.map((p) => {
    const bytes = files.get(p) ?? Buffer.alloc(0);
    return withData({ path: p, sha256: sha256(bytes) }, bytes);
  });
  return { files: tree, charts, issues };
}
