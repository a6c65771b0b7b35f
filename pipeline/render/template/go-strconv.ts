/**
 * Go strconv emulation the template engine needs: Quote/QuoteRune (with Go's escapes and IsPrint),
 * Unquote/UnquoteChar for template string and char literals, and UTF-8 byte helpers.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string (Go strings are byte sequences). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 bytes to a string (invalid sequences become U+FFFD). */
export function utf8Decode(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Length of a string in UTF-8 bytes, as Go's len(s). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Number of runes (code points) in a string. */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** Compares strings in Go's byte order (UTF-8 byte order equals code point order). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate pair encodes a code point above every BMP unit
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

const printableRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  if (cp < 0xa1) return false;
  if (cp === 0xad) return false;
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  return printableRe.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCodePoint(cp)}`;
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** strconv.Quote (or QuoteToASCII when asciiOnly): a double-quoted Go string literal. */
export function goQuote(s: string, asciiOnly = false): string {
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) {
      simple = false;
      break;
    }
  }
  if (simple) return `"${s}"`;
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0) ?? 0, 0x22, asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune (or QuoteRuneToASCII): a single-quoted Go rune literal. */
export function goQuoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0) cp = 0xfffd;
  return `'${escapeRune(cp, 0x27, asciiOnly)}'`;
}

/** strconv.CanBackquote: a single-line string without backquotes or control characters (except tab). */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfeff) return false;
    if (cp < 0x80) {
      if ((cp < 0x20 && cp !== 9) || cp === 0x60 || cp === 0x7f) return false;
    } else if (cp === 0xfffd) return false;
  }
  return true;
}

/** Thrown by unquote helpers; the parser reports Go's `invalid syntax`. */
export class SyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

function unhex(c: string): number {
  const n = parseInt(c, 16);
  return Number.isNaN(n) ? -1 : n;
}

/**
 * strconv.UnquoteChar: decodes the first character or escape of `s` (inside a `quote` literal) and
 * returns the code point, whether it is a multibyte rune, and the rest.
 */
export function unquoteChar(s: string, quote: string): { value: number; multibyte: boolean; tail: string; byte: boolean } {
  const c = s[0];
  if (c === undefined) throw new SyntaxError();
  if (c === quote && (quote === "'" || quote === '"')) throw new SyntaxError();
  if (c !== '\\') {
    const cp = s.codePointAt(0) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    return { value: cp, multibyte: cp >= 0x80, tail: s.slice(len), byte: false };
  }
  if (s.length <= 1) throw new SyntaxError();
  const e = s[1];
  let tail = s.slice(2);
  switch (e) {
    case 'a':
      return { value: 7, multibyte: false, tail, byte: false };
    case 'b':
      return { value: 8, multibyte: false, tail, byte: false };
    case 'f':
      return { value: 12, multibyte: false, tail, byte: false };
    case 'n':
      return { value: 10, multibyte: false, tail, byte: false };
    case 'r':
      return { value: 13, multibyte: false, tail, byte: false };
    case 't':
      return { value: 9, multibyte: false, tail, byte: false };
    case 'v':
      return { value: 11, multibyte: false, tail, byte: false };
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (tail.length < n) throw new SyntaxError();
      let v = 0;
      for (let j = 0; j < n; j++) {
        const x = unhex(tail[j] ?? '');
        if (x < 0) throw new SyntaxError();
        v = v * 16 + x;
      }
      tail = tail.slice(n);
      if (e === 'x') return { value: v, multibyte: false, tail, byte: true };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError();
      return { value: v, multibyte: true, tail, byte: false };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      const digits = s.slice(1, 4);
      if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxError();
      const v = parseInt(digits, 8);
      if (v > 255) throw new SyntaxError();
      return { value: v, multibyte: false, tail: s.slice(4), byte: true };
    }
    case '\\':
      return { value: 0x5c, multibyte: false, tail, byte: false };
    case "'":
    case '"':
      if (e !== quote) throw new SyntaxError();
      return { value: e.charCodeAt(0), multibyte: false, tail, byte: false };
    default:
      throw new SyntaxError();
  }
}

/**
 * strconv.Unquote for `"…"`, `` `…` `` and `'…'` literals. Byte escapes (`\xff`) that do not form valid
 * UTF-8 decode to U+FFFD (JS strings cannot hold raw bytes).
 */
export function goUnquote(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new SyntaxError();
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError();
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (q !== '"' && q !== "'") throw new SyntaxError();
  if (!body.includes('\\') && !body.includes('\n')) {
    if (q === '"') {
      if (body.includes('"')) throw new SyntaxError();
      return body;
    }
    const cp = body.codePointAt(0);
    if (cp === undefined || body.length !== (cp > 0xffff ? 2 : 1) || cp === 0x27) throw new SyntaxError();
    return body;
  }
  const bytes: number[] = [];
  let rest = body;
  let count = 0;
  while (rest.length > 0) {
    if (rest[0] === '\n') throw new SyntaxError();
    const r = unquoteChar(rest, q);
    rest = r.tail;
    count++;
    if (r.byte || r.value < 0x80) bytes.push(r.value);
    else for (const b of utf8Bytes(String.fromCodePoint(r.value))) bytes.push(b);
    if (q === "'" && rest.length > 0) throw new SyntaxError();
  }
  if (q === "'" && count !== 1) throw new SyntaxError();
  return utf8Decode(Uint8Array.from(bytes));
}
