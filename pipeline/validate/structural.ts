/**
 * Structural-schema rules for ClusterClass variable schemas (apiextensions "structural schema" plus the
 * keyword set CAPI's JSONSchemaProps knows), and the check that defaults and examples validate.
 */
import { checkVariableValue } from './variables.js';
import { isJsonObject, toPointer } from './types.js';

/** One structural problem at a JSON pointer relative to the schema root. */
export interface SchemaProblem {
  path: string;
  code: string;
  message: string;
}

/** Keywords of CAPI's JSONSchemaProps (clusterclass_types.go); anything else is rejected by the API. */
const KNOWN = new Set([
  'description', 'example', 'type', 'format', 'items', 'maxItems', 'minItems', 'uniqueItems', 'properties',
  'additionalProperties', 'maxProperties', 'minProperties', 'required', 'maxLength', 'minLength', 'pattern',
  'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'multipleOf', 'enum', 'default',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-validations', 'x-metadata',
  'allOf', 'oneOf', 'anyOf', 'not',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const FORBIDDEN_IN_JUNCTOR = ['type', 'default', 'additionalProperties', 'nullable', 'x-kubernetes-preserve-unknown-fields'];

function walk(node: unknown, at: (string | number)[], inJunctor: boolean, out: SchemaProblem[]): void {
  const here = toPointer(at);
  if (!isJsonObject(node)) {
    out.push({ path: here, code: 'VARIABLE_SCHEMA_NOT_OBJECT', message: 'schema node must be an object' });
    return;
  }
  for (const key of Object.keys(node)) {
    if (!KNOWN.has(key)) out.push({ path: toPointer([...at, key]), code: 'VARIABLE_SCHEMA_UNKNOWN_KEYWORD', message: `unknown schema keyword "${key}"` });
  }
  const open = node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
  if (inJunctor) {
    for (const key of FORBIDDEN_IN_JUNCTOR) {
      if (node[key] !== undefined) out.push({ path: toPointer([...at, key]), code: 'VARIABLE_SCHEMA_NOT_STRUCTURAL', message: `"${key}" is not allowed inside allOf/anyOf/oneOf/not` });
    }
  } else if (node.type === undefined && !open) {
    out.push({ path: here, code: 'VARIABLE_SCHEMA_NOT_STRUCTURAL', message: 'type must not be empty (structural schema)' });
  } else if (node.type !== undefined && (typeof node.type !== 'string' || !TYPES.has(node.type))) {
    out.push({ path: toPointer([...at, 'type']), code: 'VARIABLE_SCHEMA_BAD_TYPE', message: `type ${JSON.stringify(node.type)} is not one of ${[...TYPES].join(', ')}` });
  }
  if (node.properties !== undefined && node.additionalProperties !== undefined && node.additionalProperties !== false) {
    out.push({ path: toPointer([...at, 'additionalProperties']), code: 'VARIABLE_SCHEMA_NOT_STRUCTURAL', message: 'properties and additionalProperties are mutually exclusive' });
  }
  if (!inJunctor && node.type === 'array' && node.items === undefined) {
    out.push({ path: here, code: 'VARIABLE_SCHEMA_NOT_STRUCTURAL', message: 'items must be specified for type array' });
  }
  if (node.type !== undefined && node.type !== 'object' && (node.properties !== undefined || isJsonObject(node.additionalProperties))) {
    out.push({ path: here, code: 'VARIABLE_SCHEMA_NOT_STRUCTURAL', message: `properties are only allowed with type object, not ${String(node.type)}` });
  }
  if (Array.isArray(node.required) && isJsonObject(node.properties)) {
    const props = node.properties;
    (node.required as unknown[]).forEach((r, i) => {
      if (typeof r === 'string' && !Object.hasOwn(props, r)) out.push({ path: toPointer([...at, 'required', i]), code: 'VARIABLE_SCHEMA_REQUIRED_UNDECLARED', message: `required property "${r}" is not declared in properties` });
    });
  }
  if (isJsonObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) walk(v, [...at, 'properties', k], inJunctor, out);
  if (isJsonObject(node.additionalProperties)) walk(node.additionalProperties, [...at, 'additionalProperties'], inJunctor, out);
  if (node.items !== undefined) walk(node.items, [...at, 'items'], inJunctor, out);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[k])) (node[k] as unknown[]).forEach((b, i) => walk(b, [...at, k, i], true, out));
  }
  if (node.not !== undefined) walk(node.not, [...at, 'not'], true, out);
}

/** Checks one variable's openAPIV3Schema: structural rules, then default and example against the schema. */
export function checkVariableSchema(schema: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  walk(schema, [], false, out);
  if (out.length > 0 || !isJsonObject(schema)) return out;
  checkExamples(schema, [], out, schema);
  return out;
}

/** Every `default` and `example` inside the schema must validate against its own node. */
function checkExamples(node: unknown, at: (string | number)[], out: SchemaProblem[], root: unknown): void {
  if (!isJsonObject(node)) return;
  for (const key of ['default', 'example'] as const) {
    if (node[key] === undefined) continue;
    const errors = checkVariableValue(node, node[key]);
    for (const e of errors.slice(0, 3)) {
      out.push({ path: toPointer([...at, key]), code: key === 'default' ? 'VARIABLE_DEFAULT_INVALID' : 'VARIABLE_EXAMPLE_INVALID', message: `${key} ${JSON.stringify(node[key])} does not match the schema: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}` });
    }
  }
  if (isJsonObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) checkExamples(v, [...at, 'properties', k], out, root);
  if (isJsonObject(node.additionalProperties)) checkExamples(node.additionalProperties, [...at, 'additionalProperties'], out, root);
  if (isJsonObject(node.items)) checkExamples(node.items, [...at, 'items'], out, root);
}
