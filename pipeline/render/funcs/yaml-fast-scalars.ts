/**
 * Scalars and characters for the fast YAML reader (yaml-fast.ts): how plain and double-quoted scalars
 * resolve, and what makes the reader hand a document to the `yaml` package instead.
 */

/** Thrown inside the reader: the document is left to the yaml package. */
export class Fallback extends Error {}
/** The one Fallback instance the reader throws for "not on the fast path". */
export const FALLBACK = new Fallback('fallback');
/** A quoted scalar's continuation line not indented past its parent: the yaml package rejects the document. */
export const UNDER_INDENTED = new Fallback('under-indented');

/** Document markers (`---`, `...`) at the start of a line. */
export const MARKER = /^(?:---|\.\.\.)/m;

/** Tabs, CR, other control characters, NEL, BOM, surrogates and line separators: left to the yaml package. */
export function hasUnsafeChar(text: string): boolean {
  // Printable ASCII and newlines only (the common case): one regexp scan.
  if (!/[^\n\x20-\x7e]/.test(text)) return false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 10) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}
const INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
// Plain words YAML 1.1 reads as booleans or null where 1.2 core does not, or that only one case of them resolves.
const AMBIGUOUS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'True', 'TRUE', 'False', 'FALSE', 'Null', 'NULL']);
// Characters a plain scalar may not start with (or that this reader leaves to the yaml package).
const INDICATOR = new Set([...'?:,[]{}#&*!|>\'"%@`=<']);
// Every number, date and time pattern of the yaml package's 1.2 core and 1.1 schemas (yaml/dist/schema).
const NUMERIC = [
  /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];

/** A plain scalar as both schemas read it; `flow` for scalars inside `[…]` or `{…}`. */
export function resolvePlain(s: string, flow = false): unknown {
  const c = s.charCodeAt(0);
  // Digits, signs and dots: numbers, dates and times of either schema.
  const numeric = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
  if (numeric && INT.test(s)) return Number(s);
  if (s.length <= 5) {
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (s === 'null' || s === '~') return null;
    if (s === '' || AMBIGUOUS.has(s)) throw FALLBACK;
  }
  if (INDICATOR.has(s[0] as string)) throw FALLBACK;
  if (c === 45 && (s.length === 1 || s.charCodeAt(1) === 32)) throw FALLBACK;
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) throw FALLBACK;
  if (flow && /[,[\]{}]/.test(s)) throw FALLBACK;
  if (numeric && NUMERIC.some((re) => re.test(s))) throw FALLBACK;
  return s;
}

/** Whether `line` from `p` holds only spaces or a comment. */
export function isBlankFrom(line: string, p: number): boolean {
  for (let k = p; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (c === 35 && (k === 0 || line.charCodeAt(k - 1) === 32)) return true; // `#` comment
    if (c !== 32) return false;
  }
  return true;
}

/** The double-quoted escapes the fast path decodes (others fall back). */
export const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

/** Index of the unescaped `"` closing a double-quoted scalar in `line` from `from`, or -1. */
export function closingQuote(line: string, from: number): number {
  for (let k = from; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (c === 92) k++;
    else if (c === 34) return k;
  }
  return -1;
}

/** Whether the double-quoted scalar starting at `p` closes on this line. */
export function closesOnLine(line: string, p: number): boolean {
  return closingQuote(line, p + 1) >= 0;
}

/** Double-quoted text without its quotes; a line-ending backslash or an escape not listed falls back. */
export function decodeDq(raw: string): string {
  if (!raw.includes('\\')) {
    if (raw.includes('"')) throw FALLBACK;
    return raw;
  }
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k] as string;
    if (c === '"') throw FALLBACK;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = ESCAPES[raw[k + 1] ?? ''];
    if (e === undefined) throw FALLBACK;
    out += e;
    k++;
  }
  return out;
}
