/** Stage `version`: release names, version planning (stable, hash, custom modes as csctl) and the content hashes behind them. */
export { compareVersions, formatVersion, parseVersion } from './versions.js';
export { hashModeVersion, planVersions, type ComponentVersions, type HashChange, type PreviousRelease, type VersionMode, type VersionPlan } from './plan.js';
export { buildReleaseNames, clusterAddonArchiveName, formatClusterClassName, formatReleasePrefix, parseClusterClassName, parseReleaseName, validateReleaseName, type ReleaseName } from './release-name.js';
export { computeStackHashes, stackComponentNames, stackHashesFromFiles, type StackHashes } from './stack-hashes.js';
export { byteOrder, cleanHash, hash1 } from './dirhash.js';
export { materializeTarget, readStackFiles, targetPrefix, type MaterializeOptions } from './materialize.js';
export { componentOf, diffFiles, treeHashes } from './tree-hashes.js';
export type { Component, FileChanges, SourceTree, TreeFile, VendoredChart } from './tree-types.js';
export { targetHashVersion } from './target-version.js';
export { helmLockDigest, lockDigestOf } from './chart-lock.js';
