/**
 * Paths csp builds from input (chart names, versions, digests): each piece must be one plain path
 * component, so a name like `../../../../tmp/x` can never place a file outside csp's own folders.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InternalError, UserInputError, type Issue, type Location } from './errors.js';

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

/**
 * Replaces the folder `dir` with exactly `files` (relative `/` paths), all or nothing: the files go
 * to a fresh temporary folder beside it, which is then renamed into place. `dir` may be absent, empty,
 * or an earlier csp output; a link, a file, or a folder of someone else's files is refused.
 */
export async function replaceOutputDir(dir: string, files: { path: string; data: string | Uint8Array }[]): Promise<void> {
  const refuse = (code: string, message: string): never => {
    throw new UserInputError(code, message, { details: 'Pass --out a new folder, or one csp wrote before (it holds a .csp-output file).', location: { file: dir } });
  };
  const stat = await fs.lstat(dir).catch(() => undefined);
  if (stat?.isSymbolicLink()) refuse('OUT_DIR_LINK', `${dir} is a symbolic link; csp does not write through links`);
  if (stat && !stat.isDirectory()) refuse('OUT_DIR_NOT_A_FOLDER', `${dir} exists and is not a folder`);
  if (stat && !isOutputDir(dir) && (await fs.readdir(dir)).length > 0) refuse('OUT_DIR_NOT_EMPTY', `${dir} holds files csp did not write`);
  for (const file of files) {
    if (!file.path.split('/').every(isSafeSegment)) throw new InternalError('OUT_PATH_UNSAFE', `output path ${JSON.stringify(file.path)} is not a plain relative path`);
  }
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    await fs.writeFile(path.join(tmp, OUTPUT_MARKER), 'This folder is written by csp (cluster stack pipeline); it is never read as stack input.\n');
    for (const file of files) {
      const target = path.join(tmp, ...file.path.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, file.data, { flag: 'wx' });
    }
    const old = `${tmp}.old`;
    if (stat) await fs.rename(dir, old);
    await fs.rename(tmp, dir);
    await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
