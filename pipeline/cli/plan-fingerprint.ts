/**
 * The stat fingerprint behind the plan cache: every folder and file below some roots, with mode, size, inode,
 * mtime and ctime, compared exactly. Node built-ins only (bin/csp.js runs it in the main thread on every plan).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Most entries fingerprinted (beyond: not cached). */
export const MAX_FILES = 200_000;

/** Every file and folder below the roots, in walk order, and their stats. */
export interface Fingerprint {
  /** `d DIR`, `f FILE` or `- MISSING` lines. */
  paths: string;
  /** Five numbers per folder and file (mode, size, inode, mtime, ctime) as a base64 Float64Array (exact). */
  stats: string;
}

/**
 * A folder's listing as read when its stat was `stat`: reused instead of reading the folder again while the
 * folder's stat is unchanged (adding, removing or renaming an entry changes a folder's mtime and ctime).
 * Only recorded for folders not changed within the racy window (a same-tick change would keep the stat).
 */
export type Listing = [stat: string, names: string[], kinds: string];

export interface WalkOptions {
  /** A folder never walked (the plan cache's own). */
  skip: string;
  onFile?: (file: string, st: fs.Stats) => void;
  /** Called for each folder read from disk, with its stat and listing (to record it). */
  onListing?: (dir: string, st: fs.Stats, listing: Listing) => void;
  /** Listings recorded before, by folder. */
  listings?: Record<string, Listing>;
}

const statKey = (st: fs.Stats) => `${st.mode} ${st.ino} ${st.mtimeMs} ${st.ctimeMs}`;

/**
 * The fingerprint of everything below `roots`, or undefined when an input cannot be trusted by stat: a link, a
 * special file, a link as root, or too many entries. Plain on purpose (it runs on every cached plan): number
 * stats (sub-microsecond times), readdir order (the same for an unchanged folder; another order is only a miss),
 * exact comparison instead of a hash (no crypto to load), and unchanged folders not read again.
 */
export function fingerprint(roots: readonly string[], options: WalkOptions): Fingerprint | undefined {
  const paths: string[] = [];
  const nums: number[] = [];
  const add = (kind: 'f' | 'd', name: string, st: fs.Stats) => {
    paths.push(`${kind} ${name}`);
    nums.push(st.mode, kind === 'f' ? st.size : 0, st.ino, st.mtimeMs, st.ctimeMs);
  };
  const walk = (dir: string, st: fs.Stats): boolean => {
    add('d', dir, st);
    const known = options.listings?.[dir];
    let names: string[];
    let kinds: string;
    if (known && known[0] === statKey(st)) [, names, kinds] = known;
    else {
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      names = entries.map((e) => e.name);
      kinds = entries.map((e) => (e.isDirectory() ? 'd' : e.isFile() ? 'f' : '?')).join('');
      options.onListing?.(dir, st, [statKey(st), names, kinds]);
    }
    for (let i = 0; i < names.length; i += 1) {
      if (paths.length > MAX_FILES) return false;
      const full = `${dir}${path.sep}${names[i]}`;
      const kind = kinds[i];
      if (kind === 'd') {
        if (full === options.skip) continue;
        const sub = fs.lstatSync(full);
        if (!sub.isDirectory() || !walk(full, sub)) return false;
      } else if (kind === 'f') {
        const file = fs.lstatSync(full);
        if (!file.isFile()) return false;
        options.onFile?.(full, file);
        add('f', full, file);
      } else return false;
    }
    return true;
  };
  for (const root of roots) {
    const top = fs.lstatSync(root, { throwIfNoEntry: false });
    if (!top) paths.push(`- ${root}`);
    else if (top.isFile()) {
      options.onFile?.(root, top);
      add('f', root, top);
    } else if (!top.isDirectory() || !walk(root, top)) return undefined;
  }
  return { paths: paths.join('\n'), stats: Buffer.from(Float64Array.from(nums).buffer).toString('base64') };
}

/**
 * Whether everything below `roots` still has the stats of `expected`, checked in place (no fingerprint built):
 * true or false when every folder has a recorded listing, undefined when one has none (a folder young at the
 * snapshot) and the caller must compare a full `fingerprint`. A folder's own stat is compared before its
 * listing is used, so a listing is only trusted for the folder state it was read in.
 */
export function matchesFingerprint(roots: readonly string[], expected: Fingerprint, options: WalkOptions): boolean | undefined {
  const buf = Buffer.from(expected.stats, 'base64');
  if (buf.byteLength % 8 !== 0) return false;
  const want = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const listings = options.listings ?? {};
  let i = 0;
  const same = (kind: 'f' | 'd', st: fs.Stats): boolean => {
    const ok = i + 5 <= want.length && want[i] === st.mode && want[i + 1] === (kind === 'f' ? st.size : 0) && want[i + 2] === st.ino && want[i + 3] === st.mtimeMs && want[i + 4] === st.ctimeMs;
    i += 5;
    return ok;
  };
  const walk = (dir: string, st: fs.Stats): boolean | undefined => {
    if (!st.isDirectory() || !same('d', st)) return false;
    const known = Object.hasOwn(listings, dir) ? listings[dir] : undefined;
    if (!known) return undefined;
    const [, names, kinds] = known;
    for (let k = 0; k < names.length; k += 1) {
      const full = `${dir}${path.sep}${names[k]}`;
      if (kinds[k] === 'd') {
        if (full === options.skip) continue;
        const sub = walk(full, fs.lstatSync(full));
        if (sub !== true) return sub;
      } else {
        const file = fs.lstatSync(full);
        if (!file.isFile() || !same('f', file)) return false;
        options.onFile?.(full, file);
      }
    }
    return true;
  };
  const tops = roots.map((root) => fs.lstatSync(root, { throwIfNoEntry: false }));
  const missingThen = (root: string) =>
    expected.paths.startsWith(`- ${root}\n`) || expected.paths.includes(`\n- ${root}\n`) || expected.paths.endsWith(`\n- ${root}`) || expected.paths === `- ${root}`;
  if (roots.some((root, n) => missingThen(root) !== !tops[n])) return false;
  // A root folder without a listing (young at the snapshot, e.g. a ledger just written): undecided before any walk.
  if (roots.some((root, n) => tops[n]?.isDirectory() && !Object.hasOwn(listings, root))) return undefined;
  for (const [n, root] of roots.entries()) {
    const top = tops[n];
    if (!top) continue;
    if (top.isFile()) {
      if (!same('f', top)) return false;
      options.onFile?.(root, top);
    } else {
      const result = walk(root, top);
      if (result !== true) return result;
    }
  }
  return i === want.length;
}
