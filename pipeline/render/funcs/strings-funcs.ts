/**
 * Sprig string functions (strings.go and the string entries of functions.go), with Go's byte-based
 * slicing, `%q` quoting and goutils/xstrings helpers.
 */
import type { FuncMap, GoValue } from '../template/values.js';
import { argInt, argStr, fn, withoutNil } from './define.js';
import { goQuote, goSprintValue, strval } from './go-format.js';
import { typedMap, typedSlice } from './go-types.js';
import { byteLen, byteSlice, goLower, goTitle, goUpper, isGoSpace, runeLower, trimCutset, trimSpace } from './text.js';
import { swapCase, toCamelCase, toKebabCase, toSnakeCase } from './xstrings.js';
import { checkString } from './budget.js';

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return '';
  const len = byteLen(str);
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return byteSlice(str, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return '...' + abbreviateFull(byteSlice(str, offset), 0, maxWidth - 3);
  return '...' + byteSlice(str, len - (maxWidth - 3));
}

function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const len = str.length;
  let offset = 0;
  let out = '';
  while (len - offset > wrapLength) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    let spaceAt = str.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceAt >= offset) {
      out += str.slice(offset, spaceAt) + newLine;
      offset = spaceAt + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, wrapLength + offset) + newLine;
      offset += wrapLength;
    } else {
      const e2 = wrapLength + offset;
      const index = str.slice(e2).indexOf(' ');
      if (index === -1) {
        out += str.slice(offset);
        offset = len;
      } else {
        spaceAt = index + e2;
        out += str.slice(offset, spaceAt) + newLine;
        offset = spaceAt + 1;
      }
    }
  }
  return out + str.slice(offset);
}

function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const ch of s) {
    if (isGoSpace(ch)) gap = true;
    else if (gap) {
      out += ch;
      gap = false;
    }
  }
  return out;
}

function untitle(s: string): string {
  let next = true;
  let out = '';
  for (const ch of s) {
    if (isGoSpace(ch)) {
      next = true;
      out += ch;
    } else if (next) {
      out += runeLower(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

/** Sprig's `strslice` (toStrings): a list's non-nil elements as strings; a scalar becomes a one-element list. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return typedSlice(withoutNil(v).map(strval), 'string');
  if (v instanceof Uint8Array) return typedSlice(Array.from(v, (b) => String(b)), 'string');
  if (v === null || v === undefined) return typedSlice([], 'string');
  return typedSlice([strval(v)], 'string');
}

function splitToMap(parts: string[]): GoValue {
  const out: Record<string, GoValue> = {};
  parts.forEach((p, i) => (out[`_${i}`] = p));
  return typedMap(out, 'string');
}

/** strings.SplitN semantics (n < 0: all; n == 0: none). */
export function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = [...s];
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

// indent pads every line: the result grows by the width times the number of lines.
function checkIndent(name: string, width: number, s: string): void {
  let lines = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
  checkString(name, s.length + Math.max(0, width) * (lines + 1));
}

/** String family of Sprig's function map. */
export function stringFuncs(): FuncMap {
  return {
    abbrev: fn(['int', 'string'], (w, s) => (argInt(w) < 4 ? argStr(s) : abbreviateFull(argStr(s), 0, argInt(w)))),
    abbrevboth: fn(['int', 'int', 'string'], (l, r, s) => {
      const [left, right] = [argInt(l), argInt(r)];
      if (right < 4 || (left > 0 && right < 7)) return argStr(s);
      return abbreviateFull(argStr(s), left, right);
    }),
    trunc: fn(['int', 'string'], (c, s) => {
      const n = argInt(c);
      const str = argStr(s);
      const len = byteLen(str);
      if (n < 0 && len + n > 0) return byteSlice(str, len + n);
      if (n >= 0 && len > n) return byteSlice(str, 0, n);
      return str;
    }),
    trim: fn(['string'], (s) => trimSpace(argStr(s))),
    upper: fn(['string'], (s) => goUpper(argStr(s))),
    lower: fn(['string'], (s) => goLower(argStr(s))),
    title: fn(['string'], (s) => goTitle(argStr(s))),
    untitle: fn(['string'], (s) => untitle(argStr(s))),
    substr: fn(['int', 'int', 'string'], (a, b, s) => {
      const [start, end, str] = [argInt(a), argInt(b), argStr(s)];
      if (start < 0) return byteSlice(str, 0, end);
      if (end < 0 || end > byteLen(str)) return byteSlice(str, start);
      return byteSlice(str, start, end);
    }),
    repeat: fn(['int', 'string'], (c, s) => {
      const n = argInt(c);
      if (n < 0) throw new Error('strings: negative Repeat count');
      const str = argStr(s);
      checkString('repeat', str.length * n);
      return str.repeat(n);
    }),
    trimall: fn(['string', 'string'], (a, b) => trimCutset(argStr(b), argStr(a))),
    trimAll: fn(['string', 'string'], (a, b) => trimCutset(argStr(b), argStr(a))),
    trimSuffix: fn(['string', 'string'], (a, b) => {
      const [suf, s] = [argStr(a), argStr(b)];
      return suf !== '' && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s;
    }),
    trimPrefix: fn(['string', 'string'], (a, b) => {
      const [pre, s] = [argStr(a), argStr(b)];
      return s.startsWith(pre) ? s.slice(pre.length) : s;
    }),
    nospace: fn(['string'], (s) => [...argStr(s)].filter((c) => !isGoSpace(c)).join('')),
    initials: fn(['string'], (s) => initials(argStr(s))),
    swapcase: fn(['string'], (s) => swapCase(argStr(s))),
    snakecase: fn(['string'], (s) => toSnakeCase(argStr(s))),
    camelcase: fn(['string'], (s) => toCamelCase(argStr(s))),
    kebabcase: fn(['string'], (s) => toKebabCase(argStr(s))),
    wrap: fn(['int', 'string'], (l, s) => wrapCustom(argStr(s), argInt(l), '', false)),
    wrapWith: fn(['int', 'string', 'string'], (l, sep, s) => wrapCustom(argStr(s), argInt(l), argStr(sep), true)),
    contains: fn(['string', 'string'], (a, b) => argStr(b).includes(argStr(a))),
    hasPrefix: fn(['string', 'string'], (a, b) => argStr(b).startsWith(argStr(a))),
    hasSuffix: fn(['string', 'string'], (a, b) => argStr(b).endsWith(argStr(a))),
    quote: fn([], (...xs) => withoutNil(xs).map((x) => goQuote(strval(x))).join(' '), 'interface{}'),
    squote: fn([], (...xs) => withoutNil(xs).map((x) => `'${goSprintValue(x)}'`).join(' '), 'interface{}'),
    cat: fn([], (...xs) => withoutNil(xs).map(goSprintValue).join(' '), 'interface{}'),
    indent: fn(['int', 'string'], (n, s) => {
      checkIndent('indent', argInt(n), argStr(s));
      const pad = ' '.repeat(Math.max(0, argInt(n)));
      return pad + argStr(s).replaceAll('\n', `\n${pad}`);
    }),
    nindent: fn(['int', 'string'], (n, s) => {
      checkIndent('nindent', argInt(n), argStr(s));
      const pad = ' '.repeat(Math.max(0, argInt(n)));
      return `\n${pad}${argStr(s).replaceAll('\n', `\n${pad}`)}`;
    }),
    replace: fn(['string', 'string', 'string'], (o, n, s) => goReplaceAll(argStr(s), argStr(o), argStr(n))),
    plural: fn(['string', 'string', 'int'], (one, many, c) => (argInt(c) === 1 ? argStr(one) : argStr(many))),
    toString: fn(['interface{}'], (v) => strval(v)),
    split: fn(['string', 'string'], (sep, s) => splitToMap(goSplitN(argStr(s), argStr(sep), -1))),
    splitList: fn(['string', 'string'], (sep, s) => typedSlice(goSplitN(argStr(s), argStr(sep), -1), 'string')),
    splitn: fn(['string', 'int', 'string'], (sep, n, s) => splitToMap(goSplitN(argStr(s), argStr(sep), argInt(n)))),
    toStrings: fn(['interface{}'], (v) => strslice(v)),
    join: fn(['string', 'interface{}'], (sep, v) => strslice(v).join(argStr(sep))),
  };
}

/** strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every rune, as Go does. */
export function goReplaceAll(s: string, old: string, repl: string): string {
  if (old === '') {
    const chars = [...s];
    return repl + chars.map((c) => c + repl).join('');
  }
  return s.split(old).join(repl);
}
