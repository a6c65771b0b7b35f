/**
 * Schema validation of rendered objects against their CRDs: every violation of every object, each with
 * the JSON path, the object's kind/name and the source location.
 */
import type { ErrorObject } from 'ajv';
import type { Issue, Severity } from '../core/errors.js';
import { pointerToPath } from '../core/source.js';
import { gvkKey, splitApiVersion, type CrdVersion, type SchemaCatalog, type SchemaMode } from './crd-schema.js';
import { issueLocation } from './locate-rendered.js';
import { describeObject, identityOf, toPointer, type RenderedObject } from './types.js';

/** An Issue plus the structured facts tests and reports need. */
export interface ValidationIssue extends Issue {
  /** JSON pointer inside the object the issue is about (`/spec/template/spec/flavor`). */
  path?: string;
  /** `Kind/name` of the object. */
  object?: string;
  /** Name of the ClusterClass patch involved. */
  patch?: string;
  /** Dry-run item (`infrastructureCluster`, `controlPlane`, `md-0/infrastructure`, …). */
  item?: string;
}

/** Options of validateObjects. */
export interface ValidateObjectsOptions {
  /** `strict` (default, apiserver-like), `kubeconform`, or `both` (kubeconform-only findings become warnings). */
  mode?: SchemaMode | 'both';
  /** A kind without a schema is a warning instead of an error. */
  allowUnknownKinds?: boolean;
}

const CODES: Record<string, string> = {
  additionalProperties: 'SCHEMA_UNKNOWN_FIELD',
  required: 'SCHEMA_MISSING_FIELD',
  type: 'SCHEMA_WRONG_TYPE',
  enum: 'SCHEMA_INVALID_VALUE',
  format: 'SCHEMA_INVALID_FORMAT',
  'x-kubernetes-list-map-keys': 'SCHEMA_DUPLICATE_KEY',
};

/** Drops the summary errors ajv adds around anyOf/oneOf/not when a more specific one exists. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'then', 'else'].includes(e.keyword));
  return specific.length > 0 ? specific : errors;
}

/** The JSON path an ajv error is about (the unknown or missing field itself for those keywords). */
export function errorPath(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${error.instancePath}${toPointer([String(params.additionalProperty)])}`;
  if (error.keyword === 'required') return `${error.instancePath}${toPointer([String(params.missingProperty)])}`;
  return error.instancePath;
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(params.additionalProperty)}"`;
    case 'required':
      return `missing required field "${String(params.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Turns ajv errors for one object into issues (deduplicated by code and path). */
export function schemaIssues(
  errors: ErrorObject[],
  object: RenderedObject,
  context: { severity?: Severity; prefix?: string; schemaName?: string } = {},
): ValidationIssue[] {
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  const what = describeObject(object.doc);
  for (const error of prune(errors)) {
    const code = CODES[error.keyword] ?? 'SCHEMA_INVALID';
    const path = errorPath(error);
    const key = `${code}:${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const segments = pointerToPath(path);
    const { location, related } = issueLocation(object, segments, { key: error.keyword === 'additionalProperties' });
    out.push({
      severity: context.severity ?? 'error',
      code,
      message: `${context.prefix ?? ''}${what}: ${path || '/'} ${describeError(error)}`,
      hint: error.keyword === 'additionalProperties'
        ? `Remove the field or fix its spelling; ${context.schemaName ?? 'the CRD'} does not declare it.`
        : `See ${context.schemaName ?? 'the CRD schema'} for what this field takes.`,
      location,
      ...(related ? { related } : {}),
      path,
      object: what,
    });
  }
  return out;
}

/** Finds the CRD version for an object, or the issue explaining why there is none. */
export function schemaFor(
  object: RenderedObject,
  catalog: SchemaCatalog,
  options: { allowUnknownKinds?: boolean } = {},
): { entry?: CrdVersion; issue?: ValidationIssue } {
  const id = identityOf(object.doc);
  const what = describeObject(object.doc);
  const base = (code: string, severity: Severity, message: string, hint: string, path: string): ValidationIssue => {
    const { location, related } = issueLocation(object, pointerToPath(path));
    return { severity, code, message, hint, location, ...(related ? { related } : {}), path, object: what };
  };
  if (!id.kind) return { issue: base('SCHEMA_MISSING_KIND', 'error', `${what}: object has no kind`, 'Every Kubernetes object needs `kind`.', '/kind') };
  if (!id.apiVersion) {
    return { issue: base('SCHEMA_MISSING_API_VERSION', 'error', `${what}: object has no apiVersion`, 'Every Kubernetes object needs `apiVersion`.', '/apiVersion') };
  }
  const { group, version } = splitApiVersion(id.apiVersion);
  const versions = catalog.versionsOf(group, id.kind);
  if (versions.length === 0) {
    return {
      issue: base(
        'SCHEMA_UNKNOWN_KIND',
        options.allowUnknownKinds ? 'warning' : 'error',
        `${what}: no schema for kind ${id.kind} in API group "${group}"`,
        'Add the CRD that defines this kind to the CRD folders, or fix kind/apiVersion.',
        '/kind',
      ),
    };
  }
  const entry = catalog.versions.get(gvkKey(group, version, id.kind));
  if (!entry || !entry.served) {
    const served = versions.filter((v) => v.served).map((v) => `${group}/${v.version}`);
    return {
      issue: base(
        'SCHEMA_UNKNOWN_VERSION',
        'error',
        `${what}: apiVersion ${id.apiVersion} is not served for ${id.kind}; served: ${served.join(', ') || 'none'}`,
        `Use one of: ${served.join(', ')}.`,
        '/apiVersion',
      ),
    };
  }
  return { entry };
}

/** Validates every object against its CRD schema and returns every problem found. */
export function validateObjects(objects: readonly RenderedObject[], catalog: SchemaCatalog, options: ValidateObjectsOptions = {}): ValidationIssue[] {
  const mode = options.mode ?? 'strict';
  const issues: ValidationIssue[] = [];
  for (const object of objects) {
    const { entry, issue } = schemaFor(object, catalog, options);
    if (issue) issues.push(issue);
    if (!entry) continue;
    const schemaName = `${entry.kind} ${entry.group}/${entry.version} (${entry.file.split('/').pop() ?? entry.file})`;
    if (entry.deprecated) {
      const { location, related } = issueLocation(object, ['apiVersion']);
      issues.push({ severity: 'warning', code: 'SCHEMA_DEPRECATED_VERSION', message: `${describeObject(object.doc)}: ${entry.group}/${entry.version} is deprecated for ${entry.kind}`, hint: `Served versions: ${catalog.versionsOf(entry.group, entry.kind).filter((v) => v.served && !v.deprecated).map((v) => v.version).join(', ') || 'none other'}.`, location, ...(related ? { related } : {}), path: '/apiVersion', object: describeObject(object.doc) });
    }
    const primary = catalog.check(entry, mode === 'kubeconform' ? 'kubeconform' : 'strict')(object.doc);
    // Built-in kinds: whether a duplicate list-map key is refused depends on the field's Go validation (a
    // duplicate container name is, a duplicate env name is not), so it is a warning there; CRDs refuse it.
    if (primary.length > 0) issues.push(...schemaIssues(primary, object, { schemaName }).map((i) => (entry.prepared && i.code === 'SCHEMA_DUPLICATE_KEY' ? { ...i, severity: 'warning' as const } : i)));
    if (mode === 'both') {
      const secondary = catalog.check(entry, 'kubeconform')(object.doc);
      const strictKeys = new Set(primary.map((e) => `${e.keyword}:${errorPath(e)}`));
      const onlyKubeconform = secondary.filter((e) => !strictKeys.has(`${e.keyword}:${errorPath(e)}`));
      for (const i of schemaIssues(onlyKubeconform, object, { severity: 'warning', prefix: 'kubeconform only: ', schemaName })) {
        issues.push({ ...i, code: 'SCHEMA_MODE_DIFFERENCE' });
      }
    }
  }
  return issues;
}
