/** Temporary workspaces for build tests: copies of stacks, a chart cache from the shared fixture charts. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chartsDir } from './paths.js';

/** A fresh temp folder; remove it with `fs.rm(dir, { recursive: true })`. */
export async function tempDir(prefix = 'csp-build-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Copies a stack folder (the fixtures are read-only: the copy is made writable). */
export async function copyStack(from: string, to: string): Promise<string> {
  await fs.cp(from, to, { recursive: true });
  const visit = async (dir: string): Promise<void> => {
    await fs.chmod(dir, 0o755);
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(p);
      else if (entry.isFile()) await fs.chmod(p, 0o644);
    }
  };
  await visit(to);
  return to;
}

/** A chart cache (`by-name/<chart>/<version>.tgz`, as csp deps lays it out) holding every shared fixture chart. */
export async function fixtureChartCache(dir: string): Promise<string> {
  for (const file of await fs.readdir(chartsDir)) {
    const m = /^(.+)-(\d+\.\d+\.\d+)\.tgz$/.exec(file);
    if (!m?.[1] || !m[2]) continue;
    await fs.mkdir(path.join(dir, 'by-name', m[1]), { recursive: true });
    await fs.copyFile(path.join(chartsDir, file), path.join(dir, 'by-name', m[1], `${m[2]}.tgz`));
  }
  return dir;
}

/** Every file below `dir` (relative), or [] when it does not exist. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}
