/**
 * Decide first: for every stack × Kubernetes minor, materialise the source tree, hash it as csctl does, look up
 * the previous release in the ledger and decide the versions, with reasons and the files that moved.
 */
import { createHash } from 'node:crypto';
import { ValidationFailed, hasErrors, type Issue } from '../core/errors.js';
import { checkCompatibility } from '../constraints/index.js';
import { readImageRecords, stackImages } from '../images/index.js';
import { latestInLine, loadLedgerIndex, readAllRecords, readRecordOrThrow, type LedgerIndex, type ReleaseRecord } from '../ledger/index.js';
import { loadStack, showPath, type KubernetesTarget, type Stack } from '../stack/index.js';
import { planVersions, type ComponentVersions, type HashChange, type PreviousRelease, type VersionMode, type VersionPlan } from '../version/index.js';
import { buildReleaseNames, diffFiles, materializeTarget, readStackFiles, treeHashes } from '../version/index.js';
import { parseVersion } from '../version/index.js';
import { BUILD_CHECKS, checkBeforeBuild, type BuildCheck, type CheckContext } from './checks.js';
import { indexByInput, readRawStack, unchangedFromLedger, type RawStack } from './fast-path.js';
import type { BuildPlan, Component, PreviousFinder, SourceTree, TargetPlan } from './types.js';

export interface PlanBuildInput {
  /** Absolute stack folders. */
  stackDirs: string[];
  cwd: string;
  mode: VersionMode;
  /** Only this Kubernetes minor (`1.32`) or version (`1.32.5`). */
  k8s?: string;
  custom?: ComponentVersions;
  chartCacheDir?: string;
  ledgerDir: string;
  /** Static validation for every target (default BUILD_CHECKS). */
  checks?: readonly BuildCheck[];
  /** Validation with the decided version for targets to be released (csp build: RELEASE_CHECKS; csp plan: none). */
  releaseChecks?: readonly BuildCheck[];
}

/** Effects of planning: where to look for a line that has no release in the ledger (`--previous-from`). */
export interface PlanBuildDeps {
  previous?: PreviousFinder;
}

/** The plan plus what acting on it needs (the trees are not JSON and stay out of the plan). */
export interface PlannedBuild {
  plan: BuildPlan;
  trees: Map<TargetPlan, SourceTree>;
}

function channelFor(mode: VersionMode, custom?: ComponentVersions): string {
  if (mode === 'stable') return 'stable';
  if (mode === 'hash') return 'sha';
  return (custom && parseVersion(custom.clusterStack, 'dot')?.channel) || 'custom';
}

function matchesK8s(target: KubernetesTarget, k8s: string | undefined): boolean {
  if (!k8s) return true;
  const want = k8s.replace(/^v/, '');
  return want === `${target.major}.${target.minor}` || want === target.version;
}

interface Ledger {
  index: LedgerIndex;
  records: Map<string, ReleaseRecord>;
  /** Remote sources behind the ledger; absent without `--previous-from`. */
  remote?: PreviousFinder;
}

/** The previous release as planning uses it, from a ledger record or a remote source. */
interface Previous {
  name: string;
  release: PreviousRelease;
  /** Ledger record path (ledger) or where it was read (`oci://…:TAG`, `github:…@TAG`; remote). */
  record?: string;
  source?: string;
  sourceFiles?: Record<string, string>;
}

async function previousFor(ledger: Ledger, stack: Stack, target: KubernetesTarget, channel: string, exactName?: string): Promise<Previous | undefined> {
  const line = { provider: stack.provider, stack: stack.name, major: target.major, minor: target.minor, channel };
  const exact = exactName ? ledger.index.entries.find((e) => e.name === exactName) : undefined;
  const entry = exact ?? latestInLine(ledger.index, line);
  if (!entry) {
    // The ledger knows nothing of this line: the release may have been made elsewhere (csctl, another clone).
    const remote = await ledger.remote?.find(line, exactName);
    return remote && { name: remote.name, release: remote.previous, source: remote.source };
  }
  // A broken record that decides versions is an error (with its position), never silently skipped.
  const record = ledger.records.get(entry.name) ?? (await readRecordOrThrow(entry.file));
  return { name: record.name, release: { versions: record.versions, hashes: record.hashes }, record: entry.file, sourceFiles: record.sourceFiles };
}

function unchangedComponents(changes: HashChange[], files: TargetPlan['changedFiles'], hasFileList: boolean): Component[] {
  const all: Component[] = ['clusterClass', 'clusterAddon', 'nodeImage', 'stack'];
  if (hasFileList) return all.filter((c) => !files[c]);
  const moved = new Set(changes.map((c) => c.key));
  const byHash: Record<Component, boolean> = {
    clusterClass: moved.has('clusterClassDir'),
    clusterAddon: moved.has('clusterAddonDir') || moved.has('clusterAddonValues'),
    nodeImage: moved.has('nodeImageDir'),
    stack: moved.has('clusterStack'),
  };
  return all.filter((c) => !byHash[c]);
}

async function planTarget(stack: Stack, target: KubernetesTarget, tree: SourceTree, input: PlanBuildInput, ledger: Ledger, raw: RawStack): Promise<{ plan?: TargetPlan; issues: Issue[] }> {
  const hashes = treeHashes(tree.files);
  const channel = channelFor(input.mode, input.custom);
  const prefix = `${stack.provider}-${stack.name}-${target.major}-${target.minor}`;
  const exactName = input.mode === 'hash' ? `${prefix}-v0-sha-${hashes.clusterStack.slice(0, 7)}` : input.mode === 'custom' && input.custom ? `${prefix}-${input.custom.clusterStack.replace('.', '-')}` : undefined;
  const prev = await previousFor(ledger, stack, target, channel, exactName);
  const previous: PreviousRelease | undefined = prev?.release;
  let decided: VersionPlan;
  try {
    decided = planVersions({ mode: input.mode, hashes, previous, custom: input.custom });
  } catch (error) {
    if (error instanceof ValidationFailed) return { issues: error.issues.map((i) => ({ ...i, location: i.location ?? target.location })) };
    throw error;
  }
  const { names, issues: nameIssues } = buildReleaseNames({ provider: stack.provider, name: stack.name, kubernetesVersion: target.version, version: decided.versions.clusterStack });
  if (!names) return { issues: nameIssues };
  const current = Object.fromEntries(tree.files.map((f) => [f.path, f.sha256]));
  const hasFileList = prev?.sourceFiles !== undefined;
  const changedFiles = hasFileList ? diffFiles(prev?.sourceFiles ?? {}, current) : {};
  return {
    issues: decided.issues,
    plan: {
      stack: stack.displayDir,
      stackDir: stack.dir,
      provider: stack.provider,
      name: stack.name,
      kubernetesVersion: target.version,
      minor: `${target.major}.${target.minor}`,
      channel,
      mode: input.mode,
      action: decided.action,
      releaseName: names.releaseName,
      clusterClassName: names.clusterClassName,
      versions: decided.versions,
      why: decided.why,
      hashes,
      hashChanges: decided.changes,
      previous: prev && { name: prev.name, versions: prev.release.versions, ...(prev.record ? { record: prev.record } : {}), ...(prev.source ? { source: prev.source } : {}) },
      changedFiles,
      unchanged: prev ? unchangedComponents(decided.changes, changedFiles, hasFileList) : [],
      charts: tree.charts,
      input: { hash: raw.hash, targets: stack.targets.map((t) => t.version) },
      issues: [],
    },
  };
}

/**
 * A release is complete only when every configured target has it: a target with nothing to release whose
 * current release some `--previous-from` source does not list is `publish-incomplete` (a warning naming the
 * missing targets), so a re-run after a partly failed publish cannot pass as "nothing to release".
 */
async function markIncomplete(targets: TargetPlan[], lacking: (name: string) => Promise<string[]>): Promise<void> {
  for (const target of targets) {
    if (target.action !== 'none') continue;
    const missing = await lacking(target.releaseName);
    if (missing.length === 0) continue;
    target.incomplete = missing;
    target.issues.push({
      severity: 'warning',
      code: 'PUBLISH_INCOMPLETE',
      message: `${target.releaseName} is not published to ${missing.join(', ')} although nothing changed since it was released`,
      hint: 'A release is complete only on every target. Run csp publish for it again (it keeps what is there and completes the rest).',
      location: { file: `${target.stack}/csctl.yaml` },
    });
  }
}

/** Plans every target of every stack; never writes. Stack problems are collected, not thrown. */
export async function planBuild(input: PlanBuildInput, deps: PlanBuildDeps = {}): Promise<PlannedBuild> {
  const index = await loadLedgerIndex(input.ledgerDir);
  const ledger: Ledger = { index, records: await readAllRecords(index), remote: deps.previous };
  const byInput = indexByInput(ledger.records);
  const imageRecords = await readImageRecords(input.ledgerDir);
  const plan: BuildPlan = { mode: input.mode, targets: [], issues: [] };
  const trees = new Map<TargetPlan, SourceTree>();
  const cacheReads = new Map<string, Buffer | null>();
  const chartMetas = new Map<string, { name: string; version: string } | undefined>();
  for (const dir of input.stackDirs) {
    const raw = await readRawStack(dir);
    // The release input is the stack's bytes plus its image set: a new image makes a new release.
    const images = stackImages(raw.files, imageRecords);
    if (images.fingerprint) raw.hash = createHash('sha256').update(`${raw.hash}\n${images.fingerprint}`).digest('hex');
    const fast = unchangedFromLedger({ raw, stackDir: dir, display: showPath(input.cwd, dir), mode: input.mode, k8s: input.k8s, index, byInput });
    if (fast) {
      plan.targets.push(...fast);
      continue;
    }
    const loaded = await loadStack(dir, { cwd: input.cwd, chartCacheDir: input.chartCacheDir });
    const stack = loaded.stack;
    if (!stack) {
      plan.issues.push(...loaded.issues);
      continue;
    }
    const stackIssues = [...loaded.issues, ...checkCompatibility(stack).issues];
    const targets = stack.targets.filter((t) => matchesK8s(t, input.k8s));
    if (targets.length === 0) {
      plan.issues.push(...stackIssues, {
        severity: 'error',
        code: 'BUILD_NO_TARGET',
        message: input.k8s ? `${stack.displayDir} has no Kubernetes ${input.k8s} target` : `${stack.displayDir} has no Kubernetes target`,
        hint: `Targets: ${stack.targets.map((t) => t.version).join(', ') || 'none'} (versions.yaml, else csctl.yaml).`,
        location: { file: `${stack.displayDir}/versions.yaml` },
      });
      continue;
    }
    const read = raw.plain ? raw.files : await readStackFiles(stack);
    const seen = new Set<string>();
    for (const target of targets) {
      const tree = await materializeTarget(stack, target, { chartCacheDir: input.chartCacheDir, read, cacheReads, chartMetas, images: images.forTarget(target.version) });
      const checkIssues = await checkBeforeBuild({ stack, target, stackIssues, tree, chartCacheDir: input.chartCacheDir, cwd: input.cwd }, input.checks ?? BUILD_CHECKS);
      // Stack-level issues repeat for every target; report each once.
      const fresh = [...checkIssues, ...tree.issues].filter((i) => {
        const key = JSON.stringify([i.code, i.message, i.location]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const decided = await planTarget(stack, target, tree, input, ledger, raw);
      // A release some target lacks is rebuilt for completion: it gets the same checks (and SBOM images).
      if (decided.plan?.action === 'none' && deps.previous?.lacking) await markIncomplete([decided.plan], deps.previous.lacking.bind(deps.previous));
      if ((decided.plan?.action === 'release' || decided.plan?.incomplete?.length) && input.releaseChecks?.length && !hasErrors(fresh)) {
        const ctx: CheckContext = { stack, target, stackIssues, tree, chartCacheDir: input.chartCacheDir, cwd: input.cwd, version: decided.plan.versions.clusterStack, versions: decided.plan.versions };
        fresh.push(...(await checkBeforeBuild(ctx, input.releaseChecks)));
        if (ctx.images) decided.plan.images = ctx.images;
      }
      if (decided.plan) {
        decided.plan.issues = [...fresh, ...decided.issues, ...decided.plan.issues];
        plan.targets.push(decided.plan);
        trees.set(decided.plan, tree);
      } else plan.issues.push(...fresh, ...decided.issues);
    }
  }
  // Targets the ledger fast path answered: report only (no source tree to rebuild from).
  if (deps.previous?.lacking) await markIncomplete(plan.targets.filter((t) => !trees.has(t)), deps.previous.lacking.bind(deps.previous));
  plan.issues.unshift(...index.issues);
  return { plan, trees };
}
