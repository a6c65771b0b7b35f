/**
 * Go string primitives over JS strings: UTF-8 byte slicing (Go indexes strings by byte), unicode.IsSpace,
 * rune-wise case mapping like Go's unicode tables, strings.Title and strings.Trim.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 (invalid sequences become U+FFFD, the closest a JS string gets to Go's raw bytes). */
export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Byte length of a string as Go's len(s). */
export function byteLen(s: string): number {
  return utf8(s).length;
}

/** Go's s[start:end] on bytes; throws Go's runtime panic text when out of range. */
export function byteSlice(s: string, start: number, end?: number): string {
  const b = utf8(s);
  const hi = end ?? b.length;
  if (hi > b.length || hi < 0) {
    throw new Error(`runtime error: slice bounds out of range [:${hi}] with length ${b.length}`);
  }
  if (start < 0 || start > hi) throw new Error(`runtime error: slice bounds out of range [${start}:${hi}]`);
  return fromUtf8(b.subarray(start, hi));
}

/** unicode.IsSpace. */
export function isGoSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
}

/** strings.TrimSpace (no U+FEFF, unlike String.prototype.trim). */
export function trimSpace(s: string): string {
  // Every Unicode space is in the BMP, so scanning UTF-16 units from both ends is exact and O(trimmed).
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s[a] ?? '')) a++;
  while (b > a && isGoSpace(s[b - 1] ?? '')) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** strings.Trim(s, cutset): removes leading and trailing runes contained in cutset. */
export function trimCutset(s: string, cutset: string): string {
  const cut = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && cut.has(chars[a] ?? '')) a++;
  while (b > a && cut.has(chars[b - 1] ?? '')) b--;
  return chars.slice(a, b).join('');
}

function mapRune(ch: string, f: (c: string) => string): string {
  const m = f(ch);
  return [...m].length === 1 ? m : ch;
}

/** unicode.ToUpper for one rune (multi-rune JS mappings such as ß → SS are kept as Go does). */
export function runeUpper(ch: string): string {
  return mapRune(ch, (c) => c.toUpperCase());
}

/** unicode.ToLower for one rune. */
export function runeLower(ch: string): string {
  if (ch === '\u0130') return 'i';
  return mapRune(ch, (c) => c.toLowerCase());
}

/** unicode.ToTitle for one rune (title case equals upper case except for the few digraph letters). */
export function runeTitle(ch: string): string {
  const digraphs: Record<string, string> = {
    'Ǆ': 'ǅ', 'ǅ': 'ǅ', 'ǆ': 'ǅ', 'Ǉ': 'ǈ', 'ǈ': 'ǈ', 'ǉ': 'ǈ', 'Ǌ': 'ǋ', 'ǋ': 'ǋ', 'ǌ': 'ǋ', 'Ǳ': 'ǲ', 'ǲ': 'ǲ', 'ǳ': 'ǲ',
  };
  return digraphs[ch] ?? runeUpper(ch);
}

/** strings.ToUpper. */
export function goUpper(s: string): string {
  return [...s].map(runeUpper).join('');
}

/** strings.ToLower. */
export function goLower(s: string): string {
  return [...s].map(runeLower).join('');
}

export function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

export function isDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}

export function isUpper(ch: string): boolean {
  return /^\p{Lu}$/u.test(ch);
}

export function isLower(ch: string): boolean {
  return /^\p{Ll}$/u.test(ch);
}

export function isTitleCase(ch: string): boolean {
  return /^\p{Lt}$/u.test(ch);
}

// strings.Title's isSeparator (Go 1.19 strings.go).
function isSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0x7f) {
    if (/[0-9a-zA-Z_]/.test(ch)) return false;
    return true;
  }
  if (isLetter(ch) || isDigit(ch)) return false;
  return isGoSpace(ch);
}

/** strings.Title: upper-cases (title-cases) the first letter of every word. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? runeTitle(ch) : ch;
    prev = ch;
  }
  return out;
}
