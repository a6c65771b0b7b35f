/**
 * The Kubernetes API as the fake API server checks it: the real OpenAPI v2 document of a Kubernetes minor
 * (../shared/fixtures/k8s-openapi/swagger-v1.3x.json: paths, methods, query parameters, body and response
 * schemas) plus the Cluster API CRDs (../shared/fixtures/crds/) and CSO's kinds (cso-crds.ts). Every request
 * and response of the fake goes through `checkRequest`/`checkResponse`; what does not match is a violation.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
// Test infrastructure reuses validate's converters (the same strict schemas csp validate uses).
import { createSchemaCatalog, crdVersionsFromText, gvkKey, splitApiVersion, type CrdVersion, type SchemaCatalog } from '../../validate/crd-schema.js';
import { convertOpenApiDocuments, openApiCatalogEntries, parseOpenApiDocument } from '../../validate/k8s-openapi.js';
import { crdsDir, fixturesDir } from '../paths.js';
import { CSO_CRDS } from './cso-crds.js';

type Obj = Record<string, unknown>;

/** A resource the server serves: from the OpenAPI paths or a CRD. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

interface Operation {
  method: string;
  pattern: RegExp;
  template: string;
  query: Set<string>;
  bodyDefinition?: string;
  responseDefinition?: string;
}

/** The loaded spec: operations, resources and the compiled schemas. */
export interface KubeSpec {
  minor: string;
  resources: ResourceInfo[];
  /** The operation template matching METHOD path, or a violation message. */
  checkRequest(method: string, url: URL, body: unknown): { template?: string; violations: string[] };
  /** Violations of a JSON response body for the matched operation (by kind for CRDs and lists). */
  checkResponse(method: string, template: string | undefined, body: unknown): string[];
  /** Violations of one object against its kind's schema. */
  checkObject(object: unknown): string[];
  resourceFor(apiVersion: string, kind: string): ResourceInfo | undefined;
}

const cache = new Map<string, Promise<KubeSpec>>();

/** Loads (once per process and minor) swagger-v<minor>.json, the CAPI CRDs and CSO's kinds. */
export function loadKubeSpec(minor = '1.32'): Promise<KubeSpec> {
  let p = cache.get(minor);
  if (!p) cache.set(minor, (p = build(minor)));
  return p;
}

async function build(minor: string): Promise<KubeSpec> {
  const file = path.join(fixturesDir, 'k8s-openapi', `swagger-v${minor}.json`);
  const text = await fs.readFile(file, 'utf8');
  const swagger = JSON.parse(text) as { definitions: Obj; paths: Record<string, Obj>; parameters: Record<string, { in?: string; name?: string }> };
  const v3 = JSON.stringify({ openapi: '3.0.0', components: { schemas: swagger.definitions } }).replaceAll('#/definitions/', '#/components/schemas/');
  const parsed = parseOpenApiDocument(file, v3);
  if (!parsed.document) throw new Error(`cannot read ${file}`);
  const bundle = convertOpenApiDocuments([parsed.document], { nullAsUnset: true });
  const entries: CrdVersion[] = openApiCatalogEntries(bundle);
  const resources: ResourceInfo[] = [];
  const crdOps: Operation[] = [];
  for (const crd of [...(await readCrds(path.join(crdsDir, 'cluster-api-v1.14.0'))), ...CSO_CRDS]) {
    entries.push(...crdVersionsFromText(crd.file, crd.text).versions);
    for (const v of crd.versions) {
      const r: ResourceInfo = { group: crd.group, version: v, kind: crd.kind, plural: crd.plural, namespaced: crd.namespaced };
      resources.push(r);
      crdOps.push(...crdOperations(r));
    }
  }
  const catalog = createSchemaCatalog(entries);
  const ops = [...swaggerOperations(swagger, resources), ...crdOps];
  const byDefinition = new Map(bundle.kinds.map((k) => [k.definition, k]));
  const checkObject = (object: unknown): string[] => objectViolations(catalog, object);
  return {
    minor,
    resources,
    checkObject,
    resourceFor: (apiVersion, kind) => {
      const { group, version } = splitApiVersion(apiVersion);
      return resources.find((r) => r.group === group && r.version === version && r.kind === kind);
    },
    checkRequest(method, url, body) {
      const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
      const op = ops.find((o) => o.method === method && o.pattern.test(pathname));
      if (!op) return { violations: [`${method} ${pathname} is not an operation of the Kubernetes ${minor} API or a served CRD`] };
      const violations = [...url.searchParams.keys()].filter((k) => !op.query.has(k)).map((k) => `${method} ${op.template}: unknown query parameter ${k}`);
      if (body !== undefined && (method === 'POST' || method === 'PUT')) violations.push(...checkObject(body).map((v) => `${method} ${op.template} body: ${v}`));
      if (op.bodyDefinition && body !== undefined && (method === 'POST' || method === 'PUT')) {
        const k = byDefinition.get(op.bodyDefinition);
        const o = body as Obj;
        if (k && (o.kind !== k.kind || o.apiVersion !== (k.group ? `${k.group}/${k.version}` : k.version))) violations.push(`${method} ${op.template}: body is ${String(o.apiVersion)} ${String(o.kind)}, the path takes ${k.kind}`);
      }
      return { template: op.template, violations };
    },
    checkResponse(_method, template, body) {
      if (!template || typeof body !== 'object' || body === null) return [];
      const o = body as Obj;
      if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items) && !catalog.versions.has(gvkKey(splitApiVersion(String(o.apiVersion)).group, splitApiVersion(String(o.apiVersion)).version, o.kind))) {
        // CRD lists have no schema of their own: each item is checked against its kind.
        const kind = o.kind.slice(0, -4);
        return (o.items as unknown[]).flatMap((item) => checkObject({ apiVersion: o.apiVersion, kind, ...(item as Obj) }));
      }
      return typeof o.kind === 'string' && typeof o.apiVersion === 'string' ? checkObject(body) : [];
    },
  };
}

/** ajv violations of an object against the schema of its apiVersion/kind (unknown kinds are a violation). */
function objectViolations(catalog: SchemaCatalog, object: unknown): string[] {
  const o = object as Obj;
  if (typeof o?.apiVersion !== 'string' || typeof o.kind !== 'string') return ['object has no apiVersion/kind'];
  const { group, version } = splitApiVersion(o.apiVersion);
  const entry = catalog.versions.get(gvkKey(group, version, o.kind));
  if (!entry) return [`${o.apiVersion} ${o.kind} is not a kind of this API`];
  return catalog.check(entry, 'strict')(object).map((e) => `${o.kind} ${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

function swaggerOperations(swagger: { paths: Record<string, Obj>; parameters: Record<string, { in?: string; name?: string }> }, resources: ResourceInfo[]): Operation[] {
  const ops: Operation[] = [];
  const paramName = (p: unknown): { in?: string; name?: string } => {
    const ref = (p as { $ref?: string }).$ref;
    return ref ? (swagger.parameters[ref.replace('#/parameters/', '')] ?? {}) : (p as { in?: string; name?: string });
  };
  for (const [template, item] of Object.entries(swagger.paths)) {
    const shared = (Array.isArray(item.parameters) ? item.parameters : []).map(paramName);
    const pattern = new RegExp(`^${template.replace(/\/$/, '').replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method] as { parameters?: unknown[]; responses?: Record<string, { schema?: { $ref?: string } }> } | undefined;
      if (!op) continue;
      const params = [...shared, ...(op.parameters ?? []).map(paramName)];
      const bodyRef = (op.parameters ?? []).map((p) => p as { in?: string; schema?: { $ref?: string } }).find((p) => p.in === 'body')?.schema?.$ref;
      const gvk = (op as { 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string } })['x-kubernetes-group-version-kind'];
      const action = (op as { 'x-kubernetes-action'?: string })['x-kubernetes-action'];
      if (gvk && (action === 'list' || action === 'get') && !template.includes('{name}/') && !template.includes('/watch/')) {
        const plural = /\/([a-z0-9]+)(\/\{name\})?$/.exec(template)?.[1];
        if (plural && !resources.some((r) => r.group === gvk.group && r.version === gvk.version && r.kind === gvk.kind)) {
          resources.push({ ...gvk, plural, namespaced: template.includes('{namespace}') });
        }
      }
      ops.push({
        method: method.toUpperCase(), pattern, template,
        query: new Set(params.filter((p) => p.in === 'query' && p.name).map((p) => p.name!)),
        ...(bodyRef ? { bodyDefinition: bodyRef.replace('#/definitions/', '') } : {}),
      });
    }
  }
  // A namespaced kind also has a cluster-wide list path; fix `namespaced` from the item path.
  for (const r of resources) {
    const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    r.namespaced = r.namespaced || `${prefix}/namespaces/{namespace}/${r.plural}/{name}` in swagger.paths;
  }
  return ops;
}

const CRD_QUERY = ['pretty', 'dryRun', 'fieldManager', 'fieldValidation', 'labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'watch', 'allowWatchBookmarks', 'timeoutSeconds', 'gracePeriodSeconds', 'propagationPolicy', 'orphanDependents', 'force', 'sendInitialEvents'];

function crdOperations(r: ResourceInfo): Operation[] {
  const base = `/apis/${r.group}/${r.version}`;
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const query = new Set(CRD_QUERY);
  const op = (method: string, template: string): Operation => ({ method, template, query, pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`) });
  return [
    op('GET', `${base}`),
    op('GET', `${base}/${r.plural}`),
    op('GET', collection), op('POST', collection),
    ...['GET', 'PUT', 'PATCH', 'DELETE'].map((m) => op(m, `${collection}/{name}`)),
    op('GET', `${collection}/{name}/status`), op('PUT', `${collection}/{name}/status`), op('PATCH', `${collection}/{name}/status`),
  ];
}

interface CrdFile { file: string; text: string; group: string; kind: string; plural: string; namespaced: boolean; versions: string[] }

async function readCrds(dir: string): Promise<CrdFile[]> {
  const out: CrdFile[] = [];
  for (const name of (await fs.readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const file = path.join(dir, name);
    const text = await fs.readFile(file, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as { kind?: string; spec?: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string; served: boolean }[] } };
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      out.push({ file, text, group: crd.spec.group, kind: crd.spec.names.kind, plural: crd.spec.names.plural, namespaced: crd.spec.scope === 'Namespaced', versions: crd.spec.versions.filter((v) => v.served).map((v) => v.name) });
    }
  }
  return out;
}
