/**
 * Paths csp builds from input (chart names, versions, digests): each piece must be one plain path
 * component, so a name like `../../../../tmp/x` can never place a file outside csp's own folders.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue, Location } from './errors.js';

/** True when `segment` is one path component: not empty, `.` or `..`, no separator, no NUL. */
export function isSafeSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[/\\\0]/.test(segment) && segment.length <= 255;
}

/** True when `target` is `root` or lies below it (lexically, after resolving both). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The issue for a name or version that cannot be used as a path component. */
export function unsafeSegmentIssue(what: string, value: string, location?: Location): Issue {
  return {
    severity: 'error',
    code: 'PATH_UNSAFE',
    message: `${what} ${JSON.stringify(value)} cannot be used as a file name (it holds a path separator, "..", or is empty)`,
    hint: 'Chart names are letters, digits, ".", "-" and "_" (Helm\'s rule); versions are semantic versions.',
    location,
  };
}

/**
 * The file csp puts in every folder it writes as output (bundles, chart cache, a ledger it creates):
 * walks and hashes skip a folder holding it, so running csp inside a stack folder never feeds csp's
 * own outputs back into the stack (and into its content hash).
 */
export const OUTPUT_MARKER = '.csp-output';

/** Creates `dir` if needed and marks it as csp output; `onlyIfNew` leaves existing folders unmarked (a committed ledger). */
export async function markOutputDir(dir: string, options: { onlyIfNew?: boolean } = {}): Promise<void> {
  const existed = fsSync.existsSync(dir);
  if (existed && options.onlyIfNew) return;
  await fs.mkdir(dir, { recursive: true });
  const marker = path.join(dir, OUTPUT_MARKER);
  if (!fsSync.existsSync(marker)) await fs.writeFile(marker, 'This folder is written by csp (cluster stack pipeline); it is never read as stack input.\n');
}

/** True when the folder `dir` is marked as csp output. */
export function isOutputDir(dir: string): boolean {
  return fsSync.existsSync(path.join(dir, OUTPUT_MARKER));
}
