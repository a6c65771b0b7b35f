/**
 * JSON Schema checks (ajv) for every file a person writes. `schemas/*.schema.json` is the single source
 * of truth; problems come back as positioned Issues (all of them, never just the first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
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

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
let shared: { ajv: Ajv2020; cache: Map<string, ValidateFunction> } | undefined;

function compiled(name: string): ValidateFunction {
  if (!shared) {
    // Our own schemas are checked against the JSON Schema meta-schema by schema.test.ts, not in every process
    // (compiling the meta-schema cost ~100 ms of each command's start).
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false });
    addFormats(ajv);
    for (const file of fs.readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json')).sort()) {
      ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8')) as object, file);
    }
    shared = { ajv, cache: new Map() };
  }
  let fn = shared.cache.get(name);
  if (!fn) {
    fn = shared.ajv.getSchema(name);
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
