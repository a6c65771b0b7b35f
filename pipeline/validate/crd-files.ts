/**
 * Reading CRD files: every `spec.versions[].schema.openAPIV3Schema` of the CustomResourceDefinitions in files or
 * folders, as plain data (no ajv here, so the CRD reader thread of crd-worker.ts loads only YAML).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { Issue } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { JsonSchema } from './crd-convert.js';

/** One served (or unserved) version of a CRD kind. */
export interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  served: boolean;
  deprecated: boolean;
  /** File the CRD came from. */
  file: string;
  openAPIV3Schema: unknown;
  /**
   * A schema converted ahead of time (Kubernetes OpenAPI kinds, k8s-openapi.ts): compiled as is in every mode,
   * after its shared `$defs` document was added to ajv (once per catalog and mode).
   */
  prepared?: { schema: JsonSchema; shared: { $id: string } & Record<string, unknown> };
}

const CRD_KIND = /^kind:\s*["']?CustomResourceDefinition["']?\s*$/m;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Extracts CRD versions from one YAML stream. Only `kind: CustomResourceDefinition` documents are
 * parsed, so other documents (e.g. `${VAR}` placeholders in `*-components.yaml`) never matter.
 */
export function crdVersionsFromText(file: string, text: string): { versions: CrdVersion[]; issues: Issue[] } {
  const versions: CrdVersion[] = [];
  const issues: Issue[] = [];
  const chunks = text.split(/^---[^\n]*$/m);
  let line = 1;
  for (const chunk of chunks) {
    const startLine = line;
    line += chunk.split('\n').length - 1;
    if (!CRD_KIND.test(chunk)) continue;
    let doc: unknown;
    try {
      doc = parse(chunk, { maxAliasCount: limits().yamlAliases });
    } catch (e) {
      issues.push({ severity: 'error', code: 'CRD_YAML_INVALID', message: `CRD document is not valid YAML: ${(e as Error).message.split('\n')[0]}`, location: { file, line: startLine } });
      continue;
    }
    if (!isObj(doc) || doc.kind !== 'CustomResourceDefinition' || !isObj(doc.spec)) continue;
    const spec = doc.spec;
    const names = isObj(spec.names) ? spec.names : {};
    const group = typeof spec.group === 'string' ? spec.group : '';
    const kind = typeof names.kind === 'string' ? names.kind : '';
    if (!group || !kind || !Array.isArray(spec.versions)) {
      issues.push({ severity: 'error', code: 'CRD_INVALID', message: 'CustomResourceDefinition lacks spec.group, spec.names.kind or spec.versions', location: { file, line: startLine } });
      continue;
    }
    const shared = isObj(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
    for (const v of spec.versions as unknown[]) {
      if (!isObj(v) || typeof v.name !== 'string') continue;
      const schema = isObj(v.schema) ? v.schema.openAPIV3Schema : shared;
      if (schema === undefined) continue;
      versions.push({ group, version: v.name, kind, served: v.served !== false, deprecated: v.deprecated === true, file, openAPIV3Schema: schema });
    }
  }
  return { versions, issues };
}

/** Every `*.yaml`/`*.yml` file of a file or folder (recursive, sorted). */
export async function listYamlFiles(target: string): Promise<string[]> {
  const stat = await fs.stat(target);
  if (stat.isFile()) return [target];
  const out: string[] = [];
  for (const entry of (await fs.readdir(target, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...(await listYamlFiles(full)));
    else if (/\.(ya?ml)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Reads every CRD from folders or files (recursively, `*.yaml`/`*.yml`); problems become issues. */
export async function loadCrdVersions(targets: string[]): Promise<{ versions: CrdVersion[]; issues: Issue[] }> {
  const versions: CrdVersion[] = [];
  const issues: Issue[] = [];
  for (const target of targets) {
    let files: string[];
    try {
      files = await listYamlFiles(target);
    } catch {
      issues.push({ severity: 'error', code: 'CRD_DIR_MISSING', message: `CRD folder ${target} does not exist`, location: { file: target } });
      continue;
    }
    for (const file of files) {
      const result = crdVersionsFromText(file, await fs.readFile(file, 'utf8'));
      versions.push(...result.versions);
      issues.push(...result.issues);
    }
  }
  return { versions, issues };
}
