/** Stage `version`: release names, version planning (stable, hash, custom modes as csctl) and the content hashes behind them. */
export { compareVersions, formatVersion, parseVersion } from './versions.js';
export { hashModeVersion, planVersions, type ComponentVersions, type HashChange, type PreviousRelease, type VersionMode, type VersionPlan } from './plan.js';
export { buildReleaseNames, clusterAddonArchiveName, formatClusterClassName, formatReleasePrefix, parseClusterClassName, parseReleaseName, validateReleaseName, type ReleaseName } from './release-name.js';
export { computeStackHashes, stackComponentNames, stackHashesFromFiles, type StackHashes } from './stack-hashes.js';
export { byteOrder, cleanHash, hash1 } from './dirhash.js';
export { componentOf, diffFiles, treeHashes } from './tree-hashes.js';
export type { Component, FileChanges, SourceTree, TreeFile, VendoredChart } from './tree-types.js';
export { targetHashVersion } from './target-version.js';
export { helmLockDigest } from './helm-lock-digest.js';

// materialize.ts brings the stack stage and yaml with it: loaded on first use, so readers of release names and
// versions (the ledger, publish) do not pay for it (issue 16).
type Materialize = typeof import('./materialize.js');
export type { MaterializeOptions } from './materialize.js';

/** The source tree of `stack` for one Kubernetes target (see materialize.ts). */
export async function materializeTarget(...args: Parameters<Materialize['materializeTarget']>): ReturnType<Materialize['materializeTarget']> {
  return (await import('./materialize.js')).materializeTarget(...args);
}

/** Every file of the stack folder, as the hashes read them (see materialize.ts). */
export async function readStackFiles(...args: Parameters<Materialize['readStackFiles']>): ReturnType<Materialize['readStackFiles']> {
  return (await import('./materialize.js')).readStackFiles(...args);
}
