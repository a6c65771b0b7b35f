/**
 * How Go values are represented in the TypeScript template engine. Shared by the engine (text/template),
 * the function libraries (Sprig, Helm extras) and the YAML/JSON printers, so all agree on types.
 *
 * | Go                                  | TypeScript                                   |
 * |-------------------------------------|----------------------------------------------|
 * | missing map key (invalid Value)     | `undefined` (prints `<no value>`)             |
 * | nil (interface, pointer, map, slice)| `null` (prints `<nil>`)                       |
 * | bool / string                       | `boolean` / `string`                          |
 * | float64 (every number from YAML/JSON)| `number`                                     |
 * | int (template int literals, len)    | `bigint`                                      |
 * | other sized numbers (int64 from Sprig math, uint8 ...) | `GoNumber`                  |
 * | []interface{}                       | `GoValue[]`                                   |
 * | named slice type with methods (chartutil.VersionSet) | `GoValue[]` tagged by `withSliceMethods` |
 * | map[string]interface{}              | plain object (`GoMap`); range/print sort keys  |
 * | []byte                              | `Uint8Array`                                  |
 * | struct (.Chart, .Capabilities, .Files, time.Time) | `GoStruct`                      |
 * | func                                | `GoFunc`                                      |
 */

/** A sized Go number other than `int` and `float64` (e.g. Sprig's `add` returns int64). */
export class GoNumber {
  constructor(
    readonly kind: 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'float32',
    readonly value: bigint | number,
  ) {}
}

/** A Go struct (or pointer to one): exported fields plus methods callable from templates. */
export class GoStruct {
  constructor(
    /** Go type name as `%T` prints it, e.g. `*chart.Metadata`. */
    readonly typeName: string,
    readonly fields: Record<string, GoValue>,
    readonly methods: Record<string, GoFunc> = {},
    /** How `%v`/print shows it; defaults to Go's `{field1 field2}` form. */
    readonly format?: () => string,
    /** For a Go map type with methods (Helm's `.Files`): what `range`, `len` and truth see. */
    readonly mapView?: GoMap,
  ) {}
}

/** A function value (template function or method). Receives already-evaluated arguments. */
export type GoFunc = (...args: GoValue[]) => GoValue;

export interface GoMap {
  [key: string]: GoValue;
}

export type GoValue =
  | undefined
  | null
  | boolean
  | string
  | number
  | bigint
  | GoNumber
  | Uint8Array
  | GoStruct
  | GoFunc
  | GoValue[]
  | GoMap;

const mapMethodsTag = Symbol('goMapMethods');

/**
 * Gives a map Go methods, as for a named map type (Helm's chartutil.Values has `.AsMap`, `.Table`, ...):
 * a field name that is a method calls it, other names are map keys. Returns the same map.
 */
export function withMapMethods<T extends GoMap>(map: T, methods: Record<string, GoFunc>): T {
  Object.defineProperty(map, mapMethodsTag, { value: methods, enumerable: false, configurable: true });
  return map;
}

/** The methods attached with withMapMethods, if any. */
export function mapMethodsOf(map: GoMap): Record<string, GoFunc> | undefined {
  return (map as { [mapMethodsTag]?: Record<string, GoFunc> })[mapMethodsTag];
}

const sliceTypeTag = Symbol('goSliceType');

/** The Go named type of a slice given methods with withSliceMethods. */
export interface NamedSliceType {
  /** Go type name as `%T` prints it, e.g. `chartutil.VersionSet`. */
  typeName: string;
  /** Methods with their Go signatures, so calls are checked as reflect would (`.Has 1` fails). */
  methods: Record<string, SliceMethod>;
}

/** A method of a named slice type: `call` receives the receiver (the slice value it is called on) first. */
export interface SliceMethod {
  params: GoParamType[];
  variadic?: GoParamType;
  call: (receiver: GoValue[], ...args: GoValue[]) => GoValue;
}

/**
 * Makes a slice a value of a named slice type with methods, as Helm's `chartutil.VersionSet` (`[]string`
 * with `Has`): range, len, index, slice, printing and Sprig's list functions see the slice itself, and a
 * field name that is a method calls it. Tag the element type with `typedSlice` too. Returns the same array.
 */
export function withSliceMethods<T extends GoValue[]>(list: T, typeName: string, methods: Record<string, SliceMethod>): T {
  const named: NamedSliceType = { typeName, methods };
  Object.defineProperty(list, sliceTypeTag, { value: named, enumerable: false, configurable: true });
  return list;
}

/** The named type attached with withSliceMethods, if any. */
export function namedSliceTypeOf(list: GoValue[]): NamedSliceType | undefined {
  return (list as { [sliceTypeTag]?: NamedSliceType })[sliceTypeTag];
}

/** True for plain-object maps (not arrays, structs, numbers, bytes). */
export function isGoMap(v: GoValue): v is GoMap {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof GoStruct) &&
    !(v instanceof GoNumber) &&
    !(v instanceof Uint8Array)
  );
}

/**
 * Go parameter types a template function declares, so the engine can check and convert arguments the
 * way text/template's reflect call does (e.g. `upper 3` fails: "wrong type for value; expected string; got int").
 */
export type GoParamType =
  | 'interface{}'
  | 'string'
  | 'bool'
  | 'int'
  | 'int64'
  | 'uint32'
  | 'float64'
  | '[]interface{}'
  | '[]string'
  | 'map[string]interface{}'
  | '[]byte'
  | 'time.Time';

/**
 * A function in a template function map. `call` receives converted arguments; it signals an error by
 * throwing an `Error` whose message is Go's error text (the engine wraps it as
 * `error calling NAME: MESSAGE`, as text/template does for returned errors and recovered panics).
 */
export interface TemplateFunction {
  params: GoParamType[];
  /** Type of the trailing variadic parameter, if the Go function is variadic. */
  variadic?: GoParamType;
  call: (...args: GoValue[]) => GoValue;
}

export type FuncMap = Record<string, TemplateFunction>;
