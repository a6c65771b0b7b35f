/**
 * text/template's comparison builtins (eq ne lt le gt ge) with Go's kind rules: ints compare with
 * ints (signed or not), floats with floats, nil only with nil, anything else is an error.
 */
import { basicKind, intValue, typeName } from './go-kinds.js';
import { compareGoStrings } from './go-strconv.js';
import { goSprintf } from './gofmt.js';
import { GoNumber, GoStruct, isGoMap } from './values.js';
import type { GoValue } from './values.js';

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

/** reflect.Kind name of a value that is not a basic kind (for canCompare). */
function reflectKind(v: GoValue): string {
  if (v === undefined || v === null) return 'invalid';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (typeof v === 'function') return 'func';
  if (v instanceof GoStruct) return v.typeName.startsWith('*') ? 'ptr' : 'struct';
  if (isGoMap(v)) return 'map';
  return typeof v;
}

function num(v: GoValue): number {
  return v instanceof GoNumber ? Number(v.value) : (v as number);
}

function str(v: GoValue): string {
  return v as string;
}

function eqPair(a: GoValue, b: GoValue, k1: string): boolean {
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return intValue(a as bigint) >= 0n && intValue(a as bigint) === intValue(b as GoNumber);
    if (k1 === 'uint' && k2 === 'int') return intValue(b as bigint) >= 0n && intValue(a as GoNumber) === intValue(b as bigint);
    if (a !== undefined && b !== undefined) throw new Error(errBadComparison);
    return false;
  }
  switch (k1) {
    case 'bool':
    case 'string':
      return a === b;
    case 'float':
      return num(a) === num(b);
    case 'int':
    case 'uint':
      return intValue(a as bigint) === intValue(b as bigint);
  }
  const ka = reflectKind(a);
  const kb = reflectKind(b);
  if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
    throw new Error(`non-comparable types ${goSprintf('%s', a)}: ${typeName(a)}, ${typeName(b)}: ${goSprintf('%v', b)}`);
  }
  if (a === undefined || b === undefined) return (a === undefined) === (b === undefined);
  if (kb === 'slice' || kb === 'map' || kb === 'func') throw new Error(`non-comparable type ${goSprintf('%s', b)}: ${typeName(b)}`);
  return a === b;
}

/** eq: arg1 == arg2 || arg1 == arg3 …; nil interfaces arrive as null or undefined. */
export function builtinEq(arg1: GoValue, ...rest: GoValue[]): boolean {
  const a = arg1 ?? undefined;
  if (rest.length === 0) throw new Error(errNoComparison);
  const k1 = basicKind(a);
  for (const r of rest) if (eqPair(a, r ?? undefined, k1)) return true;
  return false;
}

/** ne: arg1 != arg2. */
export function builtinNe(arg1: GoValue, arg2: GoValue): boolean {
  return !builtinEq(arg1, arg2);
}

/** lt: arg1 < arg2 for basic kinds. */
export function builtinLt(arg1: GoValue, arg2: GoValue): boolean {
  const a = arg1 ?? undefined;
  const b = arg2 ?? undefined;
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new Error(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new Error(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return intValue(a as bigint) < 0n || intValue(a as bigint) < intValue(b as GoNumber);
    if (k1 === 'uint' && k2 === 'int') return intValue(b as bigint) >= 0n && intValue(a as GoNumber) < intValue(b as bigint);
    throw new Error(errBadComparison);
  }
  switch (k1) {
    case 'bool':
      throw new Error(errBadComparisonType);
    case 'float':
      return num(a) < num(b);
    case 'string':
      return compareGoStrings(str(a), str(b)) < 0;
    default:
      return intValue(a as bigint) < intValue(b as bigint);
  }
}

/** le: arg1 <= arg2. */
export function builtinLe(arg1: GoValue, arg2: GoValue): boolean {
  return builtinLt(arg1, arg2) || builtinEq(arg1, arg2);
}

/** gt: arg1 > arg2. */
export function builtinGt(arg1: GoValue, arg2: GoValue): boolean {
  return !builtinLe(arg1, arg2);
}

/** ge: arg1 >= arg2. */
export function builtinGe(arg1: GoValue, arg2: GoValue): boolean {
  return !builtinLt(arg1, arg2);
}
