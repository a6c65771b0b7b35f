/**
 * The schemas a run validates with, per Kubernetes minor: the committed catalog (schemas/catalog/: that
 * minor's core kinds and the pinned providers' CRDs) first, then the schema cache and `--crds` folders, which
 * add kinds or override the catalog per group/version/kind. One SchemaCatalog per catalog minor, built on
 * first use and shared by every target that maps to it.
 */
import path from 'node:path';
import { schemasDir } from '../core/schema.js';
import type { Issue } from '../core/errors.js';
import { readSchemaCatalog, type CatalogProvenance, type SchemaCatalogFiles } from './catalog-load.js';
import { coreSchemaVersions, describeCoreSchemas, type CoreSchemaSource } from './core-schemas.js';
import { createSchemaCatalog, loadCrdVersions, type CrdVersion, type SchemaCatalog } from './crd-schema.js';
import { loadCrdVersionsConcurrently } from './crd-worker.js';
import { loadOpenApiKinds } from './k8s-openapi.js';

/** Where csp's own catalog is (schemas/catalog of the installation, not of the working directory). */
export const DEFAULT_CATALOG_DIR = path.join(schemasDir, 'catalog');

/** The schemas for one target minor. */
export interface MinorSchemas {
  catalog: SchemaCatalog;
  core: CoreSchemaSource;
  /** Notes about this minor (a catalog minor other than the target's). */
  issues: Issue[];
  /** The catalog's origin for this minor; absent with `catalogDir: false`. */
  provenance?: CatalogProvenance;
}

/** All schemas of a run. */
export interface SchemaSet {
  /** Problems loading the cache, `--crds` or the catalog. */
  issues: Issue[];
  catalogFiles?: SchemaCatalogFiles;
  forMinor(minor: string | undefined): MinorSchemas;
}

/**
 * Loads the catalog (unless `catalogDir` is false) and the given cache/`--crds` targets once. Kinds from the
 * targets replace catalog kinds of the same group/version/kind; csp's built-in subset is only the last resort
 * for a core kind neither has. With `concurrent`, the CRD files are read on a worker thread (crd-worker.ts).
 */
export async function loadSchemaSet(targets: string[], options: { catalogDir?: string | false; concurrent?: boolean } = {}): Promise<SchemaSet> {
  // `concurrent`: the CRD files are read on a worker thread, while the caller parses something else.
  const { versions, issues } = await (options.concurrent ? loadCrdVersionsConcurrently(targets) : loadCrdVersions(targets));
  const openapi = await loadOpenApiKinds(targets);
  issues.push(...openapi.issues);
  let catalogFiles: SchemaCatalogFiles | undefined;
  if (options.catalogDir !== false) {
    const read = await readSchemaCatalog(options.catalogDir ?? DEFAULT_CATALOG_DIR);
    issues.push(...read.issues);
    catalogFiles = read.catalog;
  }
  const builtIn = coreSchemaVersions();
  const byMinor = new Map<string, MinorSchemas>();
  return {
    issues,
    catalogFiles,
    forMinor(minor) {
      const picked = catalogFiles?.entriesFor(minor);
      const key = picked?.minor ?? '';
      let base = byMinor.get(key);
      if (!base) {
        const fromCatalog: CrdVersion[] = picked?.entries ?? [];
        const coreFromCatalog = fromCatalog.filter((e) => e.prepared);
        base = {
          catalog: createSchemaCatalog([...builtIn, ...fromCatalog, ...openapi.entries, ...versions]),
          core: describeCoreSchemas(builtIn, [...coreFromCatalog, ...openapi.entries], openapi.documents.map((d) => d.file), picked?.provenance),
          issues: [],
          ...(picked ? { provenance: picked.provenance } : {}),
        };
        byMinor.set(key, base);
      }
      return { ...base, issues: picked?.issues ?? [] };
    },
  };
}
