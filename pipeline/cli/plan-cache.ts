/**
 * The no-op plan cache (issue 16): `csp plan` stores what it printed under `.csp-cache/plan/`, keyed by the
 * exact command line, folder, environment and csp itself, with a stat fingerprint of every input it reads
 * (stack folders, ledger, chart cache, csp's own files). The next identical run stats everything (no reads,
 * no YAML, no worker) and, if nothing moved, prints the stored answer. Node built-ins only: bin/csp.js loads
 * this in the main thread before deciding to start the worker.
 */
import type { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint, matchesFingerprint, type Fingerprint, type Listing } from './plan-fingerprint.js';

/** What a run printed, in order (1 stdout, 2 stderr), and its exit code. */
export interface PlanAnswer {
  writes: [1 | 2, string][];
  code: number;
}

/** The inputs of one run, stat'ed before planning: the fingerprint and the content of files too new to trust by stat. */
export interface PlanSnapshot {
  roots: string[];
  /** Wall-clock ms when the stats were taken. */
  taken: number;
  fingerprint: Fingerprint;
  /** Absolute path → sha256 of each "racy" file (changed within RACY_MS of `taken`: a same-tick edit keeps its stat). */
  racy: Record<string, string>;
  /** Listings of the folders older than RACY_MS, reused while their stat is unchanged. */
  listings: Record<string, Listing>;
}

interface Entry extends PlanAnswer {
  format: typeof FORMAT;
  key: string;
  roots: string[];
  fingerprint: Fingerprint;
  racy: Record<string, string>;
  listings: Record<string, Listing>;
}

const FORMAT = 'csp-plan-cache/2';
/** Coarsest file-time granularity we allow for (FAT: 2 s); younger files are checked by content. */
export const RACY_MS = 2000;
/** Bounds: entries kept, bytes of one entry (bigger answers are not cached). */
export const MAX_ENTRIES = 16;
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
/** Environment variables that can change what plan prints (limits, Actions annotations, credentials). */
const ENV_PATTERN = /^(CSP_|GITHUB_|GH_|RUNNER_|ACTIONS_|OCI_|DOCKER_CONFIG$|CI$|HOME$|NO_COLOR$|FORCE_COLOR$|SOURCE_DATE_EPOCH$|TZ$)/;

/** The plan cache folder of a working directory. */
export function planCacheDir(cwd: string): string {
  return path.join(cwd, '.csp-cache', 'plan');
}

/** True when the working folder has csp's cache folder, where plan answers are kept. */
export function canStorePlan(cwd: string): boolean {
  return fs.existsSync(path.dirname(planCacheDir(cwd)));
}

/** Variables whose values must never be written down; only a digest of them enters the key. */
const SECRET_PATTERN = /TOKEN|PASSWORD|SECRET|KEY/i;

/**
 * Everything but the file inputs that the answer depends on: format, Node version, the command line, the folder
 * and the variables that can change what plan prints (limits, Actions annotations, the secrets redacted from
 * output). Secrets appear only as a SHA-256 (crypto is loaded only then), so the text can be stored.
 */
export async function planCacheKey(argv: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<string> {
  const names = Object.keys(env).filter((k) => ENV_PATTERN.test(k) && env[k] !== undefined).sort();
  const secrets = names.filter((k) => SECRET_PATTERN.test(k));
  const secretDigest = secrets.length
    ? (await import('node:crypto')).createHash('sha256').update(JSON.stringify(secrets.map((k) => [k, env[k]]))).digest('hex')
    : '';
  const vars = names.filter((k) => !SECRET_PATTERN.test(k)).map((k) => [k, env[k]]);
  return JSON.stringify([FORMAT, process.version, argv, cwd, vars, secretDigest]);
}

/** The entry file of a key: a 64-bit FNV-1a of its text (a collision is only a miss: the key is stored and compared). */
function entryName(key: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 + 2) >>> 0;
  }
  return `${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}.json`;
}

/** csp's own files (code, schemas, dependency lock) are inputs too: a rebuilt or updated csp never replays. */
export function installRoots(): string[] {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const roots = ['package.json', 'bin', 'dist', 'schemas', 'node_modules/.package-lock.json'].map((p) => path.join(dir, p));
  // Installed as a dependency, csp's own dependencies may be hoisted into the enclosing node_modules.
  if (path.basename(path.dirname(dir)) === 'node_modules') roots.push(path.join(path.dirname(dir), '.package-lock.json'));
  return roots;
}

/** Changed within RACY_MS of `now` (or in the future): a later edit in the same clock tick would keep this stat. */
function isYoung(st: fs.Stats, now: number): boolean {
  return st.mtimeMs >= now - RACY_MS || st.ctimeMs >= now - RACY_MS;
}

function sha256File(hasher: typeof createHash, file: string): string {
  return hasher('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Stats every input before planning; undefined when the inputs cannot be cached (links, special files). */
export async function snapshotInputs(roots: readonly string[], cwd: string, now = Date.now()): Promise<PlanSnapshot | undefined> {
  const young: string[] = [];
  const listings: Record<string, Listing> = {};
  let print: Fingerprint | undefined;
  try {
    print = fingerprint(roots, {
      skip: planCacheDir(cwd),
      onFile: (file, st) => {
        if (isYoung(st, now)) young.push(file);
      },
      onListing: (dir, st, listing) => {
        if (!isYoung(st, now)) listings[dir] = listing;
      },
    });
  } catch {
    return undefined;
  }
  if (!print) return undefined;
  const racy: Record<string, string> = {};
  const { createHash: hasher } = await import('node:crypto');
  try {
    for (const file of young) racy[file] = sha256File(hasher, file);
  } catch {
    return undefined; // removed or unreadable meanwhile: the plan itself will say so; nothing is cached
  }
  return { roots: [...roots], taken: now, fingerprint: print, racy, listings };
}

/** The stored answer when this exact run was answered before and no input moved since; otherwise undefined. */
export async function lookupPlan(argv: readonly string[], cwd: string, env: Record<string, string | undefined>, now = Date.now()): Promise<PlanAnswer | undefined> {
  if (argv[0] !== 'plan') return undefined;
  const key = await planCacheKey(argv, cwd, env);
  const file = path.join(planCacheDir(cwd), entryName(key));
  let entry: Entry;
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > MAX_ENTRY_BYTES) return undefined;
    entry = JSON.parse(fs.readFileSync(file, 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (!isEntry(entry) || entry.key !== key) return undefined;
  try {
    const stillYoung = new Set<string>();
    const racy = Object.keys(entry.racy).length > 0;
    const onFile = racy ? (f: string, st: fs.Stats) => (isYoung(st, now) ? stillYoung.add(f) : undefined) : undefined;
    const walk = { skip: planCacheDir(cwd), onFile, listings: entry.listings };
    let match = matchesFingerprint(entry.roots, entry.fingerprint, walk);
    // A folder young at the snapshot has no listing: compare a full fingerprint, and keep the listings of the
    // folders that are old by now, so the next hit is checked in place.
    const learned: Record<string, Listing> = {};
    if (match === undefined) {
      stillYoung.clear();
      const onListing = (dir: string, st: fs.Stats, listing: Listing) => (isYoung(st, now) ? undefined : (learned[dir] = listing));
      const print = fingerprint(entry.roots, { ...walk, onListing });
      match = print?.paths === entry.fingerprint.paths && print.stats === entry.fingerprint.stats;
    }
    if (!match) return undefined;
    // crypto takes milliseconds to load: only when a file must be checked by content.
    const hasher = racy ? (await import('node:crypto')).createHash : undefined;
    for (const [racyFile, sum] of Object.entries(entry.racy)) if (!hasher || sha256File(hasher, racyFile) !== sum) return undefined;
    // Checked by content once they are old enough, racy files can be trusted by stat from now on (as git does).
    const settled = racy && Object.keys(entry.racy).some((f) => !stillYoung.has(f));
    if (settled || Object.keys(learned).length) {
      const kept = Object.fromEntries(Object.entries(entry.racy).filter(([f]) => stillYoung.has(f)));
      writeEntry(planCacheDir(cwd), { ...entry, racy: kept, listings: { ...entry.listings, ...learned } });
    }
  } catch {
    return undefined;
  }
  return { writes: entry.writes, code: entry.code };
}

function isEntry(value: unknown): value is Entry {
  const e = value as Entry;
  return (
    typeof e === 'object' && e !== null && e.format === FORMAT && typeof e.key === 'string' &&
    typeof e.fingerprint?.paths === 'string' && typeof e.fingerprint.stats === 'string' && Number.isSafeInteger(e.code) &&
    Array.isArray(e.roots) && e.roots.every((r) => typeof r === 'string' && path.isAbsolute(r)) &&
    typeof e.listings === 'object' && e.listings !== null && !Array.isArray(e.listings) &&
    Object.values(e.listings).every((l) => Array.isArray(l) && typeof l[0] === 'string' && Array.isArray(l[1]) && typeof l[2] === 'string' && l[1].length === l[2].length) &&
    typeof e.racy === 'object' && e.racy !== null && Object.entries(e.racy).every(([f, s]) => path.isAbsolute(f) && typeof s === 'string') &&
    Array.isArray(e.writes) && e.writes.every((w) => Array.isArray(w) && w.length === 2 && (w[0] === 1 || w[0] === 2) && typeof w[1] === 'string')
  );
}

/**
 * Stores a run's answer under its key, best effort (a failure to write never fails the plan): written beside and
 * renamed into place, oldest entries beyond MAX_ENTRIES removed. Only when `<cwd>/.csp-cache` already exists.
 */
export async function storePlan(argv: readonly string[], cwd: string, env: Record<string, string | undefined>, snapshot: PlanSnapshot, answer: PlanAnswer): Promise<boolean> {
  const dir = planCacheDir(cwd);
  if (!canStorePlan(cwd)) return false;
  const key = await planCacheKey(argv, cwd, env);
  const entry: Entry = { format: FORMAT, key, roots: snapshot.roots, fingerprint: snapshot.fingerprint, racy: snapshot.racy, listings: snapshot.listings, writes: answer.writes, code: answer.code };
  return writeEntry(dir, entry);
}

/** Writes beside and renames into place; drops the oldest entries beyond MAX_ENTRIES. False when it could not. */
function writeEntry(dir: string, entry: Entry): boolean {
  const text = JSON.stringify(entry);
  if (Buffer.byteLength(text) > MAX_ENTRY_BYTES) return false;
  const name = entryName(entry.key);
  const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const marker = path.join(dir, '.csp-output');
    if (!fs.existsSync(marker)) fs.writeFileSync(marker, 'This folder is written by csp (cluster stack pipeline); it is never read as stack input.\n');
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(dir, name));
    const entries = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }));
    for (const old of entries.sort((a, b) => b.t - a.t).slice(MAX_ENTRIES)) fs.rmSync(path.join(dir, old.f), { force: true });
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}
