/**
 * JSON Schema checks (ajv) for every file a person writes. `schemas/*.schema.json` is the single source
 * of truth; problems come back as positioned Issues (all of them, never just the first).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Issue } from './errors.js';
import { locate, locateKey, pointerToPath, type SourceFile } from './source.js';

/** Folder holding the project's JSON Schemas (works from sources and from the built dist/). */
export const schemasDir = findSchemasDir();

function findSchemasDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'stack.schema.json'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
}

/**
 * ajv options for our schemas, at run time and in the generated validators alike. Our own schemas are checked
 * against the JSON Schema meta-schema by schema.test.ts, not in every process (~100 ms of each start).
 */
export const SCHEMA_OPTIONS = Object.freeze({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false });

/** The schema files of `dir`, sorted. */
export function schemaFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort();
}

/** SHA-256 (hex) of schema file `file` of `dir`: what a generated validator module is tied to. */
export function schemaDigest(dir: string, file: string): string {
  return createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
}

const requireHere = createRequire(import.meta.url);

/**
 * The validators `npm run build` generated from `dir` (core/schema-code.ts), loaded from `file` — only when the
 * module names exactly the schema files of `dir` with the SHA-256 they have now; otherwise undefined (a missing,
 * stale or foreign module is never used, so editing a schema takes effect without a rebuild).
 */
export function loadGeneratedValidators(file: string, dir: string): Map<string, ValidateFunction> | undefined {
  try {
    const mod = requireHere(file) as { __names?: Record<string, string>; __digests?: Record<string, string> } & Record<string, unknown>;
    const names = mod.__names ?? {};
    const digests = mod.__digests ?? {};
    const files = schemaFiles(dir);
    if (files.length !== Object.keys(digests).length) return undefined;
    const out = new Map<string, ValidateFunction>();
    for (const f of files) {
      const fn = mod[names[f] ?? ''];
      if (digests[f] !== schemaDigest(dir, f) || typeof fn !== 'function') return undefined;
      out.set(f, fn as ValidateFunction);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** ajv compiling `dir`'s schemas at run time (loaded only when no generated validators fit). */
function runtimeCompiler(dir: string): (name: string) => ValidateFunction | undefined {
  // Synchronous require: checkSchema is synchronous, and ajv is CommonJS.
  const { Ajv2020: AjvClass } = requireHere('ajv/dist/2020.js') as { Ajv2020: new (options: object) => Ajv2020 };
  const addFormats = requireHere('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
  const ajv = new AjvClass({ ...SCHEMA_OPTIONS });
  addFormats(ajv);
  for (const file of schemaFiles(dir)) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as object, file);
  return (name) => ajv.getSchema(name);
}

let shared: { get: (name: string) => ValidateFunction | undefined; cache: Map<string, ValidateFunction> } | undefined;

function compiled(name: string): ValidateFunction {
  if (!shared) {
    const generated = loadGeneratedValidators(path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema-validators.cjs'), schemasDir);
    shared = generated ? { get: (n) => generated.get(n), cache: new Map() } : { get: runtimeCompiler(schemasDir), cache: new Map() };
  }
  let fn = shared.cache.get(name);
  if (!fn) {
    fn = shared.get(name);
    if (!fn) throw new Error(`schema ${name} is not in ${schemasDir}`);
    shared.cache.set(name, fn);
  }
  return fn;
}

/** Validates a parsed file against `schemas/<name>`; returns positioned issues (empty when valid). */
export function checkSchema(source: SourceFile, name: string, value: unknown = source.value): Issue[] {
  const validate = compiled(name);
  if (validate(value)) return [];
  return toIssues(source, validate.errors ?? [], name);
}

/** Validates a plain value (no positions) and returns messages; for data not read from a file. */
export function checkValue(name: string, value: unknown): string[] {
  const validate = compiled(name);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

function toIssues(source: SourceFile, errors: ErrorObject[], schemaName: string): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const error of prune(errors)) {
    const segments = pointerToPath(error.instancePath);
    let issue: Issue;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      issue = {
        severity: 'error',
        code: 'SCHEMA_UNKNOWN_KEY',
        message: `unknown key "${key}"${segments.length ? ` in ${segments.join('.')}` : ''}`,
        hint: `Remove it or check its spelling; allowed keys are listed in schemas/${schemaName}.`,
        location: locateKey(source, segments, key),
      };
    } else if (error.keyword === 'required') {
      const key = String(params.missingProperty);
      issue = {
        severity: 'error',
        code: 'SCHEMA_MISSING_KEY',
        message: `missing required key "${key}"${segments.length ? ` in ${segments.join('.')}` : ''}`,
        hint: `Add "${key}" (see schemas/${schemaName}).`,
        location: locate(source, segments),
      };
    } else {
      const where = segments.length ? segments.join('.') : 'document';
      let message = `${where} ${error.message ?? 'is invalid'}`;
      if (error.keyword === 'enum') message += `: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      issue = {
        severity: 'error',
        code: error.keyword === 'type' ? 'SCHEMA_WRONG_TYPE' : 'SCHEMA_INVALID',
        message,
        hint: `See schemas/${schemaName} for what this field takes.`,
        location: locate(source, segments),
      };
    }
    const key = `${issue.code}:${issue.location?.line}:${issue.location?.column}:${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/** Drops the noise ajv adds around a oneOf/anyOf/if failure when a more specific error exists. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'then', 'else'].includes(e.keyword));
  return specific.length > 0 ? specific : errors;
}
