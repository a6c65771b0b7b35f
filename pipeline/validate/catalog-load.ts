/**
 * Reads the committed schema catalog (`schemas/catalog/`, catalog.ts) and turns it into schema entries for
 * one Kubernetes minor: that minor's core kinds (converted from its OpenAPI v2 definitions once per minor,
 * compiled lazily per kind) plus every pinned provider's CRDs. No network, no cache: this is what `csp
 * validate` and `csp build` check against by default.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { compareMinor, kubernetesIndexFile, providerFile, type CatalogCrdVersion, type CatalogOrigin } from './catalog.js';
import type { CrdVersion } from './crd-schema.js';
import { convertOpenApiDocuments, openApiCatalogEntries, openApiKinds } from './k8s-openapi.js';

/** The catalog's origin as recorded in release records and provenance. */
export interface CatalogProvenance {
  /** Folder of the catalog, as given. */
  dir: string;
  /** sha256 over the catalog's files (names and bytes, sorted by name). */
  digest: string;
  /** Kubernetes minor the entries were taken from (may differ from the target, see `note`). */
  kubernetes?: { minor: string; source: string; sha256: string };
  providers: { name: string; version: string; files: { name: string; sha256: string }[] }[];
}

/** A catalog read from disk. */
export interface SchemaCatalogFiles {
  dir: string;
  origin: CatalogOrigin;
  digest: string;
  minors: string[];
  /** Entries for a target minor, the minor used, and a note when it is not the target's own. */
  entriesFor(minor: string | undefined): { minor?: string; entries: CrdVersion[]; issues: Issue[]; provenance: CatalogProvenance };
}

type Obj = Record<string, unknown>;

/**
 * The catalog minor for a target: the same minor, else the nearest (on a tie the newer one). Undefined when
 * the catalog holds no Kubernetes minor.
 */
export function pickMinor(minors: readonly string[], wanted: string | undefined): string | undefined {
  if (minors.length === 0) return undefined;
  const sorted = [...minors].sort(compareMinor);
  if (!wanted) return sorted[sorted.length - 1];
  if (sorted.includes(wanted)) return wanted;
  const distance = (m: string) => Math.abs(compareMinor(m, wanted));
  return sorted.reduce((best, m) => (distance(m) <= distance(best) ? m : best));
}

/** Reads a catalog folder; a missing or unreadable catalog is an issue, never a silent empty catalog. */
export async function readSchemaCatalog(dir: string): Promise<{ catalog?: SchemaCatalogFiles; issues: Issue[] }> {
  let origin: CatalogOrigin;
  const texts = new Map<string, string>();
  try {
    origin = JSON.parse(await fs.readFile(path.join(dir, 'origin.json'), 'utf8')) as CatalogOrigin;
    const names = ['origin.json', ...(origin.kubernetes.length ? ['kubernetes/definitions.json'] : []), ...origin.kubernetes.map((k) => kubernetesIndexFile(k.minor)), ...origin.providers.map((p) => providerFile(p.name, p.version))];
    for (const name of names.sort()) texts.set(name, await fs.readFile(path.join(dir, name), 'utf8'));
  } catch (e) {
    return { issues: [{ severity: 'error', code: 'SCHEMA_CATALOG_UNREADABLE', message: `cannot read the schema catalog in ${dir}: ${(e as Error).message.split('\n')[0]}`, hint: 'Regenerate it with csp schemas catalog (docs/schema-catalog.md), or reinstall csp.', location: { file: path.join(dir, 'origin.json') } }] };
  }
  const hash = createHash('sha256');
  for (const [name, text] of texts) hash.update(`${name}\n${text.length}\n`).update(text);
  const digest = hash.digest('hex');
  const definitions = origin.kubernetes.length ? (JSON.parse(texts.get('kubernetes/definitions.json') as string) as Record<string, Record<string, unknown>>) : {};
  const providers: CrdVersion[] = [];
  for (const p of origin.providers) {
    for (const v of JSON.parse(texts.get(providerFile(p.name, p.version)) as string) as CatalogCrdVersion[]) {
      providers.push({ group: v.group, version: v.version, kind: v.kind, served: v.served, deprecated: v.deprecated, file: `schemas/catalog/${v.file}`, openAPIV3Schema: v.schema });
    }
  }
  const perMinor = new Map<string, CrdVersion[]>();
  function kubernetesEntries(minor: string): CrdVersion[] {
    let entries = perMinor.get(minor);
    if (!entries) {
      const index = JSON.parse(texts.get(kubernetesIndexFile(minor)) as string) as Record<string, string>;
      const schemas: Obj = {};
      for (const [name, id] of Object.entries(index)) schemas[name] = definitions[name]?.[id];
      const file = `schemas/catalog/${kubernetesIndexFile(minor)}`;
      entries = openApiCatalogEntries(convertOpenApiDocuments([{ file, schemas, kinds: openApiKinds(schemas) }]));
      perMinor.set(minor, entries);
    }
    return entries;
  }
  const minors = origin.kubernetes.map((k) => k.minor).sort(compareMinor);
  const catalog: SchemaCatalogFiles = {
    dir, origin, digest, minors,
    entriesFor(wanted) {
      const minor = pickMinor(minors, wanted);
      const issues: Issue[] = [];
      if (wanted && minor && minor !== wanted) {
        issues.push({ severity: 'note', code: 'SCHEMA_CATALOG_NEAREST_MINOR', message: `the schema catalog has no Kubernetes ${wanted}: core kinds are checked against ${minor}, the nearest it has (${minors.join(', ')})`, hint: 'Add the minor to schemas/sources.yaml (catalog.kubernetes) and run csp schemas catalog (docs/schema-catalog.md).' });
      }
      const k8s = origin.kubernetes.find((k) => k.minor === minor);
      const provenance: CatalogProvenance = {
        dir, digest,
        ...(k8s ? { kubernetes: { minor: k8s.minor, source: k8s.source, sha256: k8s.sha256 } } : {}),
        providers: origin.providers.map((p) => ({ name: p.name, version: p.version, files: p.files })),
      };
      return { minor, entries: [...(minor ? kubernetesEntries(minor) : []), ...providers], issues, provenance };
    },
  };
  return { catalog, issues: [] };
}
