/**
 * Decide, purely: from inputs gathered beforehand (stack identity, the per-target tree's file digests, the
 * previous release of the line, the issues found while reading), the versions, names, reasons and moved files
 * of every target. No file system, no network, no clock: the same inputs give byte-identical JSON.
 */
import { ValidationFailed, type Issue, type Location } from '../core/errors.js';
import { buildReleaseNames, diffFiles, parseVersion, planVersions, treeHashes, type ComponentVersions, type HashChange, type PreviousRelease, type VendoredChart, type VersionMode, type VersionPlan } from '../version/index.js';
import type { BuildPlan, Component, TargetPlan } from './types.js';

/** The previous release of a target's line, as gathered from the ledger or a remote source. */
export interface PreviousInput {
  name: string;
  release: PreviousRelease;
  /** Ledger record path, or where it was read (`oci://…:TAG`, `github:…@TAG`). */
  record?: string;
  source?: string;
  /** Per-file digests recorded with the previous release (ledger only). */
  sourceFiles?: Record<string, string>;
}

/** Everything deciding one stack × Kubernetes target needs, as plain data. */
export interface TargetInputs {
  kind: 'target';
  stack: { displayDir: string; dir: string; provider: string; name: string; targets: string[]; inputHash: string };
  target: { version: string; major: number; minor: number; location?: Location };
  /** Path → sha256 of every file of the per-target tree. */
  files: Record<string, string>;
  charts: VendoredChart[];
  previous?: PreviousInput;
  /** Problems found while reading and checking this target (stack rules, names, tree). */
  issues: Issue[];
}

/** One gathered entry, in stack order: a target to decide, a target the ledger already decided, or stack problems. */
export type ReleaseInput = TargetInputs | { kind: 'decided'; plan: TargetPlan } | { kind: 'issues'; issues: Issue[] };

/** The gathered inputs of a whole plan. */
export interface ReleaseInputs {
  mode: VersionMode;
  custom?: ComponentVersions;
  entries: ReleaseInput[];
  /** Ledger problems (reported first). */
  issues: Issue[];
}

/** Key of a target's source tree, the same from its inputs and from its plan: `<stackDir>@<kubernetesVersion>`. */
export function targetKey(stackDir: string, kubernetesVersion: string): string {
  return `${stackDir}@${kubernetesVersion}`;
}

/** The release channel of a mode: `stable`, `sha`, or the custom version's channel. */
export function channelFor(mode: VersionMode, custom?: ComponentVersions): string {
  if (mode === 'stable') return 'stable';
  if (mode === 'hash') return 'sha';
  return (custom && parseVersion(custom.clusterStack, 'dot')?.channel) || 'custom';
}

/** The release name planning would look up as "this exact release" (hash and custom modes), if any. */
export function exactReleaseName(mode: VersionMode, prefix: string, clusterStackHash: string, custom?: ComponentVersions): string | undefined {
  if (mode === 'hash') return `${prefix}-v0-sha-${clusterStackHash.slice(0, 7)}`;
  if (mode === 'custom' && custom) return `${prefix}-${custom.clusterStack.replace('.', '-')}`;
  return undefined;
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

/** Decides one target; `issues` are its problems when no plan can be made. */
export function decideTarget(t: TargetInputs, mode: VersionMode, custom?: ComponentVersions): { plan?: TargetPlan; issues: Issue[] } {
  const digests = Object.entries(t.files).map(([path, sha256]) => ({ path, sha256 }));
  const hashes = treeHashes(digests);
  const prev = t.previous;
  let decided: VersionPlan;
  try {
    decided = planVersions({ mode, hashes, previous: prev?.release, custom });
  } catch (error) {
    if (error instanceof ValidationFailed) return { issues: error.issues.map((i) => ({ ...i, location: i.location ?? t.target.location })) };
    throw error;
  }
  const { names, issues: nameIssues } = buildReleaseNames({ provider: t.stack.provider, name: t.stack.name, kubernetesVersion: t.target.version, version: decided.versions.clusterStack });
  if (!names) return { issues: nameIssues };
  const hasFileList = prev?.sourceFiles !== undefined;
  const changedFiles = hasFileList ? diffFiles(prev?.sourceFiles ?? {}, t.files) : {};
  return {
    issues: decided.issues,
    plan: {
      stack: t.stack.displayDir,
      stackDir: t.stack.dir,
      provider: t.stack.provider,
      name: t.stack.name,
      kubernetesVersion: t.target.version,
      minor: `${t.target.major}.${t.target.minor}`,
      channel: channelFor(mode, custom),
      mode,
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
      charts: t.charts,
      input: { hash: t.stack.inputHash, targets: t.stack.targets },
      issues: [],
    },
  };
}

/**
 * The plan of every target, in the order gathered; a target gets its own issues followed by its decision's,
 * and a target that cannot be planned adds them to the plan's issues. Pure: the same inputs give the same JSON.
 */
export function planRelease(inputs: ReleaseInputs): BuildPlan {
  const plan: BuildPlan = { mode: inputs.mode, targets: [], issues: [...inputs.issues] };
  for (const entry of inputs.entries) {
    if (entry.kind === 'decided') plan.targets.push(entry.plan);
    else if (entry.kind === 'issues') plan.issues.push(...entry.issues);
    else {
      const decided = decideTarget(entry, inputs.mode, inputs.custom);
      if (decided.plan) plan.targets.push({ ...decided.plan, issues: [...entry.issues, ...decided.issues] });
      else plan.issues.push(...entry.issues, ...decided.issues);
    }
  }
  return plan;
}
