/** Lists a stack's files and enforces the file rules: size limit, no links leaving the stack. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { limitEnvName, limits } from '../core/limits.js';
import { isOutputDir } from '../core/paths.js';
import { checkInside } from '../core/source.js';

export interface WalkResult {
  /** Relative '/'-separated paths of regular files (and links that stay inside), byte-order sorted. */
  files: string[];
  /** Relative paths that are symbolic links. */
  links: string[];
  issues: Issue[];
}

/**
 * Walks `root` recursively. `display` turns a relative path into what the user sees. Every folder is
 * entered once (by device and inode), so links that loop (`ln -s . loop`) end the walk instead of
 * repeating it, and nesting stops at limits().walkDepth.
 */
export async function walkStack(root: string, display: (rel: string) => string): Promise<WalkResult> {
  const files: string[] = [];
  const links: string[] = [];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const rootStat = await fs.stat(root);
  seen.add(`${rootStat.dev}:${rootStat.ino}`);
  const enter = async (rel: string, stat: { dev: number; ino: number }, depth: number): Promise<void> => {
    if (isOutputDir(path.join(root, rel))) return; // csp's own output (out/, .csp-cache/, releases/) is never stack input
    const key = `${stat.dev}:${stat.ino}`;
    if (seen.has(key)) {
      issues.push({
        severity: 'error',
        code: 'STACK_LINK_LOOP',
        message: `${display(rel)} leads back to a folder already walked (a link loop)`,
        hint: 'Remove the symbolic link; stack folders hold real files.',
        location: { file: display(rel) },
      });
      return;
    }
    if (depth > limits().walkDepth) {
      issues.push({
        severity: 'error',
        code: 'STACK_TOO_DEEP',
        message: `${display(rel)} is nested more than ${limits().walkDepth} folders deep`,
        hint: `Flatten the folder structure (${limitEnvName('walkDepth')} raises the limit; docs/limits.md).`,
        location: { file: display(rel) },
      });
      return;
    }
    seen.add(key);
    await visit(rel, depth);
  };
  const visit = async (rel: string, depth: number): Promise<void> => {
    const abs = path.join(root, rel);
    const entries = await fs.readdir(abs, { withFileTypes: true });
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(root, childRel);
      if (entry.isSymbolicLink()) {
        links.push(childRel);
        const escape = await checkInside(root, childAbs, display(childRel));
        if (escape) {
          issues.push(escape);
          continue;
        }
        issues.push({
          severity: 'warning',
          code: 'STACK_SYMLINK',
          message: `${display(childRel)} is a symbolic link`,
          hint: 'CSO rejects links in release archives and csp build refuses them; replace the link with a real file.',
          location: { file: display(childRel) },
        });
        const stat = await fs.stat(childAbs);
        if (stat.isDirectory()) await enter(childRel, stat, depth + 1);
        else files.push(childRel);
        continue;
      }
      if (entry.isDirectory()) {
        await enter(childRel, await fs.stat(childAbs), depth + 1);
      } else if (entry.isFile()) {
        const stat = await fs.stat(childAbs);
        if (stat.size > limits().stackFileBytes) {
          issues.push({
            severity: 'error',
            code: 'FILE_TOO_LARGE',
            message: `${display(childRel)} is ${stat.size} bytes, over the ${limits().stackFileBytes}-byte limit`,
            hint: `Keep large binaries (disk images, archives) out of stack folders (${limitEnvName('stackFileBytes')} raises the limit; docs/limits.md).`,
            location: { file: display(childRel) },
          });
        }
        files.push(childRel);
      } else {
        issues.push({
          severity: 'error',
          code: 'FILE_NOT_REGULAR',
          message: `${display(childRel)} is neither a file nor a folder`,
          hint: 'Remove sockets, pipes and devices from the stack folder.',
          location: { file: display(childRel) },
        });
      }
    }
  };
  await visit('', 0);
  files.sort(byteOrder);
  return { files, links, issues };
}

/** Sorts strings by UTF-8 byte order (Go's sort.Strings), not UTF-16 code units. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
