/** The per-target source tree of a stack (what csctl would be given for one Kubernetes minor) and its changes. */
import type { StoredFile } from '../core/stored-file.js';

/** One file of the per-target source tree (what csctl would be given for this Kubernetes minor). */
export interface TreeFile {
  path: string;
  /** The bytes; for a stored (large) file a getter that reads the file whole on each use: stream `stored` instead. */
  data: Buffer;
  sha256: string;
  /** Set for a large file left on disk. */
  stored?: StoredFile;
}

/** A dependency chart placed into an addon chart's `charts/` for one target. */
export interface VendoredChart {
  addon: string;
  name: string;
  version: string;
  repository?: string;
  /** `sha256:<hex>` of the archive. */
  digest: string;
  source: 'vendored' | 'cache';
  path: string;
}

/** The materialised tree of one stack × Kubernetes target. */
export interface SourceTree {
  files: TreeFile[];
  charts: VendoredChart[];
}

/** Per-component file changes against the previous release (paths in the per-target tree). */
export interface FileChanges {
  added: string[];
  removed: string[];
  modified: string[];
}

/** Components whose files are grouped in a plan. */
export type Component = 'clusterClass' | 'clusterAddon' | 'nodeImage' | 'stack';
