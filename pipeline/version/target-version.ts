/**
 * The version a target gets without a ledger: csctl's hash mode over the per-target tree. `csp render` (no
 * --version) and `csp build --mode hash` both come here, so the ClusterClass name they produce is the same.
 */
import type { KubernetesTarget, Stack } from '../stack/index.js';
import type { MaterializeOptions } from './materialize.js';
import { hashModeVersion } from './plan.js';
import { treeHashes } from './tree-hashes.js';

/** `v0-sha.<7>` of the target's materialised tree (release-format.md §14), as `csp build --mode hash` releases it. */
export async function targetHashVersion(stack: Stack, target: KubernetesTarget, options: MaterializeOptions = {}): Promise<string> {
  // Loaded here, not at the top: see index.ts.
  const { materializeTarget } = await import('./materialize.js');
  const tree = await materializeTarget(stack, target, options);
  return hashModeVersion(treeHashes(tree.files).clusterStack);
}
