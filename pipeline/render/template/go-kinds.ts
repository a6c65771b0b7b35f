/**
 * Go type names and reflect kinds of GoValues, shared by fmt emulation, argument checks and builtins.
 * Slices and maps tagged by the function library (`typedSlice`) report their narrower element type.
 */
import { elemTypeOf, goTypeName } from '../funcs/go-types.js';
import { GoNumber, GoStruct } from './values.js';
import type { GoMap, GoValue } from './values.js';

/** Basic kinds as text/template's comparison functions classify them. */
export type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string';

/** Element type of an untyped-or-tagged slice or map, in Go's spelling (`interface {}` by default). */
export function elemType(v: GoValue[] | GoMap): string {
  return elemTypeOf(v);
}

/** Go's `%T` for a value: `float64`, `int`, `[]interface {}`, `map[string]interface {}`, `<nil>`. */
export const typeName: (v: GoValue) => string = goTypeName;

/** The comparison kind of a (non-interface) value. */
export function basicKind(v: GoValue): BasicKind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'bigint':
      return 'int';
  }
  if (v instanceof GoNumber) {
    if (v.kind === 'float32') return 'float';
    return v.kind.startsWith('u') ? 'uint' : 'int';
  }
  return 'invalid';
}

/** True for Go values whose kind is an integer (int, intN, uintN). */
export function isIntLike(v: GoValue): v is bigint | GoNumber {
  return typeof v === 'bigint' || (v instanceof GoNumber && v.kind !== 'float32');
}

/** Integer value of an int-like GoValue. */
export function intValue(v: bigint | GoNumber): bigint {
  return typeof v === 'bigint' ? v : BigInt(v.value);
}

/** Truth as text/template's isTrue: zero values, nil and empty containers are false. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'function':
      return true;
  }
  if (v instanceof GoNumber) return typeof v.value === 'bigint' ? v.value !== 0n : v.value !== 0;
  if (v instanceof GoStruct) return v.mapView ? hasKeys(v.mapView) : true;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length > 0;
  return hasKeys(v as GoMap);
}

function hasKeys(m: GoMap): boolean {
  for (const k in m) if (Object.hasOwn(m, k)) return true;
  return false;
}

/** Go's zero value for an element type name as elemType reports it (`interface {}` → nil). */
export function zeroOf(type: string): GoValue {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0n;
    case 'float64':
      return 0;
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return new GoNumber(type, 0n);
    case 'float32':
      return new GoNumber('float32', 0);
    default:
      return null;
  }
}
