/**
 * Masterminds/semver v3.2.0 as Sprig uses it: NewVersion (lenient, `v` prefix, missing minor/patch),
 * Compare with its pre-release rules, and NewConstraint/Check (ranges, `||`, `x` wildcards, `~`, `^`).
 * The Go regular expressions are run through the Go-regexp emulation so matching is identical.
 */
import { GoNumber, GoStruct } from '../template/values.js';
import { findAll } from './go-regexp.js';
import { compileGoRegexp } from './go-regexp-syntax.js';
import type { GoRegexp } from './go-regexp-syntax.js';
import { setJsonValue } from './go-json.js';

export interface SemVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const semVerRegex =
  `v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?` + `(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?` + `(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?`;
const cvRegex =
  `v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?` +
  `(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?` +
  `(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?`;
const ops = `=||!=|>|<|>=|=>|<=|=<|~|~>|\\^`;

let compiled: Record<'version' | 'constraint' | 'range' | 'find' | 'valid', GoRegexp> | undefined;
function regexes(): NonNullable<typeof compiled> {
  compiled ??= {
    version: compileGoRegexp(`^${semVerRegex}$`),
    constraint: compileGoRegexp(`^\\s*(${ops})\\s*(${cvRegex})\\s*$`),
    range: compileGoRegexp(`\\s*(${cvRegex})\\s+-\\s+(${cvRegex})\\s*`),
    find: compileGoRegexp(`(${ops})\\s*(${cvRegex})`),
    valid: compileGoRegexp(`^(\\s*(${ops})\\s*(${cvRegex})\\s*)((?:\\s+|,\\s*)(${ops})\\s*(${cvRegex})\\s*)*$`),
  };
  return compiled;
}

function submatch(rx: GoRegexp, s: string): string[] | null {
  const m = findAll(rx, s, 1)[0];
  if (!m) return null;
  const out: string[] = [];
  for (let g = 0; g < m.length; g += 2) out.push((m[g] ?? -1) >= 0 ? s.slice(m[g], m[g + 1]) : '');
  return out;
}

const NUM = /^[0-9]*$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

function parseSegment(s: string): bigint {
  const v = BigInt(s);
  if (v > 0xffffffffffffffffn) {
    throw new Error(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  }
  return v;
}

/** semver.NewVersion; throws the library's error text ("Invalid Semantic Version", ...). */
export function parseVersion(v: string): SemVersion {
  const m = submatch(regexes().version, v);
  if (!m) throw new Error('Invalid Semantic Version');
  const out: SemVersion = {
    major: parseSegment(m[1] ?? '0'),
    minor: m[2] ? parseSegment(m[2].slice(1)) : 0n,
    patch: m[3] ? parseSegment(m[3].slice(1)) : 0n,
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: v,
  };
  if (out.pre !== '') {
    for (const p of out.pre.split('.')) {
      if (NUM.test(p)) {
        if (p.length > 1 && p[0] === '0') throw new Error('Version segment starts with 0');
      } else if (!ALLOWED.test(p)) throw new Error('Invalid Prerelease string');
    }
  }
  if (out.metadata !== '' && !out.metadata.split('.').every((p) => ALLOWED.test(p))) {
    throw new Error('Invalid Metadata string');
  }
  return out;
}

/** Version.String(): normalised `MAJOR.MINOR.PATCH[-pre][+meta]`. */
export function versionString(v: SemVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sNum = /^[0-9]+$/.test(s) && BigInt(s) <= 0xffffffffffffffffn;
  const oNum = /^[0-9]+$/.test(o) && BigInt(o) <= 0xffffffffffffffffn;
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const sp = a.split('.');
  const op = b.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: -1, 0 or 1; a release sorts after its pre-releases; metadata is ignored. */
export function compareVersions(a: SemVersion, b: SemVersion): number {
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

interface Constraint {
  con: SemVersion;
  op: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === '*' || s === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) return { con: parseVersion('0.0.0'), op: '', dirty: true, minorDirty: false, patchDirty: false };
  const m = submatch(regexes().constraint, c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  const [, op = '', , m3 = '', m4 = '', m5 = '', m6 = ''] = m;
  let ver = m[2] ?? '';
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(m3) || m3 === '') {
    ver = `0.0.0${m6}`;
    dirty = true;
  } else if (isX(m4.replace(/^\./, '')) || m4 === '') {
    minorDirty = dirty = true;
    ver = `${m3}.0.0${m6}`;
  } else if (isX(m5.replace(/^\./, '')) || m5 === '') {
    patchDirty = dirty = true;
    ver = `${m3}${m4}.0${m6}`;
  }
  let con: SemVersion;
  try {
    con = parseVersion(ver);
  } catch {
    throw new Error('constraint Parser Error');
  }
  return { con, op, dirty, minorDirty, patchDirty };
}

function tilde(v: SemVersion, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  return !(v.minor !== c.con.minor && !c.minorDirty);
}

function check(v: SemVersion, c: Constraint): boolean {
  const preBlocked = v.pre !== '' && c.con.pre === '';
  switch (c.op) {
    case '':
    case '=':
      if (preBlocked) return false;
      return c.dirty ? tilde(v, c) : compareVersions(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return compareVersions(v, c.con) !== 0;
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return compareVersions(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compareVersions(v, c.con) === 1;
    case '<':
      return !preBlocked && compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      return !preBlocked && compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return compareVersions(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return !preBlocked && tilde(v, c);
    case '^':
      if (preBlocked || compareVersions(v, c.con) < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
  }
  return false;
}

/** semver.NewConstraint: OR-groups of AND-ed constraints; throws "improper constraint: ..." on bad input. */
export function parseConstraints(input: string): Constraint[][] {
  const rx = regexes();
  let c = input;
  for (const m of findAll(rx.range, input, -1)) {
    const whole = input.slice(m[0], m[1]);
    const lo = input.slice(m[2], m[3]);
    const hi = input.slice(m[22], m[23]);
    const at = c.indexOf(whole);
    if (at >= 0) c = c.slice(0, at) + `>= ${lo}, <= ${hi}` + c.slice(at + whole.length);
  }
  return c.split('||').map((part) => {
    if (findAll(rx.valid, part, 1).length === 0) throw new Error(`improper constraint: ${part}`);
    const found = findAll(rx.find, part, -1).map(([a = 0, b = 0]) => part.slice(a, b));
    return (found.length > 0 ? found : [part]).map(parseConstraint);
  });
}

/** Constraints.Check: true when any OR-group accepts the version. */
export function checkConstraints(groups: Constraint[][], v: SemVersion): boolean {
  return groups.some((g) => g.every((c) => check(v, c)));
}

/** A `*semver.Version` template value: `.Major`, `.Minor`, `.Patch`, `.Prerelease`, `.Metadata`, `.Original`, ... */
export function versionStruct(v: SemVersion): GoStruct {
  const u64 = (n: bigint): GoNumber => new GoNumber('uint64', n);
  const s = new GoStruct(
    '*semver.Version',
    {},
    {
      Major: () => u64(v.major),
      Minor: () => u64(v.minor),
      Patch: () => u64(v.patch),
      Prerelease: () => v.pre,
      Metadata: () => v.metadata,
      Original: () => v.original,
      String: () => versionString(v),
    },
    () => versionString(v),
  );
  return setJsonValue(s, () => versionString(v));
}

