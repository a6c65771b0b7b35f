/**
 * Go type information for GoValues: `%T` names, reflect kinds, and element-type tags on slices and maps
 * that Go would type more narrowly than `[]interface{}` (e.g. `splitList` returns `[]string`).
 */
import { GoNumber, GoStruct, isGoMap, namedSliceTypeOf, withSliceMethods } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';

const elemTypeTag = Symbol('goElemType');

type Tagged = { [elemTypeTag]?: string };

/** Marks a slice with its Go element type (`string`, `int`, `[]interface {}`); returns the same array. */
export function typedSlice<T extends GoValue[]>(list: T, elemType: string): T {
  Object.defineProperty(list, elemTypeTag, { value: elemType, enumerable: false });
  return list;
}

/** Marks a map with its Go value type (`string` for `map[string]string`); returns the same object. */
export function typedMap<T extends GoMap>(map: T, elemType: string): T {
  Object.defineProperty(map, elemTypeTag, { value: elemType, enumerable: false });
  return map;
}

/**
 * Gives `out`, cut or copied from `src`, src's slice type, as reflect's Slice keeps a named type
 * (`slice .Capabilities.APIVersions 1` is still a chartutil.VersionSet). Returns `out`.
 */
export function sameSliceType<T extends GoValue[]>(src: GoValue[], out: T): T {
  const t = elemTypeOf(src);
  if (t !== 'interface {}') typedSlice(out, t);
  const named = namedSliceTypeOf(src);
  if (named !== undefined) withSliceMethods(out, named.typeName, named.methods);
  return out;
}

/** Element type of a slice or map (`interface {}` unless tagged). */
export function elemTypeOf(v: GoValue[] | GoMap): string {
  return (v as Tagged)[elemTypeTag] ?? 'interface {}';
}

/** Go's `%T` for a value, e.g. `[]interface {}`, `map[string]interface {}`, `float64`, `<nil>`. */
export function goTypeName(v: GoValue): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func(...interface {}) interface {}';
  }
  if (v instanceof GoNumber) return v.kind;
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return namedSliceTypeOf(v)?.typeName ?? `[]${elemTypeOf(v)}`;
  return `map[string]${elemTypeOf(v)}`;
}

/** The reflect.Kind name Go reports for a value (`invalid` for nil, `slice`, `map`, `ptr`, `struct`, ...). */
export function goKindName(v: GoValue): string {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func';
  }
  if (v instanceof GoNumber) return v.kind;
  if (v instanceof GoStruct) return v.typeName.startsWith('*') ? 'ptr' : 'struct';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (isGoMap(v)) return 'map';
  return 'invalid';
}

/** True for values Go would see as a slice or array (including `[]byte`). */
export function isGoSlice(v: GoValue): v is GoValue[] | Uint8Array {
  return Array.isArray(v) || v instanceof Uint8Array;
}

/** Elements of a slice as GoValues (`[]byte` elements become uint8 numbers). */
export function sliceItems(v: GoValue[] | Uint8Array): GoValue[] {
  if (v instanceof Uint8Array) return Array.from(v, (b) => new GoNumber('uint8', BigInt(b)));
  return v;
}

/** A Go `int` (64-bit on the platforms we emulate), wrapped like Go's two's-complement overflow. */
export function goInt(n: bigint | number): bigint {
  return BigInt.asIntN(64, typeof n === 'bigint' ? n : BigInt(n));
}

/** A Go `int64` value. */
export function goInt64(n: bigint | number): GoNumber {
  return new GoNumber('int64', goInt(n));
}
