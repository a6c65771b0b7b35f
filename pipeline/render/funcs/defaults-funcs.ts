/**
 * Sprig defaults, reflection and JSON functions (defaults.go, reflect.go): `default`/`empty`/`coalesce`
 * truthiness, type inspection with Go's `%T` names, and encoding/json round trips.
 */
import type { FuncMap, GoValue } from '../template/values.js';
import { deepEqual, isEmpty } from './cast.js';
import { argBool, argStr, fn } from './define.js';
import { goJsonMarshal, goJsonUnmarshal } from './go-json.js';
import { goKindName, goTypeName } from './go-types.js';

function nil(v: GoValue): GoValue {
  return v === undefined ? null : v;
}

function tryOr(f: () => string, fallback: string): string {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** Defaults, type and JSON family of Sprig's function map. */
export function defaultsFuncs(): FuncMap {
  return {
    default: fn(
      ['interface{}'],
      (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? nil(d) : nil(given[0])),
      'interface{}',
    ),
    empty: fn(['interface{}'], (v) => isEmpty(v)),
    coalesce: fn([], (...xs) => nil(xs.find((x) => !isEmpty(x)) ?? null), 'interface{}'),
    all: fn([], (...xs) => xs.every((x) => !isEmpty(x)), 'interface{}'),
    any: fn([], (...xs) => xs.some((x) => !isEmpty(x)), 'interface{}'),
    fromJson: fn(['string'], (s) => {
      try {
        return goJsonUnmarshal(argStr(s));
      } catch {
        return null;
      }
    }),
    mustFromJson: fn(['string'], (s) => goJsonUnmarshal(argStr(s))),
    toJson: fn(['interface{}'], (v) => tryOr(() => goJsonMarshal(v), '')),
    mustToJson: fn(['interface{}'], (v) => goJsonMarshal(v)),
    toPrettyJson: fn(['interface{}'], (v) => tryOr(() => goJsonMarshal(v, { indent: '  ' }), '')),
    mustToPrettyJson: fn(['interface{}'], (v) => goJsonMarshal(v, { indent: '  ' })),
    toRawJson: fn(['interface{}'], (v) => goJsonMarshal(v, { escapeHTML: false })),
    mustToRawJson: fn(['interface{}'], (v) => goJsonMarshal(v, { escapeHTML: false })),
    ternary: fn(['interface{}', 'interface{}', 'bool'], (t, f, c) => (argBool(c) ? nil(t) : nil(f))),
    typeOf: fn(['interface{}'], (v) => goTypeName(v)),
    typeIs: fn(['string', 'interface{}'], (t, v) => argStr(t) === goTypeName(v)),
    typeIsLike: fn(['string', 'interface{}'], (t, v) => {
      const name = goTypeName(v);
      return argStr(t) === name || `*${argStr(t)}` === name;
    }),
    kindOf: fn(['interface{}'], (v) => goKindName(v)),
    kindIs: fn(['string', 'interface{}'], (t, v) => argStr(t) === goKindName(v)),
    deepEqual: fn(['interface{}', 'interface{}'], (a, b) => deepEqual(a, b)),
    fail: fn(['string'], (msg) => {
      throw new Error(argStr(msg));
    }),
  };
}
