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
