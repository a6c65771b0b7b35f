/**
 * Helm's `--set-literal` parser (helm/helm pkg/strvals/literal_parser.go, ParseLiteralInto): the key path is
 * read like `--set` but without backslash escapes and without commas, and the value is everything after the
 * first `=`, commas, `=`, braces and backslashes included, always a string.
 */
import { goQuote } from '../template/index.js';
import { isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { quoteRunes, Scanner, setKey, StrvalsError, typeOf } from './strvals.js';

const MAX_INDEX = 65536;
const MAX_NESTED = 30;

type Read = ReturnType<Scanner['read']>;

function runesUntil(sc: Scanner, stop: string): { v: string; last: Read } {
  let v = '';
  for (;;) {
    const r = sc.read();
    if (typeof r !== 'string' || stop.includes(r)) return { v, last: r };
    v += r;
  }
}

function restOf(sc: Scanner): string {
  const v = sc.rest();
  sc.skip(Array.from(v).length);
  return v;
}

function keyIndex(sc: Scanner): number {
  const { v, last } = runesUntil(sc, ']');
  if (typeof last !== 'string') throw new StrvalsError('error parsing index: EOF');
  if (!/^[+-]?[0-9]+$/.test(v)) throw new StrvalsError(`error parsing index: strconv.Atoi: parsing ${goQuote(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new StrvalsError(`error parsing index: strconv.Atoi: parsing ${goQuote(v)}: value out of range`);
  return Number(n);
}

function setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
  if (index < 0) throw new StrvalsError(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  const out = list.length <= index ? [...list, ...new Array<GoValue>(index + 1 - list.length).fill(null)] : list;
  out[index] = val;
  return out;
}

function conversion(v: GoValue, want: string): StrvalsError {
  return new StrvalsError(`unable to parse key: interface conversion: interface {} is ${typeOf(v)}, not ${want}`);
}

/** literalParser.key: returns true at the end of the input. */
function key(sc: Scanner, data: GoMap, level: number): boolean {
  const { v: k, last } = runesUntil(sc, '=[.');
  if (typeof last !== 'string') {
    if (k.length === 0) return true;
    throw new StrvalsError(`key ${goQuote(k)} has no value`);
  }
  if (last === '=') {
    setKey(data, k, restOf(sc));
    return false;
  }
  if (last === '.') {
    if (level + 1 > MAX_NESTED) throw new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED}`);
    let inner: GoMap = {};
    if (Object.hasOwn(data, k)) {
      const cur = data[k];
      if (!isGoMap(cur)) throw conversion(cur, 'map[string]interface {}');
      inner = cur;
    }
    const end = key(sc, inner, level + 1);
    if (!end && Object.keys(inner).length === 0) throw new StrvalsError(`key map ${goQuote(k)} has no value`);
    if (Object.keys(inner).length !== 0) setKey(data, k, inner);
    return end;
  }
  // last === '['
  const i = keyIndex(sc);
  let list: GoValue[] = [];
  if (Object.hasOwn(data, k)) {
    const cur = data[k];
    if (!Array.isArray(cur)) throw conversion(cur, '[]interface {}');
    list = cur;
  }
  const res = listItem(sc, list, i, level);
  setKey(data, k, res.list);
  return res.end;
}

function listItem(sc: Scanner, list: GoValue[], i: number, level: number): { list: GoValue[]; end: boolean } {
  if (i < 0) throw new StrvalsError(`negative ${i} index not allowed`);
  const { v: k, last } = runesUntil(sc, '[.=');
  if (k.length > 0) throw new StrvalsError(`unexpected data at end of array index: ${quoteRunes(k)}`);
  if (typeof last !== 'string') return { list, end: true };
  if (last === '=') return { list: setIndex(list, i, restOf(sc)), end: false };
  if (last === '.') {
    let inner: GoMap = {};
    if (list.length > i) {
      const cur = list[i];
      if (isGoMap(cur)) inner = cur;
      else list[i] = inner;
    }
    const end = key(sc, inner, level);
    if (end) return { list, end };
    return { list: setIndex(list, i, inner), end: false };
  }
  // last === '['
  const nextI = keyIndex(sc);
  let crt: GoValue[] = [];
  if (list.length > i && list[i] !== null && list[i] !== undefined) {
    const cur = list[i];
    if (!Array.isArray(cur)) throw conversion(cur, '[]interface {}');
    crt = cur;
  }
  const res = listItem(sc, crt, nextI, level);
  if (res.end) return { list, end: true };
  return { list: setIndex(list, i, res.list), end: false };
}

/** strvals.ParseLiteralInto: applies one `--set-literal` expression to `dest` (mutated); throws StrvalsError. */
export function parseSetLiteralInto(expr: string, dest: GoMap): void {
  const sc = new Scanner(Array.from(expr));
  while (!key(sc, dest, 0));
}
