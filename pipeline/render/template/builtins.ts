/**
 * text/template's builtin functions (funcs.go) over GoValue, with their Go signatures so the executor
 * checks argument counts and types exactly as reflect would. `and`/`or` are special-cased in the executor.
 */
import { sameSliceType } from '../funcs/go-types.js';
import { builtinEq, builtinGe, builtinGt, builtinLe, builtinLt, builtinNe } from './builtins-compare.js';
import { elemType, intValue, isIntLike, isTrue, typeName, zeroOf } from './go-kinds.js';
import { utf8Bytes, utf8Decode, utf8Length } from './go-strconv.js';
import { goSprint, goSprintf, goSprintln } from './gofmt.js';
import { htmlEscaper, jsEscaper, urlQueryEscaper } from './escape.js';
import { GoNumber, GoStruct, isGoMap } from './values.js';
import type { GoParamType, GoValue } from './values.js';

/** A parameter type: a Go type, or `reflect.Value` (raw value, no conversion) as builtins declare. */
export type ParamType = GoParamType | 'reflect.Value';

/** A callable known to the executor: builtin or from a FuncMap. */
export interface FuncEntry {
  params: ParamType[];
  variadic?: ParamType;
  call: (...args: GoValue[]) => GoValue;
  builtin: boolean;
}

function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  if (isIntLike(index)) x = intValue(index);
  else if (index === undefined || index === null) throw new Error('cannot index slice/array with nil');
  else throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
  return Number(x);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function byteAt(s: string, i: number): number {
  return isAscii(s) ? s.charCodeAt(i) : (utf8Bytes(s)[i] ?? 0);
}

/** index item k1 k2 …: item[k1][k2]… over slices, strings and maps. */
export function builtinIndex(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === undefined || item === null) throw new Error('index of untyped nil');
  for (let index of indexes) {
    index = index ?? undefined;
    if (item === null) throw new Error('index of nil pointer');
    if (typeof item === 'string' || Array.isArray(item) || item instanceof Uint8Array) {
      const len: number = typeof item === 'string' ? utf8Length(item) : item.length;
      const x = indexArg(index, len);
      if (x === len) {
        const what = typeof item === 'string' ? 'string' : 'slice';
        throw new Error(`reflect: ${what} index out of range`);
      }
      if (typeof item === 'string') item = new GoNumber('uint8', BigInt(byteAt(item, x)));
      else if (item instanceof Uint8Array) item = new GoNumber('uint8', BigInt(item[x] ?? 0));
      else item = item[x] ?? null;
    } else if (isGoMap(item)) {
      if (index === undefined) throw new Error('value is nil; should be of type string');
      if (typeof index !== 'string') throw new Error(`value has type ${typeName(index)}; should be string`);
      if (Object.hasOwn(item, index)) item = item[index] ?? null;
      else item = zeroOf(elemType(item));
    } else {
      const t = item instanceof GoStruct && item.typeName.startsWith('*') ? item.typeName.slice(1) : typeName(item);
      throw new Error(`can't index item of type ${t}`);
    }
  }
  return item;
}

/** slice item i j k: item[i:j:k] over strings and slices. */
export function builtinSlice(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === undefined || item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    len = utf8Length(item);
  } else if (Array.isArray(item) || item instanceof Uint8Array) len = item.length;
  else throw new Error(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((index, i) => {
    idx[i] = indexArg(index ?? undefined, len);
  });
  const [i, j, k] = idx as [number, number, number];
  if (i > j) throw new Error(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) throw new Error(`invalid slice index: ${j} > ${k}`);
  if (typeof item === 'string') return isAscii(item) ? item.slice(i, j) : utf8Decode(utf8Bytes(item).subarray(i, j));
  if (item instanceof Uint8Array) return item.slice(i, j);
  return sameSliceType(item, item.slice(i, j));
}

/** len item: bytes of a string, elements of a slice or map. */
export function builtinLen(item: GoValue): GoValue {
  if (item === null) throw new Error('len of nil pointer');
  if (item === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return BigInt(utf8Length(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isGoMap(item)) return BigInt(Object.keys(item).length);
  const t = item instanceof GoStruct && item.typeName.startsWith('*') ? item.typeName.slice(1) : typeName(item);
  throw new Error(`len of type ${t}`);
}

/** call fn args…: calls a function value. */
export function builtinCall(fn: GoValue, ...args: GoValue[]): GoValue {
  if (fn === undefined || fn === null) throw new Error('call of nil');
  if (typeof fn !== 'function') throw new Error(`non-function of type ${typeName(fn)}`);
  const r = fn(...args.map((a) => a ?? null));
  return r === undefined ? null : r;
}

function rv(n: number): ParamType[] {
  return Array.from({ length: n }, () => 'reflect.Value' as const);
}

/** The builtin function map (Go's builtins()). `and`/`or` calls are short-circuited by the executor. */
export const BUILTINS: Record<string, FuncEntry> = {
  and: { params: rv(1), variadic: 'reflect.Value', call: () => null, builtin: true },
  or: { params: rv(1), variadic: 'reflect.Value', call: () => null, builtin: true },
  call: { params: rv(1), variadic: 'reflect.Value', call: builtinCall, builtin: true },
  html: { params: [], variadic: 'interface{}', call: htmlEscaper, builtin: true },
  index: { params: rv(1), variadic: 'reflect.Value', call: builtinIndex, builtin: true },
  slice: { params: rv(1), variadic: 'reflect.Value', call: builtinSlice, builtin: true },
  js: { params: [], variadic: 'interface{}', call: jsEscaper, builtin: true },
  len: { params: rv(1), call: builtinLen, builtin: true },
  not: { params: rv(1), call: (a) => !isTrue(a), builtin: true },
  print: { params: [], variadic: 'interface{}', call: goSprint, builtin: true },
  printf: { params: ['string'], variadic: 'interface{}', call: (f, ...a) => goSprintf(f as string, ...a), builtin: true },
  println: { params: [], variadic: 'interface{}', call: goSprintln, builtin: true },
  urlquery: { params: [], variadic: 'interface{}', call: urlQueryEscaper, builtin: true },
  eq: { params: rv(1), variadic: 'reflect.Value', call: builtinEq, builtin: true },
  ge: { params: rv(2), call: builtinGe, builtin: true },
  gt: { params: rv(2), call: builtinGt, builtin: true },
  le: { params: rv(2), call: builtinLe, builtin: true },
  lt: { params: rv(2), call: builtinLt, builtin: true },
  ne: { params: rv(2), call: builtinNe, builtin: true },
};
