/**
 * ClusterClass variables as CAPI treats them (rendering-and-capi.md §5.2): structural defaulting,
 * validation of values against the variable schemas, and `valueFrom.variable` lookups.
 */
import type { ErrorObject } from 'ajv';
import { createCheckStore } from './compiled-checks.js';
import { toVariableSchema } from './crd-convert.js';
import { createAjv } from './crd-schema.js';
import { KUBERNETES_FORMATS } from './k8s-formats.js';
import { isJsonObject, type JsonObject } from './types.js';

/** Structural defaulting of `value` by `schema` (apiextensions semantics); returns a new value. */
export function applyDefaults(value: unknown, schema: unknown): unknown {
  if (!isJsonObject(schema)) return value;
  if (Array.isArray(value)) {
    return isJsonObject(schema.items) ? value.map((v) => applyDefaults(v, schema.items)) : value;
  }
  if (!isJsonObject(value)) return value;
  const out: JsonObject = { ...value };
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(props)) {
    if (!isJsonObject(sub) || sub.default === undefined) continue;
    if (!Object.hasOwn(out, name) || (out[name] === null && sub.nullable !== true)) out[name] = structuredClone(sub.default);
  }
  // Recursion also visits just-inserted defaults.
  for (const [name, v] of Object.entries(out)) {
    if (isJsonObject(props[name])) out[name] = applyDefaults(v, props[name]);
    else if (isJsonObject(schema.additionalProperties)) out[name] = applyDefaults(v, schema.additionalProperties);
  }
  return out;
}

/** The value a variable gets when the Cluster omits it: its top-level default (after defaulting), if any. */
export function defaultValueOf(schema: unknown): { value?: unknown; has: boolean } {
  if (!isJsonObject(schema) || schema.default === undefined) return { has: false };
  return { value: applyDefaults(structuredClone(schema.default), schema), has: true };
}

// Compiled once per schema content: renamed copies of a stack render equal variable schemas as new objects.
const store = createCheckStore(createAjv(KUBERNETES_FORMATS));
const compiled = new WeakMap<object, (v: unknown) => ErrorObject[]>();

/** Validates a variable value against its openAPIV3Schema (apiserver-like conversion, compiled once per content). */
export function checkVariableValue(schema: unknown, value: unknown): ErrorObject[] {
  const key = isJsonObject(schema) ? schema : {};
  let fn = compiled.get(key);
  if (!fn) {
    try {
      fn = store.get(toVariableSchema(key) as object);
    } catch (e) {
      const message = `schema does not compile: ${(e as Error).message}`;
      fn = () => [{ keyword: 'schema', instancePath: '', schemaPath: '', params: {}, message }];
    }
    compiled.set(key, fn);
  }
  return fn(value);
}

/** Splits `a.b[0].c` into segments (numbers for indices); undefined when the syntax is wrong. */
export function parseVariablePath(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    out.push(m[1] as string);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Looks up a dotted variable path in the item's variables; `found: false` when any segment is missing. */
export function lookupVariable(variables: JsonObject, path: string): { found: boolean; value?: unknown } {
  const segments = parseVariablePath(path);
  if (!segments) return { found: false };
  let node: unknown = variables;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(node) || s >= node.length) return { found: false };
      node = node[s];
    } else {
      if (!isJsonObject(node) || !Object.hasOwn(node, s)) return { found: false };
      node = node[s];
    }
  }
  return { found: true, value: node };
}

/** The schema node a dotted path (after the variable name) leads to; undefined when the path leaves the schema. */
export function schemaAt(schema: unknown, segments: readonly (string | number)[]): { schema?: unknown; open: boolean } {
  let node = schema;
  for (const s of segments) {
    if (!isJsonObject(node)) return { open: false };
    if (node['x-kubernetes-preserve-unknown-fields'] === true) return { open: true };
    if (typeof s === 'number') {
      node = node.items;
      continue;
    }
    if (isJsonObject(node.properties) && Object.hasOwn(node.properties, s)) node = node.properties[s];
    else if (isJsonObject(node.additionalProperties) || node.additionalProperties === true) node = node.additionalProperties;
    else return { open: false };
  }
  return { schema: node, open: false };
}
