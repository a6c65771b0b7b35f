/** Lists a stack's files and enforces the file rules: size limit, no links leaving the stack. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { MAX_FILE_BYTES, checkInside } from '../core/source.js';

export interface WalkResult {
  /** Relative '/'-separated paths of regular files (and links that stay inside), byte-order sorted. */
  files: string[];
  /** Relative paths that are symbolic links. */
  links: string[];
  issues: Issue[];
}

/** Walks `root` recursively. `display` turns a relative path into what the user sees. */
export async function walkStack(root: string, display: (rel: string) => string): Promise<WalkResult> {
  const files: string[] = [];
  const links: string[] = [];
  const issues: Issue[] = [];
  const visit = async (rel: string): Promise<void> => {
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
        if (stat.isDirectory()) await visit(childRel);
        else files.push(childRel);
        continue;
      }
      if (entry.isDirectory()) {
        await visit(childRel);
      } else if (entry.isFile()) {
        const stat = await fs.stat(childAbs);
        if (stat.size > MAX_FILE_BYTES) {
          issues.push({
            severity: 'error',
            code: 'FILE_TOO_LARGE',
            message: `${display(childRel)} is ${stat.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`,
            hint: 'Keep large binaries (disk images, archives) out of stack folders.',
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
  await visit('');
  files.sort(byteOrder);
  return { files, links, issues };
}

/** Sorts strings by UTF-8 byte order (Go's sort.Strings), not UTF-16 code units. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
