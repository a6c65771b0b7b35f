/**
 * Stage `validate`: checks a rendered cluster stack before any cluster exists — every object against its
 * CRD (or csp's core schemas), the ClusterClass rules, and a topology dry-run of a Cluster through every
 * patch. Pure over plain data; `loadCatalog` and the schema store are the only file readers.
 */
import type { Issue } from '../core/errors.js';
import { checkClusterClass } from './class-check.js';
import { coreSchemaVersions, describeCoreSchemas, type CoreSchemaSource } from './core-schemas.js';
import { createSchemaCatalog, loadCrdVersions, type SchemaCatalog } from './crd-schema.js';
import { dryRunTopology, type DryRunItem } from './dry-run.js';
import { loadOpenApiKinds } from './k8s-openapi.js';
import { issueAt } from './locate-rendered.js';
import { objectsFromYaml } from './read-objects.js';
import { checkStandard } from './standard.js';
import { isUpstreamObject, rateUpstreamFindings } from './upstream-findings.js';
import { generateCluster, readTopology } from './topology-cluster.js';
import { identityOf, type RenderedObject } from './types.js';
import { validateObjects, type ValidationIssue } from './validate-objects.js';
import { placeAndValidate, type StackPlace, type StackTargetValidation } from './stack-target.js';
import { stringify } from 'yaml';
import type { ClassModel } from './class-model.js';

/** The part of a rendered chart validate needs (render/stack's RenderedChart has these fields). */
export interface ChartObjects {
  name: string;
  releaseName: string;
  chartVersion: string;
  objects: RenderedObject[];
}

/** One rendered build target of a stack. */
export interface TargetObjects {
  kubernetes: string;
  kubernetesVersion: string;
  clusterClass: ChartObjects;
  addons: ChartObjects[];
}

/** Options of validateTarget. */
export interface ValidateTargetOptions {
  /** A Cluster to dry-run; without it one is generated from variable defaults and examples. */
  cluster?: RenderedObject;
  allowUnknownKinds?: boolean;
}

/** What validateTarget found: every issue, the patched templates, and the class for --standard. */
export interface TargetValidation {
  kubernetes: string;
  issues: ValidationIssue[];
  items: DryRunItem[];
  objects: number;
  /** The generated or given Cluster that was dry-run. */
  cluster?: RenderedObject;
  model?: ClassModel;
  variables?: Map<string, unknown>;
}

/**
 * Builds the schema catalog: csp's built-in core-kind schemas, replaced per group/version/kind by the kinds of
 * any Kubernetes OpenAPI v3 documents under the given files/folders (the cache of csp schemas sync), plus every
 * CRD there. `core` says where the core kinds came from.
 */
export async function loadCatalog(targets: string[]): Promise<{ catalog: SchemaCatalog; issues: Issue[]; core: CoreSchemaSource }> {
  const { versions, issues } = await loadCrdVersions(targets);
  const openapi = await loadOpenApiKinds(targets);
  const builtIn = coreSchemaVersions();
  return {
    catalog: createSchemaCatalog([...builtIn, ...openapi.entries, ...versions]),
    issues: [...issues, ...openapi.issues],
    core: describeCoreSchemas(builtIn, openapi.entries, openapi.documents.map((d) => d.file)),
  };
}

/** A generated Cluster as a RenderedObject with its own YAML text, so issues can point into it. */
function generatedClusterObject(model: ClassModel, kubernetesVersion: string): RenderedObject {
  const file = `<generated Cluster for ${model.name}>`;
  const { objects } = objectsFromYaml(file, stringify(generateCluster(model, kubernetesVersion)));
  return objects[0] as RenderedObject;
}

/** Validates one rendered target: schemas of all objects, ClusterClass checks and the topology dry-run. */
export function validateTarget(target: TargetObjects, catalog: SchemaCatalog, options: ValidateTargetOptions = {}): TargetValidation {
  const all = [...target.clusterClass.objects, ...target.addons.flatMap((a) => a.objects)];
  const own = all.filter((o) => !isUpstreamObject(o));
  const upstream = all.filter((o) => isUpstreamObject(o));
  const issues: ValidationIssue[] = [
    ...validateObjects(own, catalog, { allowUnknownKinds: options.allowUnknownKinds }),
    ...rateUpstreamFindings(validateObjects(upstream, catalog, { allowUnknownKinds: options.allowUnknownKinds })),
  ];
  const classes = target.clusterClass.objects.filter((o) => identityOf(o.doc).kind === 'ClusterClass');
  const result: TargetValidation = { kubernetes: target.kubernetes, issues, items: [], objects: all.length };
  if (classes.length !== 1) {
    issues.push({ severity: 'error', code: classes.length ? 'CLASS_NOT_UNIQUE' : 'CLASS_MISSING', message: `cluster-class chart ${target.clusterClass.name} renders ${classes.length} ClusterClass objects, expected exactly one`, location: { file: target.clusterClass.objects[0]?.source.file ?? target.clusterClass.name } });
    return result;
  }
  const classObject = classes[0] as RenderedObject;
  const checked = checkClusterClass({ classObject, objects: target.clusterClass.objects, ...(target.clusterClass.releaseName && target.clusterClass.chartVersion ? { expectedName: `${target.clusterClass.releaseName}-${target.clusterClass.chartVersion}` } : {}), catalog });
  issues.push(...checked.issues);
  result.model = checked.model;
  result.variables = checked.variables;
  const cluster = options.cluster ?? generatedClusterObject(checked.model, target.kubernetesVersion);
  result.cluster = cluster;
  if (options.cluster) {
    issues.push(...validateObjects([cluster], catalog, { allowUnknownKinds: options.allowUnknownKinds }));
    const version = identityOf(cluster.doc).kind === 'Cluster' ? ((cluster.doc.spec as { topology?: { version?: unknown } } | undefined)?.topology?.version) : undefined;
    const want = `v${target.kubernetesVersion.replace(/^v/, '')}`;
    if (target.kubernetesVersion && typeof version === 'string' && version !== want) {
      issues.push(issueAt(cluster, '/spec/topology/version', { severity: 'warning', code: 'CLUSTER_VERSION_MISMATCH', message: `Cluster asks for Kubernetes ${version}, this release of the stack carries ${want} (CSO rejects other versions)` }));
    }
  }
  const read = readTopology(cluster, checked.model, checked.variables);
  issues.push(...read.issues);
  if (read.topology) {
    const dry = dryRunTopology(checked.model, read.topology, target.clusterClass.objects, catalog);
    issues.push(...dry.issues);
    result.items = dry.items;
  }
  return result;
}

export { checkStandard, objectsFromYaml, validateObjects };
export { coreSchemaVersions, type CoreSchemaSource } from './core-schemas.js';
export { convertOpenApiDocuments, loadOpenApiKinds, parseOpenApiDocument } from './k8s-openapi.js';
export { createSchemaCatalog, loadCrdVersions } from './crd-schema.js';
export { DEFAULT_SCHEMA_CACHE, importSchemas, loadSchemaSources, schemaSourcesOf, syncSchemas, type SchemaSources, type SchemaStoreResult } from './schema-store.js';
export { STANDARD_VARIABLES, type StandardProvider } from './standard.js';
export { mapIssuesToTemplates } from './template-lines.js';
export type { RenderedObject, ValidationIssue, DryRunItem, SchemaCatalog };
export { generateCatalog, type CatalogOrigin } from './catalog.js';
export { updateCatalog, type CatalogUpdate } from './catalog-files.js';
export { readSchemaCatalog, type CatalogProvenance } from './catalog-load.js';
export { DEFAULT_CATALOG_DIR, loadSchemaSet, type MinorSchemas, type SchemaSet } from './schema-set.js';
export { stackTemplateReader, type StackPlace, type StackTargetValidation } from './stack-target.js';

/**
 * Validates a rendered target of a stack with every issue placed in the stack (template lines, not rendered
 * ones, where they can be mapped); `texts` collects the rendered texts by display name. csp validate and
 * csp build both use it, so they report a problem at the same place.
 */
export function validateStackTarget(
  target: TargetObjects,
  stack: StackPlace,
  catalog: SchemaCatalog,
  options: ValidateTargetOptions = {},
  texts: Map<string, string> = new Map(),
): StackTargetValidation {
  return placeAndValidate(target, stack, (placed) => validateTarget(placed, catalog, options), texts);
}
