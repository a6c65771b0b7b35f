/**
 * Compiled schema checks shared by content within a run: the same converted schema (a provider CRD in every
 * Kubernetes minor's catalog, a ClusterClass variable in every renamed copy of a stack) compiles once. The key
 * is the schema's exact JSON text, so a change anywhere in the schema is a miss; schemas JSON cannot spell
 * exactly (non-finite numbers, non-plain values) are never shared.
 */
import type { Ajv, ErrorObject } from 'ajv';

/** A compiled check: returns ajv errors (empty when valid). */
export type SchemaCheck = (value: unknown) => ErrorObject[];

/** Exact JSON text of a plain JSON value, or undefined when JSON would lose something (NaN, ±Infinity, non-plain objects). */
export function contentKey(value: unknown): string | undefined {
  return isPlainJson(value, 0) ? JSON.stringify(value) : undefined;
}

function isPlainJson(value: unknown, depth: number): boolean {
  if (depth > 1000) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value as Record<string, unknown>).every((v) => isPlainJson(v, depth + 1));
}

/** A bounded store of checks compiled on one ajv instance, keyed by schema content. */
export interface CheckStore {
  /** The check for `schema`, compiled on first use (undefined key: compiled every time, never shared). */
  get(schema: object): SchemaCheck;
  /** How many distinct schemas were compiled (tests). */
  size(): number;
}

/** Creates a store on `ajv`; at most `max` checks are kept (oldest first out). */
export function createCheckStore(ajv: Ajv, max = 2048): CheckStore {
  const checks = new Map<string, SchemaCheck>();
  const compile = (schema: object): SchemaCheck => {
    const validate = ajv.compile(schema);
    return (value) => (validate(value) ? [] : (validate.errors ?? []));
  };
  return {
    get(schema) {
      const key = contentKey(schema);
      if (key === undefined) return compile(schema);
      let check = checks.get(key);
      if (!check) {
        check = compile(schema);
        if (checks.size >= max) checks.delete(checks.keys().next().value as string);
        checks.set(key, check);
      }
      return check;
    },
    size: () => checks.size,
  };
}
