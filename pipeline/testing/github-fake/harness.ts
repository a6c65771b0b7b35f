/** Test helpers around the fake GitHub: a capturing logger and release files in a temporary directory. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLog, type Log } from '../../core/log.js';

/** A verbose logger that keeps every line it would print. */
export function captureLog(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  return { log: createLog({ verbose: true, write: (line) => lines.push(line) }), lines };
}

/** Writes `name → content` files into a fresh temporary directory and returns them as release files. */
export async function writeReleaseFiles(contents: Record<string, string | Uint8Array>): Promise<{ dir: string; files: Array<{ name: string; path: string }> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-gh-'));
  const files: Array<{ name: string; path: string }> = [];
  for (const [name, content] of Object.entries(contents)) {
    const file = path.join(dir, name);
    await fs.writeFile(file, content);
    files.push({ name, path: file });
  }
  return { dir, files };
}

/** A typical new-convention release (release-format.md §5) with small but distinct contents. */
export function sampleRelease(tag: string, salt = ''): Record<string, string> {
  const stack = tag.replace(/-v\d+$/, '');
  const version = tag.slice(stack.length + 1);
  return {
    'metadata.yaml': `apiVersion: metadata.clusterstack.x-k8s.io/v1alpha1\nversions:\n  clusterStack: ${version}\n  kubernetes: v1.34.7\n${salt}`,
    'hashes.json': JSON.stringify({ clusterStack: `h-${tag}${salt}` }),
    'clusteraddon.yaml': 'apiVersion: clusteraddonconfig.x-k8s.io/v1alpha1\nclusterAddonVersion: clusteraddons.clusterstack.x-k8s.io/v1alpha1\n',
    [`${stack}-cluster-class-${version}.tgz`]: `class-${tag}${salt}`.repeat(50),
    [`${stack}-cluster-addon-${version}.tgz`]: `addon-${tag}${salt}`.repeat(80),
  };
}
