/**
 * The schema catalog committed under `schemas/catalog/`: the Kubernetes OpenAPI v2 definitions of every
 * supported minor (each distinct definition stored once across minors) and the CRD schemas of every pinned
 * provider release, with descriptions dropped. Generation is pure and deterministic: the same source
 * documents give the same bytes, which a test checks against the committed files.
 */
import { createHash } from 'node:crypto';
import type { Issue } from '../core/errors.js';
import { crdVersionsFromText, type CrdVersion } from './crd-schema.js';
import { isSwaggerDocument, openApiKinds } from './k8s-openapi.js';

/** Bumped when the layout of the files changes. */
export const CATALOG_FORMAT = 1;

/** One source document: its name (file name, shown in the origin), its text. */
export interface CatalogSourceFile {
  name: string;
  text: string;
}

/** Everything a catalog is generated from. */
export interface CatalogSources {
  /** One Swagger 2.0 document (api/openapi-spec/swagger.json) per Kubernetes minor. */
  kubernetes: { minor: string; document: CatalogSourceFile }[];
  /** One entry per pinned provider release: its CRD files. */
  providers: { name: string; version: string; files: CatalogSourceFile[] }[];
}

/** What the catalog came from: versions and sha256 digests of every source document (origin.json). */
export interface CatalogOrigin {
  format: number;
  kubernetes: { minor: string; source: string; sha256: string; definitions: number; kinds: number }[];
  providers: { name: string; version: string; kinds: number; files: { name: string; sha256: string }[] }[];
}

/** A CRD version as stored in a provider file: a CrdVersion whose openAPIV3Schema is written as `schema`. */
export type CatalogCrdVersion = Omit<CrdVersion, 'openAPIV3Schema' | 'prepared'> & { schema: unknown };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Values under these keys are data, not schemas: copied as they are. */
const DATA_KEYS = new Set(['default', 'example', 'enum', 'const', 'x-kubernetes-group-version-kind', 'x-kubernetes-list-map-keys', 'required']);

/**
 * A schema without its prose: `description` keywords (strings) go, a property *named* description (a schema
 * object) stays, and data values (defaults, enums) are untouched.
 */
export function stripDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' && typeof v === 'string') continue;
    if ((k === 'properties' || k === 'patternProperties') && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, stripDescriptions(sub)]));
    else out[k] = DATA_KEYS.has(k) ? v : stripDescriptions(v);
  }
  return out;
}

/** Object keys sorted at every depth, so equal schemas give equal bytes. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObj(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
}

/** `{ "k": v, … }` with one entry per line: compact, yet a regenerated catalog diffs per definition. */
function linesObject(entries: [string, unknown][]): string {
  if (entries.length === 0) return '{}\n';
  return `{\n${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
}

/** Short content id of a definition variant. */
function variantId(json: string): string {
  return sha256(json).slice(0, 16);
}

/** Path of a minor's definition index inside the catalog folder. */
export function kubernetesIndexFile(minor: string): string {
  return `kubernetes/v${minor}.json`;
}

/** Path of a provider's CRD file inside the catalog folder. */
export function providerFile(name: string, version: string): string {
  return `providers/${name}-${version}.json`;
}

/**
 * Generates the catalog files (path relative to the catalog folder → bytes). Problems in the sources (a
 * document that is not Swagger 2.0, a broken CRD) are issues; the files are only meant to be written when
 * there are no errors.
 */
export function generateCatalog(sources: CatalogSources): { files: Record<string, string>; origin: CatalogOrigin; issues: Issue[] } {
  const issues: Issue[] = [];
  const files: Record<string, string> = {};
  const origin: CatalogOrigin = { format: CATALOG_FORMAT, kubernetes: [], providers: [] };
  const variants = new Map<string, Map<string, unknown>>();
  const minors = [...sources.kubernetes].sort((a, b) => compareMinor(a.minor, b.minor));
  for (const { minor, document } of minors) {
    const swagger = parseSwagger(document.text);
    if (!swagger) {
      issues.push({ severity: 'error', code: 'CATALOG_SOURCE_INVALID', message: `${document.name} is not a Swagger 2.0 document with definitions (api/openapi-spec/swagger.json)`, location: { file: document.name } });
      continue;
    }
    const index: [string, string][] = [];
    for (const name of Object.keys(swagger).sort()) {
      const schema = canonical(stripDescriptions(swagger[name]));
      const json = JSON.stringify(schema);
      const id = variantId(json);
      const byId = variants.get(name) ?? new Map<string, unknown>();
      byId.set(id, schema);
      variants.set(name, byId);
      index.push([name, id]);
    }
    files[kubernetesIndexFile(minor)] = linesObject(index);
    origin.kubernetes.push({ minor, source: document.name, sha256: sha256(document.text), definitions: index.length, kinds: openApiKinds(swagger).length });
  }
  const definitions: [string, unknown][] = [...variants.keys()].sort().map((name) => {
    const byId = variants.get(name) as Map<string, unknown>;
    return [name, Object.fromEntries([...byId.keys()].sort().map((id) => [id, byId.get(id)]))];
  });
  if (origin.kubernetes.length) files['kubernetes/definitions.json'] = linesObject(definitions);
  for (const provider of [...sources.providers].sort((a, b) => a.name.localeCompare(b.name))) {
    const entries: CatalogCrdVersion[] = [];
    const record: CatalogOrigin['providers'][number] = { name: provider.name, version: provider.version, kinds: 0, files: [] };
    for (const file of [...provider.files].sort((a, b) => a.name.localeCompare(b.name))) {
      const read = crdVersionsFromText(`${provider.name}-${provider.version}/${file.name}`, file.text);
      issues.push(...read.issues);
      for (const v of read.versions) {
        entries.push({ group: v.group, version: v.version, kind: v.kind, served: v.served, deprecated: v.deprecated, file: v.file, schema: canonical(stripDescriptions(v.openAPIV3Schema)) });
      }
      record.files.push({ name: file.name, sha256: sha256(file.text) });
    }
    if (entries.length === 0) issues.push({ severity: 'error', code: 'CATALOG_PROVIDER_EMPTY', message: `no CustomResourceDefinition found for ${provider.name} ${provider.version}`, hint: 'Run csp schemas sync, or pass --from with a folder holding <name>-<version>/ CRD files.' });
    entries.sort((a, b) => `${a.group}/${a.kind}/${a.version}`.localeCompare(`${b.group}/${b.kind}/${b.version}`));
    record.kinds = new Set(entries.map((e) => `${e.group}/${e.kind}`)).size;
    files[providerFile(provider.name, provider.version)] = `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
    origin.providers.push(record);
  }
  files['origin.json'] = `${JSON.stringify(origin, null, 2)}\n`;
  return { files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))), origin, issues };
}

/** The `definitions` of a Swagger 2.0 document, or undefined for anything else. */
function parseSwagger(text: string): Obj | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isSwaggerDocument(value) ? value.definitions : undefined;
  } catch {
    return undefined;
  }
}

/** Orders `1.9` before `1.10`. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}
