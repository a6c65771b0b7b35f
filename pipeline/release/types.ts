/** Data passed between planning and building; everything except SourceTree is plain JSON. */
import type { Issue } from '../core/errors.js';
import type { ReleaseLine } from '../ledger/index.js';
import type { Component, ComponentVersions, FileChanges, HashChange, PreviousRelease, SourceTree, StackHashes, TreeFile, VendoredChart, VersionMode } from '../version/index.js';

export type { Component, FileChanges, SourceTree, TreeFile, VendoredChart };

/** The previous release a target is compared with. */
export interface PreviousSummary {
  name: string;
  versions: ComponentVersions;
  /** Path of its ledger record (absent when it was found through `--previous-from`). */
  record?: string;
  /** Where it was found when not in the ledger: `oci://HOST/REPO:TAG` or `github:OWNER/REPO@TAG`. */
  source?: string;
}

/** The decision for one stack × Kubernetes minor. */
export interface TargetPlan {
  stack: string;
  stackDir: string;
  provider: string;
  name: string;
  /** Full Kubernetes version without `v`, e.g. `1.32.5`. */
  kubernetesVersion: string;
  /** `1.32`. */
  minor: string;
  channel: string;
  mode: VersionMode;
  action: 'release' | 'none';
  releaseName: string;
  clusterClassName: string;
  versions: ComponentVersions;
  why: Record<keyof ComponentVersions, string>;
  hashes: StackHashes;
  hashChanges: HashChange[];
  previous?: PreviousSummary;
  /** Which files moved, by component; empty when there is no previous record with per-file hashes. */
  changedFiles: Partial<Record<Component, FileChanges>>;
  /** Components whose files are identical to the previous release. */
  unchanged: Component[];
  charts: VendoredChart[];
  /** Container images the rendered charts reference (set by csp build's render check). */
  images?: string[];
  /** csctl's hash of the stack folder as read, and every Kubernetes version it lists (stored in the record). */
  input: { hash: string; targets: string[] };
  /** Nothing to release, but these `--previous-from` targets lack the current release (`publish-incomplete`). */
  incomplete?: string[];
  issues: Issue[];
}

/** A whole plan: every target of every stack, plus stack-level problems. */
export interface BuildPlan {
  mode: VersionMode;
  targets: TargetPlan[];
  issues: Issue[];
}

/** A previous release found outside the ledger: its name, where it was read, and what version planning needs. */
export interface RemotePrevious {
  name: string;
  /** `oci://HOST/REPO:TAG` or `github:OWNER/REPO@TAG`. */
  source: string;
  previous: PreviousRelease;
}

/** Where planning looks for a line the ledger has none of (implemented by publish's `createPreviousFinder`). */
export interface PreviousFinder {
  find(line: ReleaseLine, exactName?: string): Promise<RemotePrevious | undefined>;
  /** The sources (as written on the command line) that do not list release `name`: where it is incomplete. */
  lacking?(name: string): Promise<string[]>;
}
