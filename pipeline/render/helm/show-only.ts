/**
 * `helm template --show-only` (helm/helm cmd/helm/template.go): the printed stream is split into documents
 * (releaseutil.SplitManifests), each document's `# Source: <chart>/<path>` path is matched against every
 * pattern with filepath.Match, and the matches are printed pattern by pattern.
 */
import { UserInputError } from '../../core/errors.js';
import { trimSpace } from '../funcs/text.js';

/** releaseutil's separator `(?:^|\s*\n)---\s*` (RE2's \s is ASCII: tab, newline, form feed, carriage return, space). */
const SEP = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/;
/** `# Source: [^/]+/(.+)`: the path below the top chart's folder (RE2's `.` stops only at a newline). */
const SOURCE = /# Source: [^/]+\/([^\n]+)/;

/** filepath.Match on a Unix system; a malformed pattern matches nothing (Helm ignores the error). */
export function showOnlyMatches(pattern: string, name: string): boolean {
  return match(Array.from(pattern), Array.from(name)) === true;
}

type Runes = string[];

function scanChunk(p: Runes): { star: boolean; chunk: Runes; rest: Runes } {
  let star = false;
  let k = 0;
  while (p[k] === '*') {
    k++;
    star = true;
  }
  let inRange = false;
  let i = k;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 < p.length) i++;
    } else if (c === '[') inRange = true;
    else if (c === ']') inRange = false;
    else if (c === '*' && !inRange) break;
  }
  return { star, chunk: p.slice(k, i), rest: p.slice(i) };
}

const BAD = Symbol('ErrBadPattern');

function getEsc(chunk: Runes, i: number): { r: string; i: number } | typeof BAD {
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') return BAD;
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) return BAD;
  }
  const r = chunk[i] as string;
  i++;
  return i >= chunk.length ? BAD : { r, i };
}

/** matchChunk: the rest of `s` after `chunk` matched its start, null when it did not, BAD for a bad pattern. */
function matchChunk(chunk: Runes, s: Runes): Runes | null | typeof BAD {
  let failed = false;
  let ci = 0;
  let si = 0;
  while (ci < chunk.length) {
    if (!failed && si >= s.length) failed = true;
    const c = chunk[ci] as string;
    if (c === '[') {
      const r = failed ? '' : (s[si++] as string);
      ci++;
      let negated = false;
      if (chunk[ci] === '^') {
        negated = true;
        ci++;
      }
      let matched = false;
      let nrange = 0;
      for (;;) {
        if (chunk[ci] === ']' && nrange > 0) {
          ci++;
          break;
        }
        const lo = getEsc(chunk, ci);
        if (lo === BAD) return BAD;
        let hi = lo;
        if (chunk[lo.i] === '-') {
          const h = getEsc(chunk, lo.i + 1);
          if (h === BAD) return BAD;
          hi = h;
        }
        ci = hi.i;
        const cp = r.codePointAt(0) ?? -1;
        if (!failed && (lo.r.codePointAt(0) ?? 0) <= cp && cp <= (hi.r.codePointAt(0) ?? 0)) matched = true;
        nrange++;
      }
      if (matched === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[si] === '/') failed = true;
        si++;
      }
      ci++;
    } else {
      if (c === '\\') {
        ci++;
        if (ci >= chunk.length) return BAD;
      }
      if (!failed) {
        if (chunk[ci] !== s[si]) failed = true;
        si++;
      }
      ci++;
    }
  }
  return failed ? null : s.slice(si);
}

function match(pattern: Runes, name: Runes): boolean | typeof BAD {
  let p = pattern;
  let n = name;
  outer: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    if (star && chunk.length === 0) return !n.includes('/');
    const t = matchChunk(chunk, n);
    if (Array.isArray(t) && (t.length === 0 || p.length > 0)) {
      n = t;
      continue;
    }
    if (t === BAD) return BAD;
    if (star) {
      for (let i = 0; i < n.length && n[i] !== '/'; i++) {
        const t2 = matchChunk(chunk, n.slice(i + 1));
        if (Array.isArray(t2)) {
          if (p.length === 0 && t2.length > 0) continue;
          n = t2;
          continue outer;
        }
        if (t2 === BAD) return BAD;
      }
    }
    return false;
  }
  return n.length === 0;
}

/**
 * What `helm template --show-only P...` prints, from what it prints without (`formatHelmTemplate`): each
 * pattern's matching documents as `---\n<doc>\n`. A pattern without a match fails as Helm does.
 */
export function selectShowOnly(output: string, patterns: readonly string[]): string {
  const docs = trimSpace(output).split(SEP).filter((d) => d !== '').map(trimSpace);
  let out = '';
  for (const pattern of patterns) {
    let missing = true;
    for (const doc of docs) {
      const path = SOURCE.exec(doc)?.[1];
      if (path === undefined || !showOnlyMatches(pattern, path)) continue;
      out += `---\n${doc}\n`;
      missing = false;
    }
    if (missing) throw notFound(pattern);
  }
  return out;
}

function notFound(pattern: string): UserInputError {
  return new UserInputError('HELM_TEMPLATE_NOT_FOUND', `could not find template ${pattern} in chart`, {
    details: 'Give the template path below the chart folder as "# Source:" shows it, e.g. templates/deployment.yaml or charts/sub/templates/*.yaml.',
  });
}

/** The same selection over rendered objects (for --json): by `source`, pattern by pattern. */
export function filterShowOnly<T extends { source: string }>(manifests: readonly T[], patterns: readonly string[]): T[] {
  const out: T[] = [];
  for (const pattern of patterns) {
    const hits = manifests.filter((m) => {
      const path = SOURCE.exec(`# Source: ${m.source}`)?.[1];
      return path !== undefined && showOnlyMatches(pattern, path);
    });
    if (hits.length === 0) throw notFound(pattern);
    out.push(...hits);
  }
  return out;
}
