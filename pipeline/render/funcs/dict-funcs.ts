/**
 * Sprig dict functions (dict.go) including mergo 0.3 merge semantics (`merge` fills empty destination
 * values, `mergeOverwrite` replaces), copystructure deep copies and `dig`.
 */
import { GoStruct, isGoMap } from '../template/values.js';
import type { FuncMap, GoMap, GoValue } from '../template/values.js';
import { isEmpty } from './cast.js';
import { argStr, fn } from './define.js';
import { goTypeName, sameSliceType, typedSlice } from './go-types.js';
import { strval } from './go-format.js';
import { compareBytes } from './list-funcs.js';

function asMap(v: GoValue): GoMap {
  return isGoMap(v) ? v : {};
}

function isMapOrSlice(v: GoValue): boolean {
  return isGoMap(v) || Array.isArray(v) || v instanceof Uint8Array;
}

/** mergo.deepMerge for map[string]interface{} (mutates dst), as used by Sprig's merge functions. */
export function mergoMerge(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    const had = Object.hasOwn(dst, key);
    const d = dst[key];
    if (s === null || s === undefined) {
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isGoMap(s) || s instanceof GoStruct) {
      if (isGoMap(s) && isGoMap(d)) mergoMerge(d, s, overwrite);
    } else if (Array.isArray(s) && overwrite) {
      dst[key] = s;
    } else if (Array.isArray(s) && (!had || d === null)) {
      dst[key] = typedSlice([], 'interface {}');
    }
    if (had && !isEmpty(d) && isMapOrSlice(s)) continue;
    if (overwrite || !had || isEmpty(d)) dst[key] = s;
  }
}

/** copystructure.Copy for GoValues: maps and slices are copied recursively, scalars shared. */
export function deepCopyValue(v: GoValue): GoValue {
  if (Array.isArray(v)) return sameSliceType(v, v.map(deepCopyValue));
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopyValue(x);
    return out;
  }
  return v;
}

// copystructure.Copy(nil) panics inside reflect.
function nonNil(v: GoValue): GoValue {
  if (v === null || v === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  return v;
}

function dig(...ps: GoValue[]): GoValue {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const last = ps[ps.length - 1];
  if (!isGoMap(last)) throw new Error(`interface conversion: interface {} is ${goTypeName(last)}, not map[string]interface {}`);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    return k;
  });
  let cur: GoMap = last;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? '';
    if (!Object.hasOwn(cur, k)) return def;
    const step = cur[k];
    if (i === keys.length - 1) return step;
    if (!isGoMap(step)) throw new Error(`interface conversion: interface {} is ${goTypeName(step)}, not map[string]interface {}`);
    cur = step;
  }
  return def;
}

function mergeAll(overwrite: boolean) {
  return (dst: GoValue, ...srcs: GoValue[]): GoValue => {
    const target = isGoMap(dst) ? dst : {};
    for (const s of srcs) mergoMerge(target, asMap(s), overwrite);
    return target;
  };
}

/** Dict family of Sprig's function map. Map iteration order (keys, values) is sorted, where Go's is random. */
export function dictFuncs(): FuncMap {
  return {
    dict: fn(
      [],
      (...xs) => {
        const out: GoMap = {};
        for (let i = 0; i < xs.length; i += 2) {
          const key = strval(xs[i] === undefined ? null : xs[i]);
          out[key] = i + 1 >= xs.length ? '' : (xs[i + 1] ?? null);
        }
        return out;
      },
      'interface{}',
    ),
    get: fn(['map[string]interface{}', 'string'], (d, k) => {
      const m = asMap(d);
      const key = argStr(k);
      return Object.hasOwn(m, key) ? (m[key] ?? null) : '';
    }),
    set: fn(['map[string]interface{}', 'string', 'interface{}'], (d, k, v) => {
      if (!isGoMap(d)) throw new Error('assignment to entry in nil map');
      d[argStr(k)] = v === undefined ? null : v;
      return d;
    }),
    unset: fn(['map[string]interface{}', 'string'], (d, k) => {
      if (isGoMap(d)) delete d[argStr(k)];
      return isGoMap(d) ? d : {};
    }),
    hasKey: fn(['map[string]interface{}', 'string'], (d, k) => Object.hasOwn(asMap(d), argStr(k))),
    pluck: fn(
      ['string'],
      (k, ...ds) => {
        const key = argStr(k);
        return ds.map(asMap).filter((m) => Object.hasOwn(m, key)).map((m) => m[key] ?? null);
      },
      'map[string]interface{}',
    ),
    keys: fn(
      [],
      (...ds) => typedSlice(ds.flatMap((m) => Object.keys(asMap(m)).sort(compareBytes)), 'string'),
      'map[string]interface{}',
    ),
    pick: fn(
      ['map[string]interface{}'],
      (d, ...ks) => {
        const m = asMap(d);
        const out: GoMap = {};
        for (const k of ks.map(argStr)) if (Object.hasOwn(m, k)) out[k] = m[k] ?? null;
        return out;
      },
      'string',
    ),
    omit: fn(
      ['map[string]interface{}'],
      (d, ...ks) => {
        const drop = new Set(ks.map(argStr));
        const out: GoMap = {};
        for (const [k, v] of Object.entries(asMap(d))) if (!drop.has(k)) out[k] = v;
        return out;
      },
      'string',
    ),
    merge: fn(['map[string]interface{}'], mergeAll(false), 'map[string]interface{}'),
    mustMerge: fn(['map[string]interface{}'], mergeAll(false), 'map[string]interface{}'),
    mergeOverwrite: fn(['map[string]interface{}'], mergeAll(true), 'map[string]interface{}'),
    mustMergeOverwrite: fn(['map[string]interface{}'], mergeAll(true), 'map[string]interface{}'),
    values: fn(['map[string]interface{}'], (d) => {
      const m = asMap(d);
      return Object.keys(m).sort(compareBytes).map((k) => m[k] ?? null);
    }),
    deepCopy: fn(['interface{}'], (v) => deepCopyValue(nonNil(v))),
    mustDeepCopy: fn(['interface{}'], (v) => deepCopyValue(nonNil(v))),
    dig: fn([], dig, 'interface{}'),
  };
}
