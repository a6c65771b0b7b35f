/**
 * Pure conversion of a CRD version's `openAPIV3Schema` into plain JSON Schema (draft-07 for ajv), in
 * two modes (rendering-and-capi.md §6): `strict` behaves like the apiserver with strict field validation,
 * `kubeconform` repeats kubeconform's openapi2jsonschema.py transforms.
 */
import { KUBECONFORM_FORMATS, KUBERNETES_FORMATS } from './k8s-formats.js';

/** How a schema is checked: like the apiserver (unknown fields rejected) or like kubeconform. */
export type SchemaMode = 'strict' | 'kubeconform';

/** A JSON Schema node (or a Kubernetes OpenAPI v3 node before conversion). */
export type JsonSchema = { [key: string]: unknown } | boolean;

type Obj = Record<string, unknown>;

const SCALAR_KEYWORDS = [
  'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'multipleOf', 'required', 'const', 'description',
] as const;
const BRANCH_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Keyword kept for `x-kubernetes-list-type: map` lists: no two items may have the same key values (crd-schema.ts). */
export const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';

const STRING = { type: 'string' };
// ObjectMeta is a Go struct on the server: JSON null in any of its fields decodes to "unset".
const NSTRING = { type: ['string', 'null'] };
const STRING_MAP = { type: ['object', 'null'], additionalProperties: { type: 'string' } };

/** ObjectMeta as the apiserver accepts it in an object (every field known, nothing else). */
export const OBJECT_META_SCHEMA: Obj = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: NSTRING,
    generateName: NSTRING,
    namespace: NSTRING,
    selfLink: NSTRING,
    uid: NSTRING,
    resourceVersion: NSTRING,
    generation: { type: ['integer', 'null'] },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: ['string', 'null'] },
    deletionGracePeriodSeconds: { type: ['integer', 'null'] },
    labels: STRING_MAP,
    annotations: STRING_MAP,
    ownerReferences: { type: ['array', 'null'], items: { type: 'object' } },
    finalizers: { type: ['array', 'null'], items: STRING },
    managedFields: { type: ['array', 'null'], items: { type: 'object' } },
  },
};

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when `schema` lets unknown fields through at this level (preserve-unknown-fields or no properties). */
function preservesUnknown(s: Obj): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true;
}

/** Draft 4 boolean `exclusiveMinimum` (OpenAPI v3.0) → draft-07 numbers. */
function copyNumericBounds(s: Obj, out: Obj): void {
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (s[flag] === true && typeof s[bound] === 'number') {
      out[flag] = s[bound];
      delete out[bound];
    } else if (typeof s[flag] === 'number') {
      out[flag] = s[flag];
    }
  }
}

/**
 * Apiserver-like conversion of one node. `structural` is false inside allOf/anyOf/oneOf/not, where
 * Kubernetes only allows value validations, so no `additionalProperties: false` is added there.
 */
function convertStrict(s: JsonSchema, structural: boolean): JsonSchema {
  if (!isObj(s)) return s;
  const out: Obj = {};
  let types: string[] | undefined = typeof s.type === 'string' ? [s.type] : undefined;
  if (s['x-kubernetes-int-or-string'] === true) types = ['integer', 'string'];
  if (types && s.nullable === true) types.push('null');
  if (types) out.type = types.length === 1 ? types[0] : types;
  if (typeof s.format === 'string' && Object.hasOwn(KUBERNETES_FORMATS, s.format) && (!types || types.includes('string'))) {
    out.format = s.format;
  }
  if (Array.isArray(s.enum)) out.enum = s.nullable === true && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  for (const k of SCALAR_KEYWORDS) if (s[k] !== undefined && k !== 'description') out[k] = s[k];
  copyNumericBounds(s, out);
  // An embedded resource always has apiVersion, kind and ObjectMeta, even when its schema lists no properties.
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const properties = isObj(s.properties) ? s.properties : embedded ? {} : undefined;
  if (properties) {
    const props: Obj = {};
    for (const [name, sub] of Object.entries(properties)) props[name] = convertStrict(sub as JsonSchema, structural);
    if (embedded) {
      props.apiVersion ??= STRING;
      props.kind ??= STRING;
      props.metadata = OBJECT_META_SCHEMA;
    }
    out.properties = props;
    // The apiserver applies defaults before validating: a required field with a default is never missing.
    if (Array.isArray(out.required)) {
      out.required = (out.required as string[]).filter((r) => !(isObj(properties[r]) && (properties[r] as Obj).default !== undefined));
      if ((out.required as string[]).length === 0) delete out.required;
    }
  }
  if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties;
  else if (isObj(s.additionalProperties)) out.additionalProperties = convertStrict(s.additionalProperties, structural);
  else if (structural && properties && !preservesUnknown(s) && !(embedded && !isObj(s.properties))) out.additionalProperties = false;
  if (isObj(s.items)) out.items = convertStrict(s.items, structural);
  if (s['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (s['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys'])) out[LIST_MAP_KEYS] = s['x-kubernetes-list-map-keys'];
  for (const k of BRANCH_KEYWORDS) {
    if (Array.isArray(s[k])) out[k] = (s[k] as JsonSchema[]).map((b) => convertStrict(b, false));
  }
  if (isObj(s.not)) out.not = convertStrict(s.not, false);
  return out;
}

/** Apiserver-like JSON Schema for a CRD version (root `metadata` checked as ObjectMeta). */
export function toStrictSchema(openAPIV3Schema: unknown): JsonSchema {
  const root = convertStrict(isObj(openAPIV3Schema) ? openAPIV3Schema : {}, true);
  if (!isObj(root)) return root;
  const props = isObj(root.properties) ? { ...root.properties } : {};
  props.apiVersion = STRING;
  props.kind = STRING;
  props.metadata = OBJECT_META_SCHEMA;
  return { ...root, type: 'object', properties: props, additionalProperties: root.additionalProperties ?? false };
}

/** Apiserver-like JSON Schema for a ClusterClass variable (no ObjectMeta, formats on non-strings dropped). */
export function toVariableSchema(openAPIV3Schema: unknown): JsonSchema {
  return convertStrict(isObj(openAPIV3Schema) ? openAPIV3Schema : {}, true);
}

/** openapi2jsonschema.py `additional_properties`: visits dicts (also `properties` maps), not lists. */
function denyAdditional(data: unknown, skip: boolean): void {
  if (!isObj(data)) return;
  if ('properties' in data && !skip && !('additionalProperties' in data)) data.additionalProperties = false;
  for (const v of Object.values(data)) denyAdditional(v, false);
}

/** openapi2jsonschema.py `replace_int_or_string`. */
function replaceIntOrString(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(replaceIntOrString);
  if (!isObj(data)) return data;
  const out: Obj = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] = isObj(v) && v.format === 'int-or-string' ? { oneOf: [{ type: 'string' }, { type: 'integer' }] } : replaceIntOrString(v);
  }
  return out;
}

/** Keeps only keywords a Draft 4 validator knows (x-kubernetes-*, nullable, defaults ignored). */
function draft4Only(s: unknown): JsonSchema {
  if (!isObj(s)) return typeof s === 'boolean' ? s : {};
  const out: Obj = {};
  if (s.type !== undefined) out.type = s.type;
  if (typeof s.format === 'string' && Object.hasOwn(KUBECONFORM_FORMATS, s.format)) out.format = s.format;
  if (Array.isArray(s.enum)) out.enum = s.enum;
  for (const k of SCALAR_KEYWORDS) if (s[k] !== undefined && k !== 'description') out[k] = s[k];
  copyNumericBounds(s, out);
  if (isObj(s.properties)) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, draft4Only(v)]));
  }
  if (s.additionalProperties !== undefined) out.additionalProperties = draft4Only(s.additionalProperties);
  if (s.items !== undefined) out.items = Array.isArray(s.items) ? s.items.map(draft4Only) : draft4Only(s.items);
  for (const k of BRANCH_KEYWORDS) if (Array.isArray(s[k])) out[k] = (s[k] as unknown[]).map(draft4Only);
  if (s.not !== undefined) out.not = draft4Only(s.not);
  return out;
}

/** kubeconform-compatible JSON Schema (its transforms; root left open unless `denyRootAdditionalProperties`). */
export function toKubeconformSchema(openAPIV3Schema: unknown, options: { denyRootAdditionalProperties?: boolean } = {}): JsonSchema {
  const copy = replaceIntOrString(structuredClone(openAPIV3Schema ?? {}));
  denyAdditional(copy, !options.denyRootAdditionalProperties);
  return draft4Only(copy);
}

/** Converts in the given mode. */
export function convertCrdSchema(openAPIV3Schema: unknown, mode: SchemaMode): JsonSchema {
  return mode === 'strict' ? toStrictSchema(openAPIV3Schema) : toKubeconformSchema(openAPIV3Schema);
}
