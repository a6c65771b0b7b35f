/**
 * The local CRD cache (default `.csp/schemas`): `importSchemas` copies the CRD documents of YAML files
 * (plain CRDs or `*-components.yaml`) into it, one file per CRD; `syncSchemas` downloads the pinned
 * release assets listed in schemas/sources.yaml through the HTTP seam and imports them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { UpstreamError, type Issue } from '../core/errors.js';
import type { Http } from '../core/http.js';
import { checkSchema } from '../core/schema.js';
import { readYamlFile } from '../core/source.js';
import { crdVersionsFromText, listYamlFiles } from './crd-schema.js';
import { isJsonObject } from './types.js';

/** One CRD written to the cache. */
export interface ImportedCrd {
  group: string;
  kind: string;
  versions: string[];
  /** Cache file, relative to the cache folder. */
  file: string;
  /** Where it came from (file path or URL). */
  from: string;
}

/** Result of an import or a sync. */
export interface SchemaStoreResult {
  cacheDir: string;
  crds: ImportedCrd[];
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
      doc = parse(chunk, { maxAliasCount: -1 });
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

/** `csp schemas import`: copies CRDs from files or folders (recursive) into `cacheDir/imported/`. */
export async function importSchemas(input: { sources: string[]; cacheDir: string; displayPath?: (p: string) => string }): Promise<SchemaStoreResult> {
  const show = input.displayPath ?? ((p: string) => p);
  const crds: ImportedCrd[] = [];
  const issues: Issue[] = [];
  for (const source of input.sources) {
    let files: string[];
    try {
      files = await listYamlFiles(source);
    } catch {
      issues.push({ severity: 'error', code: 'SCHEMA_SOURCE_MISSING', message: `${show(source)} does not exist`, location: { file: show(source) } });
      continue;
    }
    for (const file of files) {
      const result = await importCrdText(await fs.readFile(file, 'utf8'), show(file), input.cacheDir, 'imported');
      crds.push(...result.crds);
      issues.push(...result.issues);
    }
    if (files.length > 0 && !crds.some((c) => files.map(show).includes(c.from))) {
      issues.push({ severity: 'warning', code: 'SCHEMA_SOURCE_EMPTY', message: `${show(source)} holds no CustomResourceDefinition`, location: { file: show(source) } });
    }
  }
  return { cacheDir: input.cacheDir, crds, issues };
}

/** schemas/sources.yaml as typed data (schemas/schema-sources.schema.json). */
export interface SchemaSources {
  baseUrl?: string;
  providers: { name: string; repository: string; version: string; assets: string[] }[];
}

/** Reads and schema-checks a sources file; problems are positioned issues. */
export async function loadSchemaSources(file: string, displayPath = file): Promise<{ sources?: SchemaSources; issues: Issue[] }> {
  const read = await readYamlFile(file, displayPath);
  if (!read.source) return { issues: read.issues };
  const issues = [...read.issues, ...checkSchema(read.source, 'schema-sources.schema.json')];
  return issues.some((i) => i.severity === 'error') ? { issues } : { sources: read.source.value as SchemaSources, issues };
}

/** Download URL of a release asset. */
export function assetUrl(baseUrl: string, repository: string, version: string, asset: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${repository}/releases/download/${version}/${asset}`;
}

/** `csp schemas sync`: downloads each provider's assets and imports their CRDs into `cacheDir/<name>-<version>/`. */
export async function syncSchemas(
  input: { sources: SchemaSources; cacheDir: string; baseUrl?: string; dryRun?: boolean },
  deps: { http: Http },
): Promise<SchemaStoreResult & { downloads: { url: string; sha256: string; bytes: number }[] }> {
  const baseUrl = input.baseUrl ?? input.sources.baseUrl ?? 'https://github.com';
  const crds: ImportedCrd[] = [];
  const issues: Issue[] = [];
  const downloads: { url: string; sha256: string; bytes: number }[] = [];
  for (const p of input.sources.providers) {
    const subdir = `${p.name}-${p.version}`;
    if (!input.dryRun) await fs.rm(path.join(input.cacheDir, subdir), { recursive: true, force: true });
    for (const asset of p.assets) {
      const url = assetUrl(baseUrl, p.repository, p.version, asset);
      if (input.dryRun) {
        downloads.push({ url, sha256: '', bytes: 0 });
        continue;
      }
      const res = await deps.http.request({ url });
      if (res.status !== 200) {
        throw new UpstreamError('SCHEMA_DOWNLOAD_FAILED', `GET ${url} answered ${res.status}`, { url, status: res.status, retriable: res.status >= 500, details: `Check that ${p.repository} has release ${p.version} with asset ${asset} (schemas/sources.yaml).` });
      }
      const bytes = await res.bytes();
      downloads.push({ url, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
      const result = await importCrdText(new TextDecoder().decode(bytes), url, input.cacheDir, subdir);
      if (result.crds.length === 0) issues.push({ severity: 'warning', code: 'SCHEMA_ASSET_EMPTY', message: `${url} holds no CustomResourceDefinition` });
      crds.push(...result.crds);
      issues.push(...result.issues);
    }
  }
  if (!input.dryRun) {
    await fs.mkdir(input.cacheDir, { recursive: true });
    await fs.writeFile(path.join(input.cacheDir, 'sync.json'), `${JSON.stringify({ sources: input.sources.providers, downloads }, null, 2)}\n`);
  }
  return { cacheDir: input.cacheDir, crds, issues, downloads };
}
