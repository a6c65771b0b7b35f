/** Small helpers to declare template functions with their Go signatures and read converted arguments. */
import type { GoParamType, GoValue, TemplateFunction } from '../template/values.js';

/** Declares a template function: Go parameter types, optional variadic type, and the implementation. */
export function fn(
  params: GoParamType[],
  call: (...args: GoValue[]) => GoValue,
  variadic?: GoParamType,
): TemplateFunction {
  return variadic === undefined ? { params, call } : { params, variadic, call };
}

/** A converted `string` argument. */
export function argStr(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  throw new Error(`internal: expected string argument, got ${typeof v}`);
}

/** A converted `int` argument as a JS number (safe for counts, widths and indexes). */
export function argInt(v: GoValue): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.trunc(v);
  if (v === undefined || v === null) return 0;
  throw new Error(`internal: expected int argument, got ${typeof v}`);
}

/** A converted `bool` argument. */
export function argBool(v: GoValue): boolean {
  return v === true;
}

/** Removes nil (and missing) values, as Sprig's removeNilElements. */
export function withoutNil(values: GoValue[]): GoValue[] {
  return values.filter((v) => v !== null && v !== undefined);
}
