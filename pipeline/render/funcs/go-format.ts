/**
 * Minimal Go fmt emulation the function library needs (`%v`, `%q`, strconv float formats). The template
 * engine has its own `goSprint`; these agree on every value the functions produce and can be unified later.
 */
import { GoNumber, GoStruct } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';

/** Decimal digits and exponent of the shortest round-trip representation of a finite, non-zero |x|. */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(x).toExponential().split('e');
  return { digits: (mant ?? '0').replace('.', ''), exp: Number(e) };
}

function float32Digits(x: number): { digits: string; exp: number } {
  const abs = Math.abs(x);
  for (let p = 1; p <= 9; p++) {
    const s = abs.toExponential(p - 1);
    if (Math.fround(Number(s)) === abs) {
      const [mant, e] = s.split('e');
      return { digits: (mant ?? '0').replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
    }
  }
  return shortestDigits(abs);
}

function expForm(digits: string, exp: number): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exp < 0 ? '-' : '+';
  const e = Math.abs(exp);
  return `${mant}e${sign}${e < 10 ? '0' : ''}${e}`;
}

function fixedForm(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** strconv.FormatFloat(x, fmt, -1, bits) for fmt 'g', 'e' or 'f' (shortest round-trip digits). */
export function formatFloat(x: number, fmt: 'g' | 'e' | 'f' = 'g', bits: 32 | 64 = 64): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) {
    const z = fmt === 'e' ? '0e+00' : '0';
    return neg ? `-${z}` : z;
  }
  const { digits, exp } = bits === 32 ? float32Digits(x) : shortestDigits(x);
  let body: string;
  if (fmt === 'e') body = expForm(digits, exp);
  else if (fmt === 'f') body = fixedForm(digits, exp);
  else body = gForm(digits, exp);
  return neg ? `-${body}` : body;
}

// %g with shortest precision switches to e-notation when exp < -4 || exp >= 6 (strconv/ftoa.go eprec = 6).
function gForm(digits: string, exp: number): string {
  return exp < -4 || exp >= 6 ? expForm(digits, exp) : fixedForm(digits, exp);
}

/** Go encoding/json float text: 'f' format between 1e-6 and 1e21, otherwise 'e' with a short exponent. */
export function jsonFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return String(x);
}

/** A GoNumber as Go prints it with %v. */
export function formatGoNumber(n: GoNumber): string {
  if (n.kind === 'float32') return formatFloat(Number(n.value), 'g', 32);
  return n.value.toString();
}

function isPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

const simpleEscapes: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
  0x5c: '\\\\',
  0x22: '\\"',
};

/** strconv.Quote: a double-quoted Go string literal with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const simple = simpleEscapes[cp];
    if (simple !== undefined) out += simple;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (isPrintable(cp)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function sprintNested(v: GoValue): string {
  return v === undefined ? '<nil>' : sprintValue(v, true);
}

function sprintValue(v: GoValue, nested: boolean): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatFloat(v);
    case 'bigint':
      return v.toString();
    case 'function':
      return '0x0';
  }
  if (v instanceof GoNumber) return formatGoNumber(v);
  if (v instanceof GoStruct) {
    if (v.format) return v.format();
    const body = `{${Object.values(v.fields).map(sprintNested).join(' ')}}`;
    return v.typeName.startsWith('*') && !nested ? `&${body}` : body;
  }
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map(sprintNested).join(' ')}]`;
  const map = v as GoMap;
  const keys = Object.keys(map).sort();
  return `map[${keys.map((k) => `${k}:${sprintNested(map[k])}`).join(' ')}]`;
}

/** fmt.Sprint of one value (`%v`): `<no value>` for missing, `<nil>` for nil, Go float and container forms. */
export function goSprintValue(v: GoValue): string {
  return sprintValue(v, false);
}

/** Sprig's `strval`: strings and []byte as text, everything else with %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v === undefined) return '<nil>';
  return goSprintValue(v);
}
