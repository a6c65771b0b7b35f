/**
 * Sprig list functions (list.go): reflect-style slice handling, Go panics and `must*` errors with
 * Sprig's exact messages, DeepEqual-based membership.
 */
import type { FuncMap, GoValue } from '../template/values.js';
import { deepEqual, isEmpty, toInt } from './cast.js';
import { argInt, fn } from './define.js';
import { strslice } from './strings-funcs.js';
import { goKindName, isGoSlice, sameSliceType, sliceItems, typedSlice } from './go-types.js';
import { strval } from './go-format.js';

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** The items of a slice argument, or Sprig's error for other kinds (nil panics like reflect does). */
function itemsOf(v: GoValue, what: string): GoValue[] {
  if (v === null || v === undefined) throw new Error(NIL_DEREF);
  if (isGoSlice(v)) return sliceItems(v);
  throw new Error(`${what} ${goKindName(v)}`);
}

function inList(haystack: GoValue[], needle: GoValue): boolean {
  return haystack.some((h) => deepEqual(needle, h));
}

type ListOp = (list: GoValue, ...rest: GoValue[]) => GoValue;

const ops: Record<string, { params: ('interface{}' | 'int')[]; variadic?: 'interface{}'; op: ListOp }> = {
  Push: { params: ['interface{}', 'interface{}'], op: (l, v) => [...itemsOf(l, 'Cannot push on type'), v] },
  Prepend: { params: ['interface{}', 'interface{}'], op: (l, v) => [v, ...itemsOf(l, 'Cannot prepend on type')] },
  First: {
    params: ['interface{}'],
    op: (l) => {
      const items = itemsOf(l, 'Cannot find first on type');
      return items.length === 0 ? null : items[0];
    },
  },
  Last: {
    params: ['interface{}'],
    op: (l) => {
      const items = itemsOf(l, 'Cannot find last on type');
      return items.length === 0 ? null : items[items.length - 1];
    },
  },
  Rest: {
    params: ['interface{}'],
    op: (l) => {
      const items = itemsOf(l, 'Cannot find rest on type');
      return items.slice(1);
    },
  },
  Initial: {
    params: ['interface{}'],
    op: (l) => {
      const items = itemsOf(l, 'Cannot find initial on type');
      return items.slice(0, -1);
    },
  },
  Reverse: { params: ['interface{}'], op: (l) => [...itemsOf(l, 'Cannot find reverse on type')].reverse() },
  Compact: { params: ['interface{}'], op: (l) => itemsOf(l, 'Cannot compact on type').filter((x) => !isEmpty(x)) },
  Uniq: {
    params: ['interface{}'],
    op: (l) => {
      const out: GoValue[] = [];
      for (const x of itemsOf(l, 'Cannot find uniq on type')) if (!inList(out, x)) out.push(x);
      return out;
    },
  },
  Without: {
    params: ['interface{}'],
    variadic: 'interface{}',
    op: (l, ...omit) => itemsOf(l, 'Cannot find without on type').filter((x) => !inList(omit, x)),
  },
  Has: {
    params: ['interface{}', 'interface{}'],
    op: (needle, haystack) => {
      if (haystack === null || haystack === undefined) return false;
      return inList(itemsOf(haystack, 'Cannot find has on type'), needle);
    },
  },
  Slice: {
    params: ['interface{}'],
    variadic: 'interface{}',
    op: (l, ...idx) => {
      const items = itemsOf(l, 'list should be type of slice or array but');
      if (items.length === 0) return null;
      const start = idx.length > 0 ? Number(toInt(idx[0])) : 0;
      const end = idx.length < 2 ? items.length : Number(toInt(idx[1]));
      if (start < 0 || end > items.length || start > end) throw new Error('reflect.Value.Slice: slice index out of bounds');
      const out = items.slice(start, end);
      return Array.isArray(l) ? sameSliceType(l, out) : out;
    },
  },
  Chunk: {
    params: ['int', 'interface{}'],
    op: (size, l) => {
      const items = itemsOf(l, 'Cannot chunk type');
      const n = argInt(size);
      const out: GoValue[] = [];
      for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
      return typedSlice(out, '[]interface {}');
    },
  },
};

/** List family of Sprig's function map (plain variants panic, `must*` variants return the error). */
export function listFuncs(): FuncMap {
  const map: FuncMap = {
    list: fn([], (...xs) => xs.map((x) => (x === undefined ? null : x)), 'interface{}'),
    tuple: fn([], (...xs) => xs.map((x) => (x === undefined ? null : x)), 'interface{}'),
    concat: fn(
      [],
      (...lists) => {
        const out: GoValue[] = [];
        for (const l of lists) {
          if (l === null || l === undefined) throw new Error(NIL_DEREF);
          if (!isGoSlice(l)) throw new Error(`Cannot concat type ${goKindName(l)} as list`);
          out.push(...sliceItems(l));
        }
        return out;
      },
      'interface{}',
    ),
    sortAlpha: fn(['interface{}'], (l) => {
      if (isGoSlice(l)) return typedSlice([...strslice(l)].sort(compareBytes), 'string');
      return typedSlice([strval(l)], 'string');
    }),
  };
  const names: Record<string, string[]> = {
    Push: ['append', 'push', 'mustAppend', 'mustPush'],
    Prepend: ['prepend', 'mustPrepend'],
    First: ['first', 'mustFirst'],
    Last: ['last', 'mustLast'],
    Rest: ['rest', 'mustRest'],
    Initial: ['initial', 'mustInitial'],
    Reverse: ['reverse', 'mustReverse'],
    Compact: ['compact', 'mustCompact'],
    Uniq: ['uniq', 'mustUniq'],
    Without: ['without', 'mustWithout'],
    Has: ['has', 'mustHas'],
    Slice: ['slice', 'mustSlice'],
    Chunk: ['chunk', 'mustChunk'],
  };
  for (const [key, aliases] of Object.entries(names)) {
    const spec = ops[key];
    if (!spec) continue;
    for (const name of aliases) map[name] = fn(spec.params, spec.op, spec.variadic);
  }
  return map;
}

/** Go's string ordering (byte-wise UTF-8, which equals code point order). */
export function compareBytes(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < ca.length && i < cb.length; i++) {
    const x = ca[i]?.codePointAt(0) ?? 0;
    const y = cb[i]?.codePointAt(0) ?? 0;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}
