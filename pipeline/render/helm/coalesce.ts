/**
 * Helm's value coalescing (helm/helm pkg/chartutil/coalesce.go, values.go): user values over chart defaults,
 * parents over subcharts, `null` deleting keys, `global` copied down, plus Values.Table/PathValue lookups.
 */
import { isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import type { HelmChart } from './types.js';

/** Where Helm's log.Printf warnings go (table/scalar clashes). */
export type Warn = (message: string) => void;

const GLOBAL = 'global';

function setKey(m: GoMap, k: string, v: GoValue): void {
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of maps and lists (copystructure.Copy). */
export function deepCopy<T extends GoValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, deepCopy(x));
    return out as T;
  }
  return v;
}

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/** chartutil.CoalesceValues: user values `vals` over the chart's defaults, recursively into subcharts. */
export function coalesceValues(chart: HelmChart, vals: GoMap, warn: Warn = () => {}): GoMap {
  return coalesce(chart, deepCopy(vals), '', false, warn);
}

/** chartutil.MergeValues: like coalesceValues but `null` values are kept, not deleted. */
export function mergeValues(chart: HelmChart, vals: GoMap, warn: Warn = () => {}): GoMap {
  return coalesce(chart, deepCopy(vals), '', true, warn);
}

function coalesce(chart: HelmChart, dest: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  coalesceChartValues(chart, dest, prefix, merge, warn);
  return coalesceDeps(chart, dest, prefix, merge, warn);
}

function coalesceDeps(chart: HelmChart, dest: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    if (!Object.hasOwn(dest, name)) setKey(dest, name, {});
    const dv = dest[name];
    if (!isGoMap(dv)) {
      throw new Error(`type mismatch on ${name}: %!t(${typeof dv === 'string' ? `string=${dv}` : String(dv)})`);
    }
    const subPrefix = concatPrefix(prefix, chart.metadata.name);
    coalesceGlobals(dv, dest, subPrefix, warn);
    setKey(dest, name, coalesce(sub, dv, subPrefix, merge, warn));
  }
  return dest;
}

function coalesceGlobals(dest: GoMap, src: GoMap, prefix: string, warn: Warn): void {
  let dg: GoMap;
  let sg: GoMap;
  if (!Object.hasOwn(dest, GLOBAL)) dg = {};
  else if (isGoMap(dest[GLOBAL])) dg = dest[GLOBAL];
  else {
    warn(`warning: skipping globals because destination ${GLOBAL} is not a table.`);
    return;
  }
  if (!Object.hasOwn(src, GLOBAL)) sg = {};
  else if (isGoMap(src[GLOBAL])) sg = src[GLOBAL];
  else {
    warn(`warning: skipping globals because source ${GLOBAL} is not a table.`);
    return;
  }
  for (const [key, val] of Object.entries(sg)) {
    if (isGoMap(val)) {
      const vv = deepCopy(val);
      if (!Object.hasOwn(dg, key)) setKey(dg, key, vv);
      else {
        const destv = dg[key];
        if (!isGoMap(destv)) warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
        else {
          coalesceTablesFullKey(vv, destv, concatPrefix(prefix, key), true, warn);
          setKey(dg, key, vv);
        }
      }
    } else if (Object.hasOwn(dg, key) && isGoMap(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else setKey(dg, key, val);
  }
  setKey(dest, GLOBAL, dg);
}

function coalesceChartValues(chart: HelmChart, v: GoMap, prefix: string, merge: boolean, warn: Warn): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.name);
  const vc = deepCopy(chart.values);
  for (const [key, val] of Object.entries(vc)) {
    if (Object.hasOwn(v, key)) {
      const value = v[key];
      if (value === null && !merge) delete v[key];
      else if (isGoMap(value)) {
        if (!isGoMap(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          const childMerge = chart.dependencies.some((d) => d.metadata.name === key) ? true : merge;
          coalesceTablesFullKey(value, val, concatPrefix(subPrefix, key), childMerge, warn);
        }
      }
    } else setKey(v, key, val);
  }
}

/** chartutil.CoalesceTables: `src` under authoritative `dst`; nulls in `dst` delete keys. */
export function coalesceTables(dst: GoMap, src: GoMap, warn: Warn = () => {}): GoMap {
  return coalesceTablesFullKey(dst, src, '', false, warn);
}

/** chartutil.MergeTables: like coalesceTables but nulls are kept. */
export function mergeTables(dst: GoMap, src: GoMap, warn: Warn = () => {}): GoMap {
  return coalesceTablesFullKey(dst, src, '', true, warn);
}

function coalesceTablesFullKey(dst: GoMap, src: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  for (const [key, val] of Object.entries(dst)) if (val === null) setKey(src, key, null);
  for (const [key, val] of Object.entries(src)) {
    const fullkey = concatPrefix(prefix, key);
    const ok = Object.hasOwn(dst, key);
    const dv = dst[key];
    if (ok && !merge && dv === null) delete dst[key];
    else if (!ok) setKey(dst, key, val);
    else if (isGoMap(val)) {
      if (isGoMap(dv)) coalesceTablesFullKey(dv, val, fullkey, merge, warn);
      else warn(`warning: cannot overwrite table with non table for ${fullkey} (${describe(val)})`);
    } else if (isGoMap(dv) && val !== null) {
      warn(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${describe(val)})`);
    }
  }
  return dst;
}

function describe(v: GoValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
}

/** values.mergeMaps used for `-f` layers: later maps win, nested maps merge, everything else replaces. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = {};
  for (const [k, v] of Object.entries(a)) setKey(out, k, v);
  for (const [k, v] of Object.entries(b)) {
    const bv = out[k];
    if (isGoMap(v) && Object.hasOwn(out, k) && isGoMap(bv)) setKey(out, k, mergeMaps(bv, v));
    else setKey(out, k, v);
  }
  return out;
}

/** Values.Table: the map at a dotted path, or undefined. */
export function table(values: GoMap, name: string): GoMap | undefined {
  let cur: GoMap = values;
  for (const part of name.split('.')) {
    const next = Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (!isGoMap(next)) return undefined;
    cur = next;
  }
  return cur;
}

/** Values.PathValue: a non-table value at a dotted path; `{ found: false }` when absent or a table. */
export function pathValue(values: GoMap, path: string): { found: true; value: GoValue } | { found: false } {
  const parts = path.split('.');
  const key = parts.pop() as string;
  const t = parts.length === 0 ? values : table(values, parts.join('.'));
  if (t === undefined || !Object.hasOwn(t, key) || isGoMap(t[key])) return { found: false };
  return { found: true, value: t[key] };
}
