/**
 * Go regexp matching semantics over a translated pattern: FindAll with Go's empty-match rules,
 * ReplaceAll with $-expansion, Split, QuoteMeta and MustCompile's panic text.
 */
import type { GoRegexp } from './go-regexp-syntax.js';

/** One match as byte-free JS string indexes: [start, end, group1Start, group1End, ...] (-1 when unset). */
type MatchIndex = number[];

function execAt(rx: GoRegexp, s: string, pos: number): MatchIndex | null {
  // RE2 (linear time) as Go's regexp: a pattern like ^(a+)+$ cannot backtrack for minutes.
  const m = rx.re2.matcher(s);
  if (!m.find(pos)) return null;
  const out: MatchIndex = [m.start(), m.end()];
  for (let g = 1; g < rx.names.length; g++) out.push(m.start(g), m.end(g));
  return out;
}

function runeWidth(s: string, pos: number): number {
  const cp = s.codePointAt(pos);
  return cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
}

/** Regexp.FindAllStringIndex semantics (n < 0: all); empty matches right after a match are skipped. */
export function findAll(rx: GoRegexp, s: string, n: number): MatchIndex[] {
  const out: MatchIndex[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    const m = execAt(rx, s, pos);
    if (!m) break;
    const [start = 0, end = 0] = m;
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      pos = start + (start < s.length ? runeWidth(s, start) : 1);
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Regexp.MatchString. */
export function matchString(rx: GoRegexp, s: string): boolean {
  return execAt(rx, s, 0) !== null;
}

function expand(rx: GoRegexp, template: string, s: string, m: MatchIndex): string {
  let out = '';
  let t = template;
  for (;;) {
    const at = t.indexOf('$');
    if (at < 0) break;
    out += t.slice(0, at);
    t = t.slice(at + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const ex = /^(\{)?([\p{L}\p{Nd}_]+)/u.exec(t);
    if (!ex || (ex[1] && t[ex[0].length] !== '}')) {
      out += '$';
      continue;
    }
    const name = ex[2] ?? '';
    t = t.slice(ex[0].length + (ex[1] ? 1 : 0));
    let num = /^[0-9]+$/.test(name) && name.length < 9 ? Number(name) : -1;
    if (name.length > 1 && name[0] === '0') num = -1;
    const group = num >= 0 ? num : rx.names.indexOf(name);
    if (group >= 0 && 2 * group + 1 < m.length && (m[2 * group] ?? -1) >= 0) {
      out += s.slice(m[2 * group], m[2 * group + 1]);
    }
  }
  return out + t;
}

/** Regexp.ReplaceAllString (with $-expansion) or ReplaceAllLiteralString. */
export function replaceAll(rx: GoRegexp, s: string, repl: string, isLiteral: boolean): string {
  let out = '';
  let lastEnd = 0;
  let search = 0;
  while (search <= s.length) {
    const m = execAt(rx, s, search);
    if (!m) break;
    const [start = 0, end = 0] = m;
    out += s.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += isLiteral ? repl : expand(rx, repl, s, m);
    lastEnd = end;
    const width = search < s.length ? runeWidth(s, search) : 0;
    if (search + width > end) search += width;
    else if (search + 1 > end) search++;
    else search = end;
  }
  return out + s.slice(lastEnd);
}

/** Regexp.Split. */
export function split(rx: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (rx.source.length > 0 && s.length === 0) return [''];
  const matches = findAll(rx, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [ms = 0, me = 0] of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = ms;
    if (me !== 0) out.push(s.slice(beg, end));
    beg = me;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The panic text of regexp.MustCompile for an invalid expression. */
export function mustCompileMessage(expr: string, err: Error): string {
  // strconv.CanBackquote: no backquote, no control characters other than tab, no BOM.
  const canBackquote = ![...expr].some((c) => {
    const cp = c.codePointAt(0) ?? 0;
    return c === '`' || (cp < 0x20 && cp !== 9) || cp === 0x7f || cp === 0xfeff;
  });
  const quoted = canBackquote ? `\`${expr}\`` : JSON.stringify(expr);
  return `regexp: Compile(${quoted}): ${err.message}`;
}
