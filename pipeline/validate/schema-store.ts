/**
 * The local schema cache (default `.csp/schemas`): `importSchemas` copies the CRD documents of YAML files
 * (plain CRDs or `*-components.yaml`) into it, one file per CRD, and Kubernetes OpenAPI v3 documents (JSON)
 * as they are; `syncSchemas` downloads the pinned release assets and Kubernetes OpenAPI documents listed in
 * schemas/sources.yaml through the HTTP seam and imports them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { UpstreamError, type Issue } from '../core/errors.js';
import type { Http } from '../core/http.js';
import { checkSchema } from '../core/schema.js';
import { readYamlFile } from '../core/source.js';
import { crdVersionsFromText, listYamlFiles } from './crd-schema.js';
import { listJsonFiles, parseOpenApiDocument } from './k8s-openapi.js';
import { isJsonObject } from './types.js';
import { limits } from '../core/limits.js';

/** One CRD written to the cache. */
/** Where `csp schemas` keeps imported and synced schemas unless told otherwise. */
export const DEFAULT_SCHEMA_CACHE = '.csp/schemas';

/** The schema folders a command validates with: the cache (when it exists) plus every `--crds` path. */
export function schemaSourcesOf(cwd: string, cacheDir: string | undefined, crds: string[]): string[] {
  const cache = path.resolve(cwd, cacheDir ?? DEFAULT_SCHEMA_CACHE);
  return [...(existsSync(cache) ? [cache] : []), ...crds.map((d) => path.resolve(cwd, d))];
}

export interface ImportedCrd {
  group: string;
  kind: string;
  versions: string[];
  /** Cache file, relative to the cache folder. */
  file: string;
  /** Where it came from (file path or URL). */
  from: string;
}

/** One Kubernetes OpenAPI v3 document written to the cache. */
export interface ImportedOpenApi {
  /** Group/versions of its kinds (`v1`, `apps/v1`). */
  groupVersions: string[];
  kinds: number;
  /** Cache file, relative to the cache folder. */
  file: string;
  from: string;
}

/** Result of an import or a sync. */
export interface SchemaStoreResult {
  cacheDir: string;
  crds: ImportedCrd[];
  /** Kubernetes OpenAPI v3 documents (core-kind schemas). */
  openapi: ImportedOpenApi[];
  issues: Issue[];
}

const DOC_SPLIT = /^---[^\n]*$/m;

/** Writes every CRD document of `text` into `cacheDir/<subdir>/<group>_<plural>.yaml`. */
export async function importCrdText(text: string, from: string, cacheDir: string, subdir: string): Promise<{ crds: ImportedCrd[]; issues: Issue[] }> {
  const { versions, issues } = crdVersionsFromText(from, text);
  const crds: ImportedCrd[] = [];
  for (const chunk of text.split(DOC_SPLIT)) {
    if (!/^kind:\s*["']?CustomResourceDefinition["']?\s*$/m.test(chunk)) continue;
    let doc: unknown;
    try {
      doc = parse(chunk, { maxAliasCount: limits().yamlAliases });
    } catch {
      continue; // reported by crdVersionsFromText
    }
    if (!isJsonObject(doc) || !isJsonObject(doc.spec) || !isJsonObject(doc.spec.names)) continue;
    const group = String(doc.spec.group ?? '');
    const kind = String(doc.spec.names.kind ?? '');
    const plural = String(doc.spec.names.plural ?? kind.toLowerCase());
    if (!group || !kind) continue;
    const rel = path.posix.join(subdir, `${group}_${plural}.yaml`);
    await fs.mkdir(path.join(cacheDir, subdir), { recursive: true });
    await fs.writeFile(path.join(cacheDir, rel), `${chunk.replace(/^\n+/, '').trimEnd()}\n`);
    crds.push({ group, kind, versions: versions.filter((v) => v.group === group && v.kind === kind).map((v) => v.version), file: rel, from });
  }
  return { crds, issues };
}

/**
 * Writes a Kubernetes OpenAPI v3 document to `cacheDir/<subdir>/<name>` when it is one and defines kinds;
 * otherwise returns the issues (the body is checked before it is kept).
 */
export async function importOpenApiText(text: string, from: string, cacheDir: string, subdir: string, name: string): Promise<{ openapi?: ImportedOpenApi; issues: Issue[] }> {
  const { document, issues } = parseOpenApiDocument(from, text);
  if (!document) return { issues };
  if (document.kinds.length === 0) return { issues: [{ severity: 'warning', code: 'SCHEMA_ASSET_EMPTY', message: `${from} defines no Kubernetes kind (no x-kubernetes-group-version-kind)` }] };
  const rel = path.posix.join(subdir, name);
  await fs.mkdir(path.join(cacheDir, subdir), { recursive: true });
  await fs.writeFile(path.join(cacheDir, rel), text);
  const groupVersions = [...new Set(document.kinds.map((k) => (k.group ? `${k.group}/${k.version}` : k.version)))].sort();
  return { openapi: { groupVersions, kinds: document.kinds.length, file: rel, from }, issues };
}

/**
 * `csp schemas import`: copies CRDs (YAML) into `cacheDir/imported/`, and Kubernetes OpenAPI v3 documents
 * (JSON, e.g. api/openapi-spec/v3/apis__apps__v1_openapi.json) into `cacheDir/imported-openapi/`.
 */
export async function importSchemas(input: { sources: string[]; cacheDir: string; displayPath?: (p: string) => string }): Promise<SchemaStoreResult> {
  const show = input.displayPath ?? ((p: string) => p);
  const crds: ImportedCrd[] = [];
  const openapi: ImportedOpenApi[] = [];
  const issues: Issue[] = [];
  for (const source of input.sources) {
    let files: string[];
    let jsonFiles: string[];
    try {
      files = await listYamlFiles(source);
      jsonFiles = await listJsonFiles(source);
    } catch {
      issues.push({ severity: 'error', code: 'SCHEMA_SOURCE_MISSING', message: `${show(source)} does not exist`, location: { file: show(source) } });
      continue;
    }
    for (const file of files) {
      const result = await importCrdText(await fs.readFile(file, 'utf8'), show(file), input.cacheDir, 'imported');
      crds.push(...result.crds);
      issues.push(...result.issues);
    }
    for (const file of jsonFiles) {
      const result = await importOpenApiText(await fs.readFile(file, 'utf8'), show(file), input.cacheDir, 'imported-openapi', path.basename(file));
      if (result.openapi) openapi.push(result.openapi);
      // A JSON file named as a single source must be a document; JSON files met in a folder may be anything.
      else if (file === source) issues.push(...result.issues);
    }
    const shown = [...files, ...jsonFiles].map(show);
    if (shown.length > 0 && !crds.some((c) => shown.includes(c.from)) && !openapi.some((o) => shown.includes(o.from))) {
      issues.push({ severity: 'warning', code: 'SCHEMA_SOURCE_EMPTY', message: `${show(source)} holds no CustomResourceDefinition and no Kubernetes OpenAPI v3 document`, location: { file: show(source) } });
    }
  }
  return { cacheDir: input.cacheDir, crds, openapi, issues };
}

/** The Kubernetes OpenAPI v3 documents of one pinned release (core-kind schemas). */
export interface KubernetesSource {
  version: string;
  /** Default kubernetes/kubernetes. */
  repository?: string;
  /** Default https://raw.githubusercontent.com. */
  baseUrl?: string;
  /** File names under api/openapi-spec/v3/ at the version's tag. */
  documents: string[];
}

/** schemas/sources.yaml as typed data (schemas/schema-sources.schema.json). */
export interface SchemaSources {
  baseUrl?: string;
  providers: { name: string; repository: string; version: string; assets: string[] }[];
  kubernetes?: KubernetesSource;
  /** What the committed schema catalog holds (catalog.ts): Kubernetes minors and the ref of their swagger.json. */
  catalog?: { repository?: string; baseUrl?: string; kubernetes: { minor: string; ref: string }[] };
}

/** Reads and schema-checks a sources file; problems are positioned issues. */
export async function loadSchemaSources(file: string, displayPath = file): Promise<{ sources?: SchemaSources; issues: Issue[] }> {
  const read = await readYamlFile(file, displayPath);
  if (!read.source) return { issues: read.issues };
  const issues = [...read.issues, ...checkSchema(read.source, 'schema-sources.schema.json')];
  return issues.some((i) => i.severity === 'error') ? { issues } : { sources: read.source.value as SchemaSources, issues };
}

/** Download URL of a Kubernetes OpenAPI v3 document at a tag (raw.githubusercontent.com layout). */
export function openApiUrl(baseUrl: string, repository: string, version: string, document: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${repository}/${version}/api/openapi-spec/v3/${document}`;
}

/** Download URL of a release asset. */
export function assetUrl(baseUrl: string, repository: string, version: string, asset: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${repository}/releases/download/${version}/${asset}`;
}

/** A download of `csp schemas sync`. */
export interface SchemaDownload {
  url: string;
  sha256: string;
  bytes: number;
}

async function download(url: string, http: Http, details: string): Promise<{ text: string; record: SchemaDownload }> {
  const res = await http.request({ url });
  if (res.status !== 200) {
    throw new UpstreamError('SCHEMA_DOWNLOAD_FAILED', `GET ${url} answered ${res.status}`, { url, status: res.status, retriable: res.status >= 500, details });
  }
  const bytes = await res.bytes();
  return { text: new TextDecoder().decode(bytes), record: { url, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length } };
}

/**
 * `csp schemas sync`: downloads each provider's assets and imports their CRDs into `cacheDir/<name>-<version>/`,
 * and the Kubernetes OpenAPI v3 documents into `cacheDir/kubernetes-<version>/`. `baseUrl` (a mirror, or a
 * test server) replaces both download hosts.
 */
export async function syncSchemas(
  input: { sources: SchemaSources; cacheDir: string; baseUrl?: string; dryRun?: boolean },
  deps: { http: Http },
): Promise<SchemaStoreResult & { downloads: SchemaDownload[] }> {
  const baseUrl = input.baseUrl ?? input.sources.baseUrl ?? 'https://github.com';
  const crds: ImportedCrd[] = [];
  const openapi: ImportedOpenApi[] = [];
  const issues: Issue[] = [];
  const downloads: SchemaDownload[] = [];
  for (const p of input.sources.providers) {
    const subdir = `${p.name}-${p.version}`;
    if (!input.dryRun) await fs.rm(path.join(input.cacheDir, subdir), { recursive: true, force: true });
    for (const asset of p.assets) {
      const url = assetUrl(baseUrl, p.repository, p.version, asset);
      if (input.dryRun) {
        downloads.push({ url, sha256: '', bytes: 0 });
        continue;
      }
      const { text, record } = await download(url, deps.http, `Check that ${p.repository} has release ${p.version} with asset ${asset} (schemas/sources.yaml).`);
      downloads.push(record);
      const result = await importCrdText(text, url, input.cacheDir, subdir);
      if (result.crds.length === 0) issues.push({ severity: 'warning', code: 'SCHEMA_ASSET_EMPTY', message: `${url} holds no CustomResourceDefinition` });
      crds.push(...result.crds);
      issues.push(...result.issues);
    }
  }
  const k8s = input.sources.kubernetes;
  if (k8s) {
    const subdir = `kubernetes-${k8s.version}`;
    const repository = k8s.repository ?? 'kubernetes/kubernetes';
    if (!input.dryRun) await fs.rm(path.join(input.cacheDir, subdir), { recursive: true, force: true });
    for (const document of k8s.documents) {
      const url = openApiUrl(input.baseUrl ?? k8s.baseUrl ?? 'https://raw.githubusercontent.com', repository, k8s.version, document);
      if (input.dryRun) {
        downloads.push({ url, sha256: '', bytes: 0 });
        continue;
      }
      const { text, record } = await download(url, deps.http, `Check that ${repository} has tag ${k8s.version} with api/openapi-spec/v3/${document} (schemas/sources.yaml).`);
      downloads.push(record);
      const result = await importOpenApiText(text, url, input.cacheDir, subdir, document);
      if (result.openapi) openapi.push(result.openapi);
      issues.push(...result.issues);
    }
  }
  const catalog = input.sources.catalog;
  if (catalog) {
    const subdir = 'kubernetes-swagger';
    const repository = catalog.repository ?? 'kubernetes/kubernetes';
    if (!input.dryRun) await fs.rm(path.join(input.cacheDir, subdir), { recursive: true, force: true });
    for (const { minor, ref } of catalog.kubernetes) {
      const url = `${(input.baseUrl ?? catalog.baseUrl ?? 'https://raw.githubusercontent.com').replace(/\/+$/, '')}/${repository}/${ref}/api/openapi-spec/swagger.json`;
      if (input.dryRun) {
        downloads.push({ url, sha256: '', bytes: 0 });
        continue;
      }
      const { text, record } = await download(url, deps.http, `Check that ${repository} has ${ref} with api/openapi-spec/swagger.json (schemas/sources.yaml, catalog).`);
      downloads.push(record);
      const parsed = parseOpenApiDocument(url, text);
      if (!parsed.document || parsed.document.kinds.length === 0) {
        issues.push(...(parsed.issues.length ? parsed.issues : [{ severity: 'error' as const, code: 'OPENAPI_INVALID', message: `${url} defines no Kubernetes kind` }]));
        continue;
      }
      await fs.mkdir(path.join(input.cacheDir, subdir), { recursive: true });
      await fs.writeFile(path.join(input.cacheDir, subdir, `swagger-v${minor}.json`), text);
    }
  }
  if (!input.dryRun) {
    await fs.mkdir(input.cacheDir, { recursive: true });
    await fs.writeFile(path.join(input.cacheDir, 'sync.json'), `${JSON.stringify({ sources: input.sources.providers, kubernetes: k8s, catalog, downloads }, null, 2)}\n`);
  }
  return { cacheDir: input.cacheDir, crds, openapi, issues, downloads };
}
