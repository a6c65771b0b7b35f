/**
 * Go conversions Sprig relies on: spf13/cast (`toInt64`, `toInt`, `toFloat64`), strconv parsing,
 * Sprig's `empty` truthiness and reflect.DeepEqual, all over GoValue.
 */
import { GoNumber, GoStruct, isGoMap } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { underscoreOK } from '../template/go-number.js';
import { goTypeName } from './go-types.js';

const MIN_INT64 = -(1n << 63n);

/** strconv.ParseInt(s, base, 64); throws Go's error text on failure. */
export function goParseInt(s: string, base = 0): bigint {
  const fail = (why: string): never => {
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: ${why}`);
  };
  if (s === '') fail('invalid syntax');
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  let b = base;
  let underscores = false;
  if (b === 0) {
    b = 10;
    if (body[0] === '0') {
      const p = (body[1] ?? '').toLowerCase();
      if (body.length >= 3 && p === 'x') [b, body] = [16, body.slice(2)];
      else if (body.length >= 3 && p === 'o') [b, body] = [8, body.slice(2)];
      else if (body.length >= 3 && p === 'b') [b, body] = [2, body.slice(2)];
      else [b, body] = [8, body.slice(1) || '0'];
    }
    underscores = true;
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  let n = 0n;
  let sawUnderscore = false;
  for (const c of body) {
    if (c === '_' && underscores) {
      sawUnderscore = true;
      continue;
    }
    const d = digits.indexOf(c.toLowerCase());
    if (d < 0) fail('invalid syntax');
    n = n * BigInt(b) + BigInt(d);
  }
  if (body === '' || (sawUnderscore && !underscoreOK(s))) fail('invalid syntax');
  const v = neg ? -n : n;
  if (v > (1n << 63n) - 1n || v < MIN_INT64) fail('value out of range');
  return v;
}

/** strconv.ParseFloat(s, 64); throws Go's error text on failure (including out of range). */
export function goParseFloat(s: string): number {
  const fail = (why: string): never => {
    throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: ${why}`);
  };
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if ((special[2] ?? '').toLowerCase() === 'nan') return special[1] === '' ? NaN : fail('invalid syntax');
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (s.includes('_') && !underscoreOK(s)) fail('invalid syntax');
  const t = s.replace(/_/g, '');
  let v: number;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(t);
  if (hex) {
    const int = hex[2] ?? '';
    const frac = hex[3] ?? '';
    if (int === '' && frac === '') fail('invalid syntax');
    const mant = Number.parseInt(int + frac || '0', 16);
    v = mant * 2 ** (Number(hex[4]) - 4 * frac.length);
    if (hex[1] === '-') v = -v;
  } else {
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) fail('invalid syntax');
    v = Number(t);
  }
  if (!Number.isFinite(v)) fail('value out of range');
  return v;
}

/** Go's float64 → int64 conversion on amd64: truncates; NaN and out-of-range give MinInt64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** cast.ToInt64 (errors give 0, as Sprig ignores them). */
export function toInt64(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt64(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v instanceof GoNumber) return typeof v.value === 'bigint' ? BigInt.asIntN(64, v.value) : floatToInt64(v.value);
  if (typeof v === 'string') {
    try {
      return goParseInt(trimZeroDecimal(v), 0);
    } catch {
      return 0n;
    }
  }
  return 0n;
}

/** cast.ToInt (same as ToInt64 on 64-bit platforms). */
export function toInt(v: GoValue): bigint {
  return toInt64(v);
}

/** cast.ToFloat64 (errors give 0). */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoNumber) return Number(v.value);
  if (typeof v === 'string') {
    try {
      return goParseFloat(v);
    } catch {
      return 0;
    }
  }
  return 0;
}

/** Sprig `empty`: nil, false, 0, "" and empty slices/maps are empty; structs and non-nil pointers are not. */
export function isEmpty(v: GoValue): boolean {
  if (v === undefined || v === null) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
    case 'function':
      return false;
  }
  if (v instanceof GoNumber) return Number(v.value) === 0;
  if (v instanceof GoStruct) return false;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  return Object.keys(v).length === 0;
}

/** reflect.DeepEqual over GoValues, including Go type identity (float64 1 ≠ int 1). */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  const an = a === undefined ? null : a;
  const bn = b === undefined ? null : b;
  if (an === null || bn === null) return an === bn;
  if (goTypeName(an) !== goTypeName(bn)) return false;
  if (an instanceof GoNumber && bn instanceof GoNumber) return an.value === bn.value;
  if (an instanceof Uint8Array && bn instanceof Uint8Array) {
    return an.length === bn.length && an.every((x, i) => x === bn[i]);
  }
  if (Array.isArray(an) && Array.isArray(bn)) {
    return an.length === bn.length && an.every((x, i) => deepEqual(x, bn[i]));
  }
  if (an instanceof GoStruct && bn instanceof GoStruct) {
    if (an === bn) return true;
    const ka = Object.keys(an.fields);
    return ka.length === Object.keys(bn.fields).length && ka.every((k) => deepEqual(an.fields[k], bn.fields[k]));
  }
  if (isGoMap(an) && isGoMap(bn)) {
    const ka = Object.keys(an);
    if (ka.length !== Object.keys(bn).length) return false;
    return ka.every((k) => Object.hasOwn(bn, k) && deepEqual(an[k], bn[k]));
  }
  return an === bn;
}
