/**
 * The component hashes of one stack directory, as csctl's `GetHash` computes them (release-format.md §10, §14),
 * plus `clusterClassDir`, which csctl main lacks and csp uses to release cluster-class-only changes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { cleanHash, hashDirClean, hashFiles, hashValuesFile, type FileEntry } from './dirhash.js';

/** Cleaned hashes of a stack; an empty string means the directory or file is absent (csctl writes ""). */
export interface StackHashes {
  clusterStack: string;
  clusterAddonDir: string;
  clusterAddonValues: string;
  clusterClassDir: string;
  /** Omitted from `hashes.json` when empty, as csctl's `omitempty` does. */
  nodeImageDir: string;
}

/** Directory and file names csctl looks at directly below the stack root. */
export const stackComponentNames = {
  clusterAddonDir: 'cluster-addon',
  clusterClassDir: 'cluster-class',
  nodeImageDir: 'node-image',
  clusterAddonValues: 'cluster-addon-values.yaml',
} as const;

type DirKey = 'clusterAddonDir' | 'clusterClassDir' | 'nodeImageDir';
const dirKeys: DirKey[] = ['clusterAddonDir', 'clusterClassDir', 'nodeImageDir'];

/** Hashes a stack directory on disk: whole stack, `cluster-addon/`, `cluster-class/`, `node-image/`, values file. */
export async function computeStackHashes(stackDir: string): Promise<StackHashes> {
  const result: StackHashes = {
    clusterStack: await hashDirClean(stackDir),
    clusterAddonDir: '',
    clusterAddonValues: '',
    clusterClassDir: '',
    nodeImageDir: '',
  };
  const entries = await fs.readdir(stackDir, { withFileTypes: true });
  for (const entry of entries) {
    const abs = path.join(stackDir, entry.name);
    // csctl uses DirEntry.IsDir(), which is false for a symlink: a linked component folder is not hashed.
    const key = dirKeys.find((k) => stackComponentNames[k] === entry.name);
    if (key && entry.isDirectory()) result[key] = await hashDirClean(abs);
    else if (!entry.isDirectory() && entry.name === stackComponentNames.clusterAddonValues) {
      result.clusterAddonValues = hashValuesFile(await fs.readFile(abs));
    }
  }
  return result;
}

/** The same hashes over an in-memory stack (relative `/` paths from the stack root). */
export function stackHashesFromFiles(files: readonly FileEntry[]): StackHashes {
  const under = (dir: string): FileEntry[] =>
    files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => ({ path: f.path.slice(dir.length + 1), data: f.data }));
  const dirHash = (dir: string): string => {
    const inside = under(dir);
    return inside.length === 0 ? '' : cleanHash(hashFiles(inside));
  };
  const values = files.find((f) => f.path === stackComponentNames.clusterAddonValues);
  return {
    clusterStack: cleanHash(hashFiles(files)),
    clusterAddonDir: dirHash(stackComponentNames.clusterAddonDir),
    clusterAddonValues: values ? hashValuesFile(values.data) : '',
    clusterClassDir: dirHash(stackComponentNames.clusterClassDir),
    nodeImageDir: dirHash(stackComponentNames.nodeImageDir),
  };
}
