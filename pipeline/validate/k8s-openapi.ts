/**
 * Kubernetes core-kind schemas from the upstream OpenAPI v3 documents (api/openapi-spec/v3 of
 * kubernetes/kubernetes, fetched by `csp schemas sync`). Every `components.schemas` entry becomes a strict
 * JSON Schema in one shared `$defs` document (compiled once per ajv instance, so PodSpec or ObjectMeta is
 * compiled once however many kinds use it); each entry with `x-kubernetes-group-version-kind` becomes a
 * catalog entry whose schema is a `$ref` into that document. Strict like `kubectl --validate=strict`:
 * unknown fields are errors at every depth.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { LIST_MAP_KEYS, OBJECT_META_SCHEMA, type JsonSchema } from './crd-convert.js';
import type { CrdVersion } from './crd-schema.js';
import { KUBERNETES_FORMATS } from './k8s-formats.js';

type Obj = Record<string, unknown>;

/** One group/version/kind a document defines, and the `components.schemas` entry that describes it. */
export interface OpenApiKind {
  group: string;
  version: string;
  kind: string;
  definition: string;
}

/** A parsed OpenAPI v3 document: its schemas and the kinds among them. */
export interface OpenApiDocument {
  file: string;
  schemas: Record<string, unknown>;
  kinds: OpenApiKind[];
}

/** Options of the conversion. */
export interface OpenApiConvertOptions {
  /**
   * Accept JSON null everywhere (default true): the apiserver decodes null in a field of a built-in type as
   * "unset", so `creationTimestamp: null` or an empty `annotations:` are valid. When false, only fields marked
   * `nullable` accept null.
   */
  nullAsUnset?: boolean;
}

const SCHEMA_REFS = ['#/components/schemas/', '#/definitions/'];
const SCALAR_KEYWORDS = ['pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf', 'required', 'const'] as const;
const INT32 = { minimum: -2147483648, maximum: 2147483647 };
/**
 * Types whose JSON form the apiserver decodes itself, whatever a document's version writes for them
 * (`type: string` in older documents): a Quantity is a string or a number, an IntOrString an integer or a string.
 */
const SCALAR_UNIONS: Record<string, string[]> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['integer', 'string'],
};

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for an OpenAPI 3 document with `components.schemas` (other JSON files, e.g. sync.json, are not). */
export function isOpenApiDocument(value: unknown): value is { openapi: string; components: { schemas: Obj } } {
  return isObj(value) && typeof value.openapi === 'string' && value.openapi.startsWith('3.') && isObj(value.components) && isObj(value.components.schemas);
}

/** The kinds of a `components.schemas` map (entries with `x-kubernetes-group-version-kind`). */
export function openApiKinds(schemas: Obj): OpenApiKind[] {
  const out: OpenApiKind[] = [];
  for (const [definition, schema] of Object.entries(schemas)) {
    if (!isObj(schema) || !Array.isArray(schema['x-kubernetes-group-version-kind'])) continue;
    for (const g of schema['x-kubernetes-group-version-kind'] as unknown[]) {
      if (isObj(g) && typeof g.kind === 'string' && typeof g.version === 'string') out.push({ group: typeof g.group === 'string' ? g.group : '', version: g.version, kind: g.kind, definition });
    }
  }
  return out;
}

/** True for a Swagger 2.0 document with `definitions` (the Kubernetes api/openapi-spec/swagger.json). */
export function isSwaggerDocument(value: unknown): value is { swagger: string; definitions: Obj } {
  return isObj(value) && value.swagger === '2.0' && isObj(value.definitions);
}

/** The schema map of an OpenAPI v3 (`components.schemas`) or Swagger 2.0 (`definitions`) document. */
export function documentSchemas(value: unknown): Obj | undefined {
  if (isOpenApiDocument(value)) return value.components.schemas;
  if (isSwaggerDocument(value)) return value.definitions;
  return undefined;
}

/**
 * Parses one document (OpenAPI v3 per group/version, or the Swagger 2.0 document of all groups); a file that
 * is neither gives an issue instead.
 */
export function parseOpenApiDocument(file: string, text: string): { document?: OpenApiDocument; issues: Issue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { issues: [{ severity: 'error', code: 'OPENAPI_INVALID', message: `${file} is not valid JSON: ${(e as Error).message}`, location: { file } }] };
  }
  const schemas = documentSchemas(value);
  if (!schemas) {
    return { issues: [{ severity: 'error', code: 'OPENAPI_INVALID', message: `${file} is neither an OpenAPI v3 document with components.schemas nor a Swagger 2.0 document with definitions`, location: { file } }] };
  }
  return { document: { file, schemas, kinds: openApiKinds(schemas) }, issues: [] };
}

/** `$defs` key of a `#/components/schemas/NAME` (v3) or `#/definitions/NAME` (v2) reference, else undefined. */
function definitionName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const prefix = SCHEMA_REFS.find((p) => ref.startsWith(p));
  return prefix === undefined ? undefined : decodeURIComponent(ref.slice(prefix.length));
}

/** A JSON pointer token for a definition name. */
function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Union of plain `{type}` branches (Quantity: string|number, IntOrString: integer|string), else undefined. */
function typeUnion(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const types: string[] = [];
  for (const b of branches) {
    if (!isObj(b) || typeof b.type !== 'string' || Object.keys(b).some((k) => k !== 'type' && k !== 'description')) return undefined;
    types.push(b.type);
  }
  return types;
}

interface Context {
  nullAsUnset: boolean;
  /** Definition names that exist, for dangling references. */
  known: ReadonlySet<string>;
  /** Prefix of a `$defs` reference (`#/$defs/` inside the shared document). */
  refPrefix: string;
  missing: Set<string>;
}

function refNode(name: string, ctx: Context): JsonSchema {
  if (!ctx.known.has(name)) {
    ctx.missing.add(name);
    return {};
  }
  return { $ref: `${ctx.refPrefix}${pointerToken(name)}` };
}

/** The single `$ref` of a node that only wraps one (`allOf: [{$ref}]` plus description/default), if any. */
function wrappedRef(s: Obj): string | undefined {
  if (typeof s.$ref === 'string') return s.$ref;
  if (!Array.isArray(s.allOf) || s.allOf.length !== 1 || !isObj(s.allOf[0]) || typeof s.allOf[0].$ref !== 'string') return undefined;
  const structural = ['type', 'properties', 'items', 'additionalProperties', 'enum', 'anyOf', 'oneOf'];
  return structural.some((k) => s[k] !== undefined) ? undefined : s.allOf[0].$ref;
}

/** Converts one OpenAPI schema node into strict JSON Schema (draft-07 as ajv reads it). */
function convertNode(s: unknown, ctx: Context, structural: boolean): JsonSchema {
  if (typeof s === 'boolean') return s;
  if (!isObj(s)) return {};
  const ref = wrappedRef(s);
  if (ref !== undefined) {
    const name = definitionName(ref);
    if (name === undefined) ctx.missing.add(ref);
    const target = name === undefined ? {} : refNode(name, ctx);
    // With nullAsUnset every definition already takes null; otherwise `nullable` beside the reference adds it.
    return s.nullable === true && !ctx.nullAsUnset ? { anyOf: [{ type: 'null' }, target] } : target;
  }
  const out: Obj = {};
  let types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]).slice() : undefined;
  let branchesDone = false;
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') {
    types = ['integer', 'string'];
    branchesDone = true;
  } else if (!types) {
    const union = typeUnion(s.oneOf) ?? typeUnion(s.anyOf);
    if (union) {
      types = union;
      branchesDone = true;
    }
  }
  const nullable = ctx.nullAsUnset || s.nullable === true;
  if (types && nullable && !types.includes('null')) types.push('null');
  if (types) out.type = types.length === 1 ? types[0] : types;
  if (typeof s.format === 'string' && Object.hasOwn(KUBERNETES_FORMATS, s.format) && types?.includes('string')) out.format = s.format;
  if (s.format === 'int32' && types?.includes('integer')) Object.assign(out, INT32);
  if (Array.isArray(s.enum)) out.enum = nullable && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  for (const k of SCALAR_KEYWORDS) if (s[k] !== undefined) out[k] = s[k];
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const properties = isObj(s.properties) ? s.properties : embedded ? {} : undefined;
  if (properties) {
    const props: Obj = {};
    for (const [name, sub] of Object.entries(properties)) props[name] = convertNode(sub, ctx, structural);
    if (embedded) {
      props.apiVersion ??= { type: 'string' };
      props.kind ??= { type: 'string' };
      props.metadata ??= ctx.known.has('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta') ? refNode('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', ctx) : OBJECT_META_SCHEMA;
    }
    out.properties = props;
  }
  if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties;
  else if (isObj(s.additionalProperties)) out.additionalProperties = convertNode(s.additionalProperties, ctx, structural);
  else if (structural && isObj(s.properties) && s['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  if (isObj(s.items)) out.items = convertNode(s.items, ctx, structural);
  if (s['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys'])) out[LIST_MAP_KEYS] = s['x-kubernetes-list-map-keys'];
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[k]) && !(branchesDone && k !== 'allOf')) out[k] = (s[k] as unknown[]).map((b) => convertNode(b, ctx, false));
  }
  if (isObj(s.not)) out.not = convertNode(s.not, ctx, false);
  return out;
}

/** The shared document of a set of OpenAPI documents: every definition converted once, as `$defs`. */
export interface OpenApiBundle {
  /** `{ $id, $defs }`, added to ajv once and referenced by every kind. */
  shared: { $id: string; $defs: Record<string, JsonSchema> };
  kinds: (OpenApiKind & { file: string })[];
  /** References to definitions no document has (converted to "anything"). */
  missing: string[];
}

/**
 * Converts documents into one bundle. A definition in several documents (ObjectMeta is in all of them) is
 * converted once; a later document's version replaces an earlier one, as later kinds replace earlier kinds.
 */
export function convertOpenApiDocuments(documents: readonly OpenApiDocument[], options: OpenApiConvertOptions = {}): OpenApiBundle {
  const merged: Obj = {};
  const kinds: OpenApiBundle['kinds'] = [];
  for (const d of documents) {
    Object.assign(merged, d.schemas);
    kinds.push(...d.kinds.map((k) => ({ ...k, file: d.file })));
  }
  const id = `csp-k8s-openapi-${createHash('sha256').update(documents.map((d) => d.file).join('\n')).digest('hex').slice(0, 16)}.json`;
  const ctx: Context = { nullAsUnset: options.nullAsUnset ?? true, known: new Set(Object.keys(merged)), refPrefix: '#/$defs/', missing: new Set() };
  const defs: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(merged)) {
    const union = SCALAR_UNIONS[name];
    const converted = union ? { type: ctx.nullAsUnset ? [...union, 'null'] : union } : convertNode(schema, ctx, true);
    // A kind always has apiVersion and kind, even where a document leaves them out.
    if (isObj(schema) && Array.isArray(schema['x-kubernetes-group-version-kind']) && isObj(converted) && isObj(converted.properties)) {
      converted.properties.apiVersion ??= { type: 'string' };
      converted.properties.kind ??= { type: 'string' };
    }
    defs[name] = converted;
  }
  return { shared: { $id: id, $defs: defs }, kinds, missing: [...ctx.missing].sort() };
}

/** The schema a kind is checked with: a reference into the shared document. */
export function kindSchema(bundle: OpenApiBundle, definition: string): JsonSchema {
  return { $ref: `${bundle.shared.$id}#/$defs/${pointerToken(definition)}` };
}

/** Catalog entries for every kind of a bundle (served, not deprecated: the documents list served versions). */
export function openApiCatalogEntries(bundle: OpenApiBundle, schemas: ReadonlyMap<string, unknown> = new Map()): CrdVersion[] {
  return bundle.kinds.map((k) => ({
    group: k.group, version: k.version, kind: k.kind, served: true, deprecated: false, file: k.file,
    openAPIV3Schema: schemas.get(k.definition) ?? {},
    prepared: { schema: kindSchema(bundle, k.definition), shared: bundle.shared },
  }));
}

/** Every `*.json` file of a file or folder (recursive, sorted). */
export async function listJsonFiles(target: string): Promise<string[]> {
  const stat = await fs.stat(target);
  if (stat.isFile()) return target.endsWith('.json') ? [target] : [];
  const out: string[] = [];
  for (const entry of (await fs.readdir(target, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...(await listJsonFiles(full)));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out;
}

/** What loadOpenApiKinds found: catalog entries, the documents they came from, and problems. */
export interface OpenApiLoad {
  entries: CrdVersion[];
  documents: { file: string; kinds: number }[];
  issues: Issue[];
}

/**
 * Reads the OpenAPI v3 documents under the given files or folders (other JSON files are skipped) and
 * returns their kinds as catalog entries. Missing folders are reported by the CRD loader, not here.
 */
export async function loadOpenApiKinds(targets: readonly string[], options: OpenApiConvertOptions = {}): Promise<OpenApiLoad> {
  const documents: OpenApiDocument[] = [];
  const issues: Issue[] = [];
  for (const target of targets) {
    // kubernetes-swagger/ of the cache holds the sources of the catalog (one document per minor), not overrides.
    const files = (await listJsonFiles(target).catch(() => [] as string[])).filter((f) => !f.split(path.sep).includes('kubernetes-swagger'));
    for (const file of files) {
      // Other JSON files (sync.json, anything beside CRDs) are skipped; only a broken `*openapi*.json` is reported.
      const parsed = parseOpenApiDocument(file, await fs.readFile(file, 'utf8'));
      if (parsed.document) documents.push(parsed.document);
      else if (/openapi/i.test(path.basename(file))) issues.push(...parsed.issues.map((i) => ({ ...i, severity: 'warning' as const })));
    }
  }
  if (documents.length === 0) return { entries: [], documents: [], issues };
  const bundle = convertOpenApiDocuments(documents, options);
  for (const name of bundle.missing) issues.push({ severity: 'warning', code: 'OPENAPI_REF_MISSING', message: `Kubernetes OpenAPI documents reference ${name}, which none of them defines; that field is not checked` });
  const raw = new Map<string, unknown>();
  for (const d of documents) for (const [k, v] of Object.entries(d.schemas)) raw.set(k, v);
  return { entries: openApiCatalogEntries(bundle, raw), documents: documents.map((d) => ({ file: d.file, kinds: d.kinds.length })), issues };
}
