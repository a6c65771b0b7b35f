/**
 * csctl's component hashes (release-format.md §10, §14) over a materialised tree whose files are already
 * digested, so each file is hashed once however many components it belongs to. Same values as
 * `stackHashesFromFiles` in pipeline/version.
 */
import { cleanHash, hash1 } from './dirhash.js';
import { stackComponentNames, type StackHashes } from './stack-hashes.js';
import type { Component, FileChanges } from './tree-types.js';

/** A file of a tree as hashing sees it: path and content digest. */
type FileDigest = { path: string; sha256: string };

function dirHash(files: readonly FileDigest[], dir: string): string {
  const inside = files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => ({ path: f.path.slice(dir.length + 1), sha256: f.sha256 }));
  return inside.length === 0 ? '' : cleanHash(hash1(inside));
}

/** Cleaned hashes of the tree: whole stack, cluster-addon/, cluster-class/, node-image/, values file. */
export function treeHashes(files: readonly FileDigest[]): StackHashes {
  const values = files.find((f) => f.path === stackComponentNames.clusterAddonValues);
  return {
    clusterStack: cleanHash(hash1(files)),
    clusterAddonDir: dirHash(files, stackComponentNames.clusterAddonDir),
    clusterAddonValues: values ? cleanHash(Buffer.from(values.sha256, 'hex').toString('base64')) : '',
    clusterClassDir: dirHash(files, stackComponentNames.clusterClassDir),
    nodeImageDir: dirHash(files, stackComponentNames.nodeImageDir),
  };
}

/** The component a tree path belongs to (for explaining which versions move). */
export function componentOf(file: string): Component {
  if (file.startsWith('cluster-class/')) return 'clusterClass';
  if (file.startsWith('cluster-addon/') || file === stackComponentNames.clusterAddonValues) return 'clusterAddon';
  if (file.startsWith('node-image/')) return 'nodeImage';
  return 'stack';
}

/** Per-component added, removed and modified paths between two `path → sha256` maps. */
export function diffFiles(previous: Record<string, string>, current: Record<string, string>): Partial<Record<Component, FileChanges>> {
  const out: Partial<Record<Component, FileChanges>> = {};
  const at = (p: string): FileChanges => (out[componentOf(p)] ??= { added: [], removed: [], modified: [] });
  for (const [p, digest] of Object.entries(current)) {
    const before = previous[p];
    if (before === undefined) at(p).added.push(p);
    else if (before !== digest) at(p).modified.push(p);
  }
  for (const p of Object.keys(previous)) if (current[p] === undefined) at(p).removed.push(p);
  for (const changes of Object.values(out)) for (const list of [changes.added, changes.removed, changes.modified]) list.sort();
  return out;
}
