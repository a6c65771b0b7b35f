/**
 * Ports of huandu/xstrings case conversion (snakecase, kebabcase, camelcase) and goutils SwapCase,
 * which Sprig exposes; rune-based like the Go originals.
 */
import { isGoSpace, isLower, isTitleCase, isUpper, runeLower, runeTitle, runeUpper } from './text.js';

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

function isConnector(r: string): boolean {
  return r === '-' || r === '_' || isGoSpace(r);
}

function isPunct(r: string): boolean {
  return /^\p{P}$/u.test(r);
}

function isNumber(r: string): boolean {
  return /^\p{N}$/u.test(r);
}

function isAlphabet(r: string): boolean {
  if (!/^\p{L}$/u.test(r)) return false;
  const cp = r.codePointAt(0) ?? 0;
  if (cp < 0x3400) return true;
  if (cp >= 0x4e00 && cp <= 0x9fcc) return false;
  if (cp >= 0x3400 && cp <= 0x4d85) return false;
  if (cp >= 0x20000 && cp <= 0x2b81d) return false;
  return true;
}

interface Word {
  wt: WordType;
  word: string[];
  rest: string[];
}

function nextWord(str: string[]): Word {
  if (str.length === 0) return { wt: 'invalid', word: [], rest: [] };
  const r = str[0] ?? '';
  let n = 1;
  const take = (pred: (c: string) => boolean): void => {
    while (n < str.length && pred(str[n] ?? '')) n++;
  };
  let wt: WordType;
  if (isConnector(r)) {
    wt = 'connector';
    take(isConnector);
  } else if (isPunct(r)) {
    wt = 'punct';
    take(isPunct);
  } else if (isUpper(r)) {
    wt = 'upper';
    if (n < str.length) {
      const r1 = str[n] ?? '';
      if (isUpper(r1)) {
        n++;
        take(isUpper);
        // "HTTPStatus" splits into "HTTP" and "Status".
        if (n < str.length && isAlphabet(str[n] ?? '')) n--;
      } else if (isAlphabet(r1)) {
        n++;
        take((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) {
    wt = 'alphabet';
    take((c) => isAlphabet(c) && !isUpper(c));
  } else if (isNumber(r)) {
    wt = 'number';
    take(isNumber);
  } else {
    wt = 'other';
    take((c) => !(isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)));
  }
  return { wt, word: str.slice(0, n), rest: str.slice(n) };
}

function lowerWord(wt: WordType, word: string[], connector: string): string {
  if (wt !== 'upper' && wt !== 'connector') return word.join('');
  return word.map((r) => (isConnector(r) ? connector : isUpper(r) ? runeLower(r) : r)).join('');
}

function camelCaseToLowerCase(input: string, connector: string): string {
  if (input === '') return '';
  let out = '';
  let { wt, word, rest } = nextWord([...input]);
  const advance = (): WordType => {
    ({ wt, word, rest } = nextWord(rest));
    return wt;
  };
  const cur = (): WordType => wt;
  while (rest.length > 0) {
    if (wt !== 'connector') out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    advance();
    if (prev === 'number') {
      while (wt === 'alphabet' || wt === 'number') {
        out += lowerWord(wt, word, connector);
        advance();
      }
      if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
    } else if (prev === 'connector') {
      out += lowerWord(prev, last, connector);
    } else if (prev !== 'punct') {
      if (wt !== 'number') {
        if (wt !== 'connector' && wt !== 'punct') out += connector;
        continue;
      }
      if (rest.length === 0) continue;
      const num = word;
      const next = advance();
      if (next !== 'alphabet') {
        out += lowerWord('number', num, connector);
        if (next !== 'connector' && next !== 'punct') out += connector;
        continue;
      }
      out += connector + lowerWord('number', num, connector);
      while (cur() === 'alphabet' || cur() === 'number') {
        out += lowerWord(cur(), word, connector);
        advance();
      }
      const after = cur();
      if (after !== 'invalid' && after !== 'connector' && after !== 'punct') out += connector;
    }
  }
  return out + lowerWord(wt, word, connector);
}

/** xstrings.ToSnakeCase. */
export function toSnakeCase(s: string): string {
  return camelCaseToLowerCase(s, '_');
}

/** xstrings.ToKebabCase. */
export function toKebabCase(s: string): string {
  return camelCaseToLowerCase(s, '-');
}

/** xstrings.ToCamelCase. */
export function toCamelCase(input: string): string {
  const chars = [...input];
  if (chars.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = '';
  while (i < chars.length) {
    r0 = chars[i++] ?? '';
    if (!isConnector(r0)) {
      r0 = runeUpper(r0);
      break;
    }
    out += r0;
  }
  if (i >= chars.length) return out + r0;
  while (i < chars.length) {
    const r1 = r0;
    r0 = chars[i++] ?? '';
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = runeUpper(r0);
    else {
      r0 = runeLower(r0);
      out += r1;
    }
  }
  return out + r0;
}

/** goutils.SwapCase: upper → lower, lower → title after whitespace, otherwise upper. */
export function swapCase(s: string): string {
  let ws = true;
  let out = '';
  for (const ch of s) {
    if (isUpper(ch) || isTitleCase(ch)) {
      out += runeLower(ch);
      ws = false;
    } else if (isLower(ch)) {
      out += ws ? runeTitle(ch) : runeUpper(ch);
      ws = false;
    } else {
      out += ch;
      ws = isGoSpace(ch);
    }
  }
  return out;
}
