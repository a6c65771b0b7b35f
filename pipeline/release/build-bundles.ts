/**
 * Act second: turns a plan into bundle folders, OCI image layout entries and ledger records. Every check
 * (validation, name clashes in OUT, the layout and the ledger) runs before the first write.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InternalError, ValidationFailed, hasErrors, type Issue } from '../core/errors.js';
import { addBundle, readLayout } from '../bundle/index.js';
import { buildBundleManifest, fileDescriptor, layerMediaType, refNameAnnotation, type BundleFile } from '../bundle/index.js';
import { compareRecord, recordApiVersion, recordPath, writeRecord, type RecordFile, type RecordSchemas, type ReleaseRecord } from '../ledger/index.js';
import { assembleBundle } from './assemble.js';
import { compareFolder, writeFolder } from './output.js';
import type { PlannedBuild } from './plan-targets.js';
import type { TargetPlan } from './types.js';

export interface BuildBundlesInput {
  planned: PlannedBuild;
  outDir: string;
  ledgerDir: string;
  force?: boolean;
  dryRun?: boolean;
  /** RFC 3339 creation time for manifests and SBOMs (from SOURCE_DATE_EPOCH; never the clock). */
  created: string;
  /** The schemas a target's objects were validated against, by Kubernetes minor (recorded in its release record). */
  schemas?: (kubernetesMinor: string) => RecordSchemas | undefined;
  /** Per stack folder (absolute), a creation time overriding `created` (csp build: the stack's last git change). */
  createdFor?: (stackDir: string) => string | undefined;
}

/** What happened to one target. */
export interface BuiltTarget {
  stack: string;
  releaseName: string;
  kubernetesVersion: string;
  versions: TargetPlan['versions'];
  action: 'written' | 'replaced' | 'unchanged' | 'nothing-to-release' | 'publish-incomplete' | 'would-write';
  /** `publish-incomplete`: the `--previous-from` targets that lack this (unchanged) release. */
  incomplete?: string[];
  dir?: string;
  files: RecordFile[];
  manifestDigest?: string;
  record?: string;
}

export interface BuildResult {
  ociLayout: string;
  targets: BuiltTarget[];
  issues: Issue[];
}

interface Prepared {
  plan: TargetPlan;
  files: BundleFile[];
  record: ReleaseRecord;
  dir: string;
  folder: 'absent' | 'same' | 'different';
  layout: 'absent' | 'same' | 'different';
  ledger: 'absent' | 'same' | 'different';
}

function recordOf(plan: TargetPlan, files: BundleFile[], manifestDigest: string, sourceFiles: Record<string, string>, schemas: RecordSchemas | undefined): ReleaseRecord {
  return {
    apiVersion: recordApiVersion,
    kind: 'ClusterStackRelease',
    name: plan.releaseName,
    provider: plan.provider,
    stack: plan.name,
    kubernetesVersion: `v${plan.kubernetesVersion}`,
    mode: plan.mode,
    channel: plan.channel,
    versions: plan.versions,
    hashes: plan.hashes,
    files: files.map((f) => {
      const { digest, size } = fileDescriptor(f);
      return { name: f.name, digest, size, mediaType: layerMediaType(f.name) };
    }),
    manifestDigest,
    input: plan.input,
    sourceFiles,
    ...(schemas ? { schemas } : {}),
  };
}

/** Runs `jobs` at most `width` at a time; results in job order; the first failure is thrown once all have ended. */
async function inPool<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: PromiseSettledResult<T>[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await (jobs[i] as () => Promise<T>)().then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
  const failed = out.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return out.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Builds every target whose plan says `release`; throws before writing when anything is wrong. */
export async function buildBundles(input: BuildBundlesInput): Promise<BuildResult> {
  // Charts with large files are packaged by streaming into this folder (beside OUT, so moving them is cheap).
  if (![...input.planned.trees.values()].some((t) => t.files.some((f) => f.stored))) return buildInto(input, undefined);
  const spillParent = input.dryRun ? os.tmpdir() : input.outDir;
  await fs.mkdir(spillParent, { recursive: true });
  const spillDir = await fs.mkdtemp(path.join(spillParent, '.csp-build-'));
  try {
    return await buildInto(input, spillDir);
  } finally {
    await fs.rm(spillDir, { recursive: true, force: true });
  }
}

async function buildInto(input: BuildBundlesInput, spillDir: string | undefined): Promise<BuildResult> {
  const { plan, trees } = input.planned;
  const allIssues = [...plan.issues, ...plan.targets.flatMap((t) => t.issues)];
  if (hasErrors(allIssues)) throw new ValidationFailed(allIssues, 'the stacks cannot be released; nothing was written');
  const layoutDir = path.join(input.outDir, 'oci-layout');
  const layout = await readLayout(layoutDir);
  const prepared: Prepared[] = [];
  const jobs: (() => Promise<Prepared>)[] = [];
  const results: BuiltTarget[] = [];
  for (const target of plan.targets) {
    // publish-incomplete: rebuild the unchanged release (reproducible: same bytes for the same inputs) so that
    // csp publish can complete the targets that lack it; without a source tree (ledger fast path) only report.
    const rebuild = target.action === 'none' && Boolean(target.incomplete?.length) && trees.has(target.releaseName);
    if (target.action === 'none' && !rebuild) {
      const incomplete = target.incomplete?.length ? { action: 'publish-incomplete' as const, incomplete: target.incomplete } : { action: 'nothing-to-release' as const };
      results.push({ stack: target.stack, releaseName: target.releaseName, kubernetesVersion: target.kubernetesVersion, versions: target.versions, ...incomplete, files: [], record: target.previous?.record });
      continue;
    }
    const tree = trees.get(target.releaseName);
    if (!tree) throw new InternalError('BUILD_TREE_MISSING', `no source tree for ${target.releaseName}`);
    jobs.push(async (): Promise<Prepared> => {
      const created = input.createdFor?.(target.stackDir) ?? input.created;
      const mtime = Math.floor(Date.parse(created) / 1000);
      const files = await assembleBundle(target, tree, { created, mtime, spillDir });
      const { descriptor } = buildBundleManifest({ releaseName: target.releaseName, files, kubernetesVersion: `v${target.kubernetesVersion}`, hash: target.hashes.clusterStack.slice(0, 7), created });
      const minor = target.kubernetesVersion.replace(/^v/, '').split('.').slice(0, 2).join('.');
      const record = recordOf(target, files, descriptor.digest, Object.fromEntries(tree.files.map((f) => [f.path, f.sha256])), input.schemas?.(minor));
      const dir = path.join(input.outDir, target.releaseName);
      const existing = layout.manifests.find((m) => m.annotations?.[refNameAnnotation] === target.releaseName);
      return {
        plan: target,
        files,
        record,
        dir,
        folder: await compareFolder(dir, files),
        layout: !existing ? 'absent' : existing.digest === descriptor.digest ? 'same' : 'different',
        // The record of a release being completed stays as it is (it describes what was published).
        ledger: await compareRecord(input.ledgerDir, record).then((c) => (rebuild && c === 'different' ? 'same' : c)),
      };
    });
  }
  // Streamed packaging deflates on zlib's thread pool: two targets at a time use both cores (same bytes, same order).
  prepared.push(...(await inPool(jobs, spillDir ? 2 : 1)));
  const clashes: Issue[] = prepared.flatMap((p) => {
    const where = [p.folder === 'different' && p.dir, p.layout === 'different' && `${layoutDir} (tag ${p.plan.releaseName})`, p.ledger === 'different' && recordPath(input.ledgerDir, p.plan.releaseName)].filter(Boolean);
    if (where.length === 0) return [];
    return [{
      severity: 'error' as const,
      code: 'BUILD_OUTPUT_EXISTS',
      message: `${p.plan.releaseName} already exists with different content in ${where.join(', ')}`,
      hint: 'A release name must never change content (CSO never refreshes a download). Bump the version; pass --force only if this release was never published.',
      location: { file: String(where[0]) },
    }];
  });
  if (clashes.length > 0 && !input.force) throw new ValidationFailed(clashes, 'refusing to overwrite a different bundle; nothing was written');

  for (const p of prepared) {
    const changed = p.folder !== 'same' || p.layout !== 'same' || p.ledger !== 'same';
    const action: BuiltTarget['action'] = input.dryRun ? (changed ? 'would-write' : 'unchanged') : !changed ? 'unchanged' : p.folder === 'different' || p.layout === 'different' ? 'replaced' : 'written';
    if (!input.dryRun) {
      if (p.folder !== 'same') await writeFolder(p.dir, p.files, { replace: p.folder === 'different' });
      if (p.layout !== 'same') {
        await addBundle(layoutDir, { releaseName: p.plan.releaseName, files: p.files, kubernetesVersion: `v${p.plan.kubernetesVersion}`, hash: p.plan.hashes.clusterStack.slice(0, 7), created: input.createdFor?.(p.plan.stackDir) ?? input.created }, { force: input.force });
      }
      if (p.ledger !== 'same') await writeRecord(input.ledgerDir, p.record, { force: input.force });
    }
    results.push({
      stack: p.plan.stack,
      releaseName: p.plan.releaseName,
      kubernetesVersion: p.plan.kubernetesVersion,
      versions: p.plan.versions,
      ...(p.plan.action === 'none' && p.plan.incomplete?.length ? { action: 'publish-incomplete' as const, incomplete: p.plan.incomplete } : { action }),
      dir: p.dir,
      files: p.record.files,
      manifestDigest: p.record.manifestDigest,
      record: recordPath(input.ledgerDir, p.plan.releaseName),
    });
  }
  return { ociLayout: layoutDir, targets: results, issues: allIssues };
}
