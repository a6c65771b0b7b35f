/**
 * Gather, then decide: for every stack × Kubernetes minor, materialise the source tree, run the static checks and
 * look up the previous release (ledger, else `--previous-from`); `planRelease` then decides purely.
 */
import { createHash } from 'node:crypto';
import { hasErrors } from '../core/errors.js';
import { checkCompatibility } from '../constraints/index.js';
import { readImageRecords, stackImages } from '../images/index.js';
import { latestInLine, loadLedgerIndex, readAllRecords, readRecordOrThrow, type LedgerIndex, type ReleaseRecord } from '../ledger/index.js';
import { loadStack, matchesKubernetes, showPath, type KubernetesTarget, type Stack } from '../stack/index.js';
import { bytesOf, isStored } from '../core/stored-file.js';
import { formatReleasePrefix, materializeTarget, readStackFiles, treeHashes, type ComponentVersions, type VersionMode } from '../version/index.js';
import { BUILD_CHECKS, checkBeforeBuild, type BuildCheck, type CheckContext } from './checks.js';
import { indexByInput, readRawStack, unchangedFromLedger } from './fast-path.js';
import { channelFor, exactReleaseName, planRelease, targetKey, type PreviousInput, type ReleaseInputs } from './plan-release.js';
import type { BuildPlan, PreviousFinder, SourceTree, TargetPlan } from './types.js';

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
  /** Source trees by release name. */
  trees: Map<string, SourceTree>;
}

interface Ledger {
  index: LedgerIndex;
  records: Map<string, ReleaseRecord>;
  /** Remote sources behind the ledger; absent without `--previous-from`. */
  remote?: PreviousFinder;
}

async function previousFor(ledger: Ledger, stack: Stack, target: KubernetesTarget, channel: string, exactName?: string): Promise<PreviousInput | undefined> {
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

/**
 * Reads everything planning needs (stacks, per-target trees, ledger, remote previous releases) and runs the
 * static checks; the trees, keyed by `targetKey`, are what building needs beyond the plan.
 */
export async function gatherReleaseInputs(input: PlanBuildInput, deps: PlanBuildDeps = {}): Promise<{ inputs: ReleaseInputs; trees: Map<string, SourceTree>; stacks: Map<string, Stack> }> {
  const index = await loadLedgerIndex(input.ledgerDir);
  const ledger: Ledger = { index, records: await readAllRecords(index), remote: deps.previous };
  const byInput = indexByInput(ledger.records);
  const imageRecords = await readImageRecords(input.ledgerDir);
  const inputs: ReleaseInputs = { mode: input.mode, custom: input.custom, entries: [], issues: index.issues };
  const trees = new Map<string, SourceTree>();
  const stacks = new Map<string, Stack>();
  const cacheReads = new Map<string, Buffer | null>();
  const chartMetas = new Map<string, { name: string; version: string } | undefined>();
  const channel = channelFor(input.mode, input.custom);
  for (const dir of input.stackDirs) {
    const raw = await readRawStack(dir);
    // The release input is the stack's bytes plus its image set: a new image makes a new release.
    // The images stage reads a few YAML files by name; large (stored) files other than YAML never reach it.
    const images = stackImages(new Map([...raw.files].flatMap(([rel, bytes]) => (!isStored(bytes) ? [[rel, bytes] as const] : /\.ya?ml$/.test(rel) ? [[rel, bytesOf(bytes)] as const] : []))), imageRecords);
    if (images.fingerprint) raw.hash = createHash('sha256').update(`${raw.hash}\n${images.fingerprint}`).digest('hex');
    const fast = unchangedFromLedger({ raw, stackDir: dir, display: showPath(input.cwd, dir), mode: input.mode, k8s: input.k8s, index, byInput });
    if (fast) {
      inputs.entries.push(...fast.map((plan) => ({ kind: 'decided' as const, plan })));
      continue;
    }
    const loaded = await loadStack(dir, { cwd: input.cwd, chartCacheDir: input.chartCacheDir });
    const stack = loaded.stack;
    if (!stack) {
      inputs.entries.push({ kind: 'issues', issues: loaded.issues });
      continue;
    }
    stacks.set(stack.dir, stack);
    const stackIssues = [...loaded.issues, ...checkCompatibility(stack).issues];
    const targets = stack.targets.filter((t) => matchesKubernetes(t, input.k8s));
    if (targets.length === 0) {
      inputs.entries.push({ kind: 'issues', issues: [...stackIssues, {
        severity: 'error',
        code: 'BUILD_NO_TARGET',
        message: input.k8s ? `${stack.displayDir} has no Kubernetes ${input.k8s} target` : `${stack.displayDir} has no Kubernetes target`,
        hint: `Targets: ${stack.targets.map((t) => t.version).join(', ') || 'none'} (versions.yaml, else csctl.yaml).`,
        location: { file: `${stack.displayDir}/versions.yaml` },
      }] });
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
      const files = Object.fromEntries(tree.files.map((f) => [f.path, f.sha256]));
      const prefix = formatReleasePrefix(stack.provider, stack.name, target);
      const exactName = exactReleaseName(input.mode, prefix, treeHashes(tree.files).clusterStack, input.custom);
      const previous = await previousFor(ledger, stack, target, channel, exactName);
      trees.set(targetKey(stack.dir, target.version), tree);
      inputs.entries.push({
        kind: 'target',
        stack: { displayDir: stack.displayDir, dir: stack.dir, provider: stack.provider, name: stack.name, targets: stack.targets.map((t) => t.version), inputHash: raw.hash },
        target: { version: target.version, major: target.major, minor: target.minor, location: target.location },
        files,
        charts: tree.charts,
        ...(previous ? { previous } : {}),
        issues: fresh,
      });
    }
  }
  return { inputs, trees, stacks };
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

/**
 * Plans every target of every stack and never writes: gather, decide (`planRelease`, pure), then the release
 * checks (render, validate) for targets that will be released or completed, which need the decided version.
 */
export async function planBuild(input: PlanBuildInput, deps: PlanBuildDeps = {}): Promise<PlannedBuild> {
  const { inputs, trees, stacks } = await gatherReleaseInputs(input, deps);
  const plan = planRelease(inputs);
  const byName = new Map<string, SourceTree>();
  for (const target of plan.targets) {
    const tree = trees.get(targetKey(target.stackDir, target.kubernetesVersion));
    if (tree) byName.set(target.releaseName, tree);
  }
  // A release some target lacks is rebuilt for completion (with a tree) or reported (ledger fast path).
  if (deps.previous?.lacking) await markIncomplete(plan.targets, deps.previous.lacking.bind(deps.previous));
  for (const target of plan.targets) {
    const tree = byName.get(target.releaseName);
    const stack = stacks.get(target.stackDir);
    const k8s = stack?.targets.find((t) => t.version === target.kubernetesVersion);
    if (!tree || !stack || !k8s || !input.releaseChecks?.length || hasErrors(target.issues)) continue;
    if (target.action !== 'release' && !target.incomplete?.length) continue;
    const ctx: CheckContext = { stack, target: k8s, stackIssues: [], tree, chartCacheDir: input.chartCacheDir, cwd: input.cwd, version: target.versions.clusterStack, versions: target.versions };
    target.issues.push(...(await checkBeforeBuild(ctx, input.releaseChecks)));
    if (ctx.images) target.images = ctx.images;
  }
  return { plan, trees: byName };
}
