/**
 * CRD loading and the schema catalog: every `spec.versions[].schema.openAPIV3Schema` of the
 * CustomResourceDefinitions in the given folders, keyed by `group/version/kind`, converted and compiled
 * lazily (once per GVK and mode) because ajv compilation is the expensive part.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { SchemaCheck } from './compiled-checks.js';
import type { Issue } from '../core/errors.js';
import { loadCrdVersions, type CrdVersion } from './crd-files.js';
import { LIST_MAP_KEYS, convertCrdSchema, type JsonSchema, type SchemaMode } from './crd-convert.js';
import { KUBECONFORM_FORMATS, KUBERNETES_FORMATS, type FormatCheck } from './k8s-formats.js';

export type { SchemaCheck };
export { crdVersionsFromText, listYamlFiles, loadCrdVersions, type CrdVersion } from './crd-files.js';

/** All CRD versions known to a run plus the lazily compiled validators. */
export interface SchemaCatalog {
  /** `group/version/kind` → version. */
  readonly versions: ReadonlyMap<string, CrdVersion>;
  /** Versions of a kind (served or not), by `group/kind`. */
  versionsOf(group: string, kind: string): CrdVersion[];
  /** The compiled check for a version in a mode (compiled on first use, then cached). */
  check(entry: CrdVersion, mode: SchemaMode): SchemaCheck;
  /** How many validators were compiled so far. */
  compiledCount(): number;
}

/** `group/version/kind` key; the core group is the empty string. */
export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** Splits an apiVersion (`g/v` or `v1`) into group and version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

type KeywordCheck = ((keys: string[], data: unknown[], parent: unknown, ctx?: { instancePath: string }) => boolean) & { errors?: Partial<ErrorObject>[] };

/**
 * `x-kubernetes-list-type: map`: each item's values of the map keys identify it, so two items with the same
 * values are a duplicate (the apiserver and server-side apply refuse them). The error points at the duplicate.
 */
const uniqueMapKeys: KeywordCheck = (keys, data, _parent, ctx) => {
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  data.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
    const key = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k] ?? null));
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else errors.push({ keyword: LIST_MAP_KEYS, instancePath: `${ctx?.instancePath ?? ''}/${index}`, params: { keys, first }, message: `duplicate item: same ${keys.join(', ')} as item ${first}` });
  });
  uniqueMapKeys.errors = errors;
  return errors.length === 0;
};

/** Creates an ajv instance with the formats of one mode (draft-07 semantics, unknown keywords ignored). */
export function createAjv(formats: Readonly<Record<string, FormatCheck>>): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, validateSchema: false, addUsedSchema: false });
  for (const [name, check] of Object.entries(formats)) ajv.addFormat(name, { type: 'string', validate: check });
  ajv.addKeyword({ keyword: LIST_MAP_KEYS, type: 'array', schemaType: 'array', errors: true, validate: uniqueMapKeys });
  return ajv;
}

// CRD schemas are self-contained: a check compiled for one catalog serves every catalog of the run that holds the
// same CRD (each Kubernetes minor has its own catalog; the catalog's provider CRDs and the --crds/cache ones are
// the same objects in all of them). Keyed by the loaded schema object, which nothing changes after loading.
const sharedAjvs: Partial<Record<SchemaMode, Ajv>> = {};
const sharedChecks: Record<SchemaMode, WeakMap<object, SchemaCheck>> = { strict: new WeakMap(), kubeconform: new WeakMap() };

function sharedCheck(mode: SchemaMode, openAPIV3Schema: unknown): SchemaCheck {
  const key = typeof openAPIV3Schema === 'object' && openAPIV3Schema !== null ? openAPIV3Schema : undefined;
  let check = key && sharedChecks[mode].get(key);
  if (!check) {
    const ajv = (sharedAjvs[mode] ??= createAjv(mode === 'strict' ? KUBERNETES_FORMATS : KUBECONFORM_FORMATS));
    const validate: ValidateFunction = ajv.compile(convertCrdSchema(openAPIV3Schema, mode) as object);
    check = (value) => (validate(value) ? [] : (validate.errors ?? []));
    if (key) sharedChecks[mode].set(key, check);
  }
  return check;
}

/** Builds a catalog from CRD versions (later duplicates of a GVK replace earlier ones). */
export function createSchemaCatalog(crdVersions: CrdVersion[]): SchemaCatalog {
  const versions = new Map<string, CrdVersion>();
  const byKind = new Map<string, CrdVersion[]>();
  for (const v of crdVersions) {
    const key = gvkKey(v.group, v.version, v.kind);
    const kindKey = `${v.group}/${v.kind}`;
    const list = (byKind.get(kindKey) ?? []).filter((o) => o.version !== v.version);
    list.push(v);
    byKind.set(kindKey, list);
    versions.set(key, v);
  }
  const ajvs: Partial<Record<SchemaMode, Ajv>> = {};
  const cache = new Map<string, SchemaCheck>();
  const sharedAdded = new Set<string>();
  function check(entry: CrdVersion, mode: SchemaMode): SchemaCheck {
    const key = `${mode}:${gvkKey(entry.group, entry.version, entry.kind)}`;
    let fn = cache.get(key);
    if (!fn) {
      if (entry.prepared) {
        // Kubernetes OpenAPI kinds refer to their minor's shared `$defs` document: compiled on this catalog's ajv.
        const ajv = (ajvs[mode] ??= createAjv(mode === 'strict' ? KUBERNETES_FORMATS : KUBECONFORM_FORMATS));
        const shared = entry.prepared.shared;
        if (!sharedAdded.has(`${mode}:${shared.$id}`)) {
          ajv.addSchema(shared);
          sharedAdded.add(`${mode}:${shared.$id}`);
        }
        const validate: ValidateFunction = ajv.compile(entry.prepared.schema as object);
        fn = (value) => (validate(value) ? [] : (validate.errors ?? []));
      } else {
        fn = sharedCheck(mode, entry.openAPIV3Schema);
      }
      cache.set(key, fn);
    }
    return fn;
  }
  return {
    versions,
    versionsOf: (group, kind) => byKind.get(`${group}/${kind}`) ?? [],
    check,
    compiledCount: () => cache.size,
  };
}

/** Loads CRDs and builds the catalog in one step. */
export async function loadSchemaCatalog(targets: string[]): Promise<{ catalog: SchemaCatalog; issues: Issue[] }> {
  const { versions, issues } = await loadCrdVersions(targets);
  return { catalog: createSchemaCatalog(versions), issues };
}

export type { JsonSchema, SchemaMode };
