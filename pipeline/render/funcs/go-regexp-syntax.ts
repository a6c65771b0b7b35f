/**
 * Go RE2 syntax on top of JS RegExp: translates Go patterns (flags, \A \z, Go's \s, POSIX classes,
 * \Q..\E, (?P<name>)) to a `u`-mode JS pattern and rejects what RE2 rejects with Go's error text.
 */
import { RE2JS } from 're2js';

export interface GoRegexp {
  source: string;
  /** The translated JS pattern (kept for syntax checks; matching runs on `re2`). */
  re: RegExp;
  /** The same pattern compiled by an RE2 engine: linear-time matching like Go, whatever the input. */
  re2: RE2JS;
  /** Capture group names by index (index 0 is the whole match, ""). */
  names: string[];
}

function parseError(code: string, fragment: string): Error {
  return new Error(`error parsing regexp: ${code}: \`${fragment}\``);
}

const GO_SPACE = '\\t\\n\\f\\r ';
const NOT_GO_SPACE = '\\0-\\x08\\x0B\\x0E-\\x1F!-\\u{10FFFF}';
const POSIX: Record<string, [number, number][]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0, 0x7f]],
  blank: [[9, 9], [0x20, 0x20]],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[9, 13], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

// Class text for sorted ranges, or for their complement over all code points ([[:^alpha:]]).
function rangesText(ranges: [number, number][], negate: boolean): string {
  let list = ranges;
  if (negate) {
    list = [];
    let next = 0;
    for (const [lo, hi] of ranges) {
      if (lo > next) list.push([next, lo - 1]);
      next = hi + 1;
    }
    list.push([next, 0x10ffff]);
  }
  return list.map(([lo, hi]) => (lo === hi ? hexEscape(lo) : `${hexEscape(lo)}-${hexEscape(hi)}`)).join('');
}
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A literal code point in JS `u` syntax, with case folding when (?i) is active mid-pattern. */
function literal(ch: string, fold: boolean): string {
  const cp = ch.codePointAt(0) ?? 0;
  const lit = /[0-9A-Za-z]/.test(ch) || cp > 0x7f ? ch : hexEscape(cp);
  if (!fold) return lit;
  const up = ch.toUpperCase();
  const low = ch.toLowerCase();
  if (up === low || [...up].length !== 1 || [...low].length !== 1) return lit;
  return `[${up}${low}]`;
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  U: boolean;
}

/** Translates and compiles a Go regexp; throws Go's "error parsing regexp" messages. */
export function compileGoRegexp(expr: string): GoRegexp {
  const chars = [...expr];
  let pos = 0;
  const names: string[] = [''];
  let out = '';
  let jsIgnoreCase = false;
  const stack: { flags: Flags; start: number }[] = [];
  let flags: Flags = { i: false, s: false, m: false, U: false };
  let lastAtomStart = -1;
  let lastWasQuant = false;
  let lastOpText = '';

  const peek = (k = 0): string => chars[pos + k] ?? '';
  const fold = (): boolean => flags.i && !jsIgnoreCase;

  const parseFlags = (spec: string, fragment: string): Flags => {
    const next = { ...flags };
    let neg = false;
    for (const c of spec) {
      if (c === '-') {
        if (neg) throw parseError('invalid or unsupported Perl syntax', fragment);
        neg = true;
      } else if (c === 'i' || c === 's' || c === 'm' || c === 'U') next[c] = !neg;
      else throw parseError('invalid or unsupported Perl syntax', fragment);
    }
    return next;
  };

  const escape = (inClass: boolean): string => {
    const start = pos;
    pos++;
    const c = peek();
    if (c === '') throw parseError('trailing backslash at end of expression', '');
    pos++;
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return inClass ? hexEscape(cp) : literal(c, fold());
    switch (c) {
      case 'a':
        return hexEscape(7);
      case 'f':
        return '\\f';
      case 't':
        return '\\t';
      case 'n':
        return '\\n';
      case 'r':
        return '\\r';
      case 'v':
        return hexEscape(11);
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return `\\${c}`;
      case 's':
        return inClass ? GO_SPACE : `[${GO_SPACE}]`;
      case 'S':
        return inClass ? NOT_GO_SPACE : `[^${GO_SPACE}]`;
      case 'b':
      case 'B':
        if (inClass) break;
        return `\\${c}`;
      case 'A':
        if (inClass) break;
        return '^';
      case 'z':
        if (inClass) break;
        return '$';
      case 'x': {
        if (peek() === '{') {
          const close = chars.indexOf('}', pos);
          const hex = chars.slice(pos + 1, close).join('');
          if (close < 0 || !/^[0-9A-Fa-f]+$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff) break;
          pos = close + 1;
          return hexEscape(Number.parseInt(hex, 16));
        }
        const hex = peek() + peek(1);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) break;
        pos += 2;
        return hexEscape(Number.parseInt(hex, 16));
      }
      case 'p':
      case 'P': {
        let name: string;
        if (peek() === '{') {
          const close = chars.indexOf('}', pos);
          if (close < 0) break;
          name = chars.slice(pos + 1, close).join('');
          pos = close + 1;
        } else {
          name = peek();
          pos++;
        }
        let neg = c === 'P';
        if (name.startsWith('^')) {
          neg = !neg;
          name = name.slice(1);
        }
        const prop = name === 'Any' ? null : CATEGORIES.has(name) ? name : `Script=${name}`;
        try {
          if (prop) new RegExp(`\\p{${prop}}`, 'u');
        } catch {
          throw parseError('invalid character class range', chars.slice(start, pos).join(''));
        }
        if (prop === null) return neg ? (inClass ? '' : '[^\\s\\S]') : inClass ? '\\s\\S' : '[\\s\\S]';
        return `\\${neg ? 'P' : 'p'}{${prop}}`;
      }
      case 'Q': {
        if (inClass) break;
        let lit = '';
        while (pos < chars.length && !(peek() === '\\' && peek(1) === 'E')) lit += literal(chars[pos++] ?? '', fold());
        if (pos < chars.length) pos += 2;
        return lit;
      }
      default:
        if (c >= '0' && c <= '7' && (c === '0' || (peek() >= '0' && peek() <= '7'))) {
          let oct = c;
          while (oct.length < 3 && peek() >= '0' && peek() <= '7') oct += chars[pos++];
          return hexEscape(Number.parseInt(oct, 8));
        }
    }
    throw parseError('invalid escape sequence', chars.slice(start, pos).join(''));
  };

  const charClass = (): string => {
    const start = pos;
    pos++;
    let neg = false;
    if (peek() === '^') {
      neg = true;
      pos++;
    }
    let body = '';
    let first = true;
    while (pos < chars.length && (peek() !== ']' || first)) {
      first = false;
      if (peek() === '[' && peek(1) === ':') {
        const close = chars.join('').indexOf(':]', pos + 2);
        const spec = close < 0 ? '' : chars.slice(pos + 2, close).join('');
        const name = spec.replace(/^\^/, '');
        const ranges = POSIX[name];
        if (close >= 0 && ranges !== undefined) {
          body += rangesText(ranges, spec.startsWith('^'));
          pos = close + 2;
          continue;
        }
      }
      let lo: string;
      let loCp: number | undefined;
      if (peek() === '\\') {
        lo = escape(true);
        loCp = singleCodePoint(lo);
      } else {
        const ch = chars[pos++] ?? '';
        loCp = ch.codePointAt(0);
        lo = /[0-9A-Za-z]/.test(ch) || (loCp ?? 0) > 0x7f ? ch : hexEscape(loCp ?? 0);
      }
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== '' && loCp !== undefined) {
        pos++;
        let hiCp: number | undefined;
        let hi: string;
        const rangeStart = pos;
        if (peek() === '\\') {
          hi = escape(true);
          hiCp = singleCodePoint(hi);
        } else {
          const ch = chars[pos++] ?? '';
          hiCp = ch.codePointAt(0);
          hi = /[0-9A-Za-z]/.test(ch) || (hiCp ?? 0) > 0x7f ? ch : hexEscape(hiCp ?? 0);
        }
        if (hiCp === undefined || hiCp < loCp) {
          throw parseError('invalid character class range', chars.slice(rangeStart - 2, pos).join(''));
        }
        body += `${lo}-${hi}`;
        if (fold()) body += foldRange(loCp, hiCp);
        continue;
      }
      body += lo;
      if (fold() && loCp !== undefined) body += foldRange(loCp, loCp);
    }
    if (peek() !== ']') throw parseError('missing closing ]', chars.slice(start).join(''));
    pos++;
    return `[${neg ? '^' : ''}${body}]`;
  };

  while (pos < chars.length) {
    const c = peek();
    const atomStart = out.length;
    let isAtom = true;
    if (c === '\\') out += escape(false);
    else if (c === '[') out += charClass();
    else if (c === '.') {
      pos++;
      out += flags.s ? '[\\s\\S]' : '[^\\n]';
    } else if (c === '^') {
      pos++;
      out += flags.m ? '(?:^|(?<=\\n))' : '^';
    } else if (c === '$') {
      pos++;
      out += flags.m ? '(?:$|(?=\\n))' : '$';
    } else if (c === '|') {
      pos++;
      out += '|';
      isAtom = false;
    } else if (c === '(') {
      const start = pos;
      pos++;
      if (peek() === '?') {
        const rest = chars.slice(pos).join('');
        const named = /^\?P<([^>]*)>/.exec(rest);
        if (named) {
          const name = named[1] ?? '';
          if (!/^[A-Za-z0-9_]+$/.test(name) || names.includes(name)) {
            throw parseError(names.includes(name) ? 'duplicate capture group name' : 'invalid named capture', `(${named[0]}`);
          }
          pos += named[0].length;
          names.push(name);
          stack.push({ flags: { ...flags }, start: out.length });
          out += '(';
          lastWasQuant = false;
          continue;
        }
        const flagGroup = /^\?([a-zA-Z-]*)(:|\))/.exec(rest);
        if (!flagGroup || (flagGroup[1] === '' && flagGroup[2] === ')')) {
          throw parseError('invalid or unsupported Perl syntax', chars.slice(start, pos + 2).join(''));
        }
        const next = parseFlags(flagGroup[1] ?? '', `(${flagGroup[0]}`);
        pos += flagGroup[0].length;
        if (flagGroup[2] === ')') {
          if (start === 0 && next.i && !flags.i) jsIgnoreCase = true;
          flags = next;
          continue;
        }
        stack.push({ flags: { ...flags }, start: out.length });
        flags = next;
        out += '(?:';
        lastWasQuant = false;
        continue;
      }
      names.push('');
      stack.push({ flags: { ...flags }, start: out.length });
      out += '(';
      lastWasQuant = false;
      continue;
    } else if (c === ')') {
      pos++;
      const open = stack.pop();
      if (!open) throw parseError('unexpected )', expr);
      flags = open.flags;
      out += ')';
      lastAtomStart = open.start;
      lastWasQuant = false;
      continue;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      const rest = chars.slice(pos).join('');
      const rep = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(rest) : /^[*+?]/.exec(rest);
      if (!rep) {
        pos++;
        out += '\\{';
        lastAtomStart = atomStart;
        lastWasQuant = false;
        continue;
      }
      let opText = rep[0];
      pos += opText.length;
      if (c === '{') {
        const min = Number(rep[1]);
        const max = rep[3] === undefined || rep[3] === '' ? min : Number(rep[3]);
        if (min > 1000 || max > 1000 || (rep[2] !== undefined && rep[3] !== '' && max < min)) {
          throw parseError('invalid repeat count', opText);
        }
      }
      let lazy = false;
      if (peek() === '?') {
        pos++;
        lazy = true;
        opText += '?';
      }
      if (lastAtomStart < 0) throw parseError('missing argument to repetition operator', opText);
      if (lastWasQuant) throw parseError('invalid nested repetition operator', lastOpText + opText);
      lastOpText = opText;
      if (flags.U) lazy = !lazy;
      out += rep[0] + (lazy ? '?' : '');
      lastWasQuant = true;
      continue;
    } else {
      pos++;
      out += literal(c, fold());
    }
    lastAtomStart = isAtom ? atomStart : -1;
    lastWasQuant = false;
    if (!isAtom) lastAtomStart = -1;
  }
  if (stack.length > 0) throw parseError('missing closing )', expr);
  const re = new RegExp(out, jsIgnoreCase ? 'giu' : 'gu');
  return { source: expr, re, re2: RE2JS.compile(expr), names };
}

function singleCodePoint(js: string): number | undefined {
  const simple: Record<string, number> = { '\\t': 9, '\\n': 10, '\\r': 13, '\\f': 12 };
  if (simple[js] !== undefined) return simple[js];
  const m = /^\\u\{([0-9a-f]+)\}$/.exec(js);
  return m ? Number.parseInt(m[1] ?? '0', 16) : undefined;
}

// Case variants for (?i) classes: ASCII letters and any code point with simple one-rune case mappings.
function foldRange(lo: number, hi: number): string {
  let extra = '';
  const span = Math.min(hi, lo + 512);
  for (let cp = lo; cp <= span; cp++) {
    const ch = String.fromCodePoint(cp);
    for (const v of [ch.toUpperCase(), ch.toLowerCase()]) {
      if (v !== ch && [...v].length === 1) extra += hexEscape(v.codePointAt(0) ?? 0);
    }
  }
  return extra;
}

