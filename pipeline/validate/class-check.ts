/**
 * Static ClusterClass checks (rendering-and-capi.md §5, CAPI's clusterclass and patch webhooks): refs
 * resolve to templates of the chart, CSO naming, structural variable schemas, patch selectors, JSON
 * patch operations and paths, and patch templates that parse and only read defined variables.
 */
import { isBuiltinPath } from './builtins.js';
import { classRefs, readClassModel, selectorMatches, type ClassModel, type ClassRef } from './class-model.js';
import { splitApiVersion, type SchemaCatalog } from './crd-schema.js';
import { issueAt } from './locate-rendered.js';
import { checkPatchTemplate, templateFieldChains } from './patch-template.js';
import { checkVariableSchema } from './structural.js';
import { identityOf, isJsonObject, type JsonObject, type RenderedObject } from './types.js';
import type { ValidationIssue } from './validate-objects.js';
import { parseVariablePath, schemaAt } from './variables.js';

/** Input of checkClusterClass. */
export interface ClassCheckInput {
  classObject: RenderedObject;
  /** Every object of the cluster-class chart (templates are looked up here). */
  objects: readonly RenderedObject[];
  /** CSO naming: the ClusterClass must be called `<release>-<version>`. */
  expectedName?: string;
  /** With a catalog, patch paths are also checked against the target template's CRD schema. */
  catalog?: SchemaCatalog;
}

/** Finds the template object a ref points at (by kind and name; apiVersion checked separately). */
export function findTemplate(ref: ClassRef, objects: readonly RenderedObject[]): RenderedObject | undefined {
  return objects.find((o) => {
    const id = identityOf(o.doc);
    return id.name === ref.name && id.kind === ref.kind && id.apiVersion === ref.apiVersion && (ref.namespace === undefined || id.namespace === undefined || id.namespace === ref.namespace);
  });
}

function checkRefs(model: ClassModel, objects: readonly RenderedObject[], out: ValidationIssue[]): void {
  const obj = model.object;
  for (const missing of model.missingRefs) {
    out.push(issueAt(obj, missing.path, { code: 'CLASS_REF_MISSING', message: `ClusterClass ${model.name}: ${missing.role} has no template reference`, hint: 'Add ref (v1beta1) or templateRef (v1beta2) with apiVersion, kind and name.' }));
  }
  for (const ref of classRefs(model)) {
    if (findTemplate(ref, objects)) continue;
    const sameName = objects.filter((o) => identityOf(o.doc).name === ref.name && o.doc !== obj.doc);
    const other = sameName[0] ? identityOf(sameName[0].doc) : undefined;
    out.push(issueAt(obj, other ? `${ref.path}/${other.kind === ref.kind ? 'apiVersion' : 'kind'}` : `${ref.path}/name`, other
      ? { code: 'CLASS_REF_MISMATCH', message: `ClusterClass ${model.name}: ${ref.role} refers to ${ref.kind} ${ref.apiVersion} ${ref.name}, but the chart's template of that name is ${other.kind} ${other.apiVersion}`, hint: 'Make the ref\'s kind and apiVersion equal the template\'s (CAPI reads exactly that apiVersion).' }
      : { code: 'CLASS_REF_DANGLING', message: `ClusterClass ${model.name}: ${ref.role} refers to ${ref.kind ?? '<no kind>'}/${ref.name ?? '<no name>'}, which the chart does not render`, hint: `Templates in the chart: ${objects.filter((o) => o.doc !== obj.doc).map((o) => `${identityOf(o.doc).kind}/${identityOf(o.doc).name}`).join(', ') || 'none'}.` }));
  }
}

function checkVariables(model: ClassModel, out: ValidationIssue[]): Map<string, unknown> {
  const defined = new Map<string, unknown>();
  model.variables.forEach((v, i) => {
    const at = `/spec/variables/${i}`;
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name || name === 'builtin' || name.includes('.')) {
      out.push(issueAt(model.object, `${at}/name`, { code: 'VARIABLE_NAME_INVALID', message: `variable name "${name}" is not allowed`, hint: 'A variable name must be non-empty, not "builtin" and contain no ".".' }));
    } else if (defined.has(name)) {
      out.push(issueAt(model.object, `${at}/name`, { code: 'VARIABLE_DUPLICATE', message: `variable "${name}" is defined twice`, hint: 'Variable names must be unique within a ClusterClass.' }));
    }
    const schema = isJsonObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isJsonObject(schema)) {
      out.push(issueAt(model.object, `${at}/schema`, { code: 'VARIABLE_SCHEMA_MISSING', message: `variable "${name}" has no schema.openAPIV3Schema` }));
      return;
    }
    defined.set(name, schema);
    for (const p of checkVariableSchema(schema)) {
      out.push(issueAt(model.object, `${at}/schema/openAPIV3Schema${p.path}`, { code: p.code, message: `variable "${name}": ${p.message}`, hint: 'Variable schemas must be structural Kubernetes schemas (rendering-and-capi.md §5.2).' }));
    }
  });
  return defined;
}

/** Reports template field chains that name neither a defined variable (and one of its fields) nor a builtin. */
function checkTemplateVariables(text: string, defined: Map<string, unknown>, object: RenderedObject, pointer: string, what: string, out: ValidationIssue[]): void {
  const seen = new Set<string>();
  for (const chain of templateFieldChains(text)) {
    const dotted = chain.join('.');
    if (seen.has(dotted)) continue;
    seen.add(dotted);
    const problem = variablePathProblem(chain, defined);
    if (problem) out.push(issueAt(object, pointer, { code: 'PATCH_TEMPLATE_UNDEFINED_VARIABLE', message: `${what} reads .${dotted}: ${problem}`, hint: `Defined variables: ${[...defined.keys()].join(', ') || 'none'}, plus builtin.*.` }));
  }
}

/** Why a variable path (segments) is not defined, or undefined when it is. */
export function variablePathProblem(segments: readonly (string | number)[], defined: Map<string, unknown>): string | undefined {
  const [first, ...rest] = segments;
  if (first === 'builtin') return isBuiltinPath(rest.map(String)) ? undefined : `builtin.${rest.join('.')} is not a CAPI builtin variable`;
  if (typeof first !== 'string' || !defined.has(first)) return `variable "${String(first)}" is not defined in the ClusterClass`;
  if (rest.length === 0) return undefined;
  const at = schemaAt(defined.get(first), rest);
  return at.open || at.schema !== undefined ? undefined : `"${rest.join('.')}" is not a field of variable "${first}"`;
}

const SEGMENT_INDEX = /^(\d+|-)$/;

function checkOpPath(op: JsonObject, pointer: string, model: ClassModel, targetSchemas: unknown[], out: ValidationIssue[]): void {
  const path = typeof op.path === 'string' ? op.path : '';
  if (!path.startsWith('/spec/')) {
    out.push(issueAt(model.object, `${pointer}/path`, { code: 'PATCH_PATH_OUTSIDE_SPEC', message: `patch path "${path}" must start with /spec/`, hint: 'CAPI only lets patches change the spec of a template.' }));
    return;
  }
  const tokens = path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  tokens.forEach((t, i) => {
    if (!SEGMENT_INDEX.test(t)) return;
    const allowed = op.op === 'add' && i === tokens.length - 1 && (t === '0' || t === '-');
    if (!allowed) out.push(issueAt(model.object, `${pointer}/path`, { code: 'PATCH_PATH_INDEX', message: `patch path "${path}": array index "${t}" is not allowed here`, hint: 'Only `add` may end in /0 or /-; replace and remove cannot address array items (CAPI webhook).' }));
  });
  for (const schema of targetSchemas) {
    const segments = tokens.map((t) => (SEGMENT_INDEX.test(t) ? 0 : t));
    const at = schemaAt(schema, segments);
    if (!at.open && at.schema === undefined) {
      out.push(issueAt(model.object, `${pointer}/path`, { code: 'PATCH_PATH_UNKNOWN_FIELD', message: `patch path "${path}" is not a field of the target template's schema`, hint: 'Check the spelling against the template CRD.' }));
      break;
    }
  }
}

function checkPatches(model: ClassModel, defined: Map<string, unknown>, catalog: SchemaCatalog | undefined, out: ValidationIssue[]): void {
  const names = new Set<string>();
  const refs = classRefs(model);
  model.patches.forEach((patch, i) => {
    const at = `/spec/patches/${i}`;
    const name = typeof patch.name === 'string' ? patch.name : '';
    if (names.has(name)) out.push(issueAt(model.object, `${at}/name`, { code: 'PATCH_NAME_DUPLICATE', message: `patch name "${name}" is used twice` }));
    names.add(name);
    const hasDefs = Array.isArray(patch.definitions);
    if (hasDefs === (patch.external !== undefined)) {
      out.push(issueAt(model.object, at, { code: 'PATCH_DEFINITIONS_XOR_EXTERNAL', message: `patch "${name}" must have exactly one of definitions and external` }));
    }
    if (typeof patch.enabledIf === 'string') {
      const parseError = checkPatchTemplate(patch.enabledIf);
      if (parseError) out.push(issueAt(model.object, `${at}/enabledIf`, { code: 'PATCH_TEMPLATE_INVALID', message: `patch "${name}" enabledIf does not parse: ${parseError}` }));
      else checkTemplateVariables(patch.enabledIf, defined, model.object, `${at}/enabledIf`, `patch "${name}" enabledIf`, out);
    }
    if (!hasDefs) return;
    (patch.definitions as unknown[]).forEach((raw, j) => {
      const def = isJsonObject(raw) ? raw : {};
      const dat = `${at}/definitions/${j}`;
      const matched = refs.filter((r) => selectorMatches(def.selector, r));
      if (matched.length === 0) {
        const sel = isJsonObject(def.selector) ? def.selector : {};
        out.push(issueAt(model.object, `${dat}/selector`, { code: 'PATCH_SELECTOR_UNMATCHED', message: `patch "${name}" selector ${String(sel.kind)} ${String(sel.apiVersion)} matches no template of the class`, hint: 'apiVersion and kind must equal a ref exactly, and matchResources must name a role or worker class that uses it.' }));
      }
      const schemas = catalog ? [...new Set(matched.map((r) => {
        const { group, version } = splitApiVersion(r.apiVersion ?? '');
        return catalog.versions.get(`${group}/${version}/${r.kind ?? ''}`)?.openAPIV3Schema;
      }))].filter((s) => s !== undefined) : [];
      const ops = Array.isArray(def.jsonPatches) ? def.jsonPatches : [];
      ops.forEach((rawOp, k) => checkOp(isJsonObject(rawOp) ? rawOp : {}, `${dat}/jsonPatches/${k}`, name, model, defined, schemas, out));
    });
  });
}

function checkOp(op: JsonObject, pointer: string, name: string, model: ClassModel, defined: Map<string, unknown>, schemas: unknown[], out: ValidationIssue[]): void {
  if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') {
    out.push(issueAt(model.object, `${pointer}/op`, { code: 'PATCH_OP_INVALID', message: `patch "${name}": op "${String(op.op)}" is not allowed`, hint: 'CAPI allows add, replace and remove.' }));
  }
  checkOpPath(op, pointer, model, schemas, out);
  const hasValue = op.value !== undefined;
  const from = isJsonObject(op.valueFrom) ? op.valueFrom : undefined;
  if (op.op === 'remove') {
    if (hasValue || from) out.push(issueAt(model.object, pointer, { code: 'PATCH_VALUE_ON_REMOVE', message: `patch "${name}": remove takes no value or valueFrom` }));
    return;
  }
  if (hasValue === (from !== undefined)) {
    out.push(issueAt(model.object, hasValue ? `${pointer}/valueFrom` : pointer, { code: 'PATCH_VALUE_XOR', message: `patch "${name}": ${String(op.op)} needs exactly one of value and valueFrom` }));
    return;
  }
  if (!from) return;
  if ((typeof from.variable === 'string') === (typeof from.template === 'string')) {
    out.push(issueAt(model.object, `${pointer}/valueFrom`, { code: 'PATCH_VALUE_XOR', message: `patch "${name}": valueFrom needs exactly one of variable and template` }));
    return;
  }
  if (typeof from.variable === 'string') {
    const segments = parseVariablePath(from.variable);
    const problem = segments ? variablePathProblem(segments, defined) : `"${from.variable}" is not a variable path`;
    if (problem) out.push(issueAt(model.object, `${pointer}/valueFrom/variable`, { code: 'PATCH_VARIABLE_UNDEFINED', message: `patch "${name}": valueFrom.variable ${from.variable}: ${problem}` }));
  } else if (typeof from.template === 'string') {
    const parseError = checkPatchTemplate(from.template);
    if (parseError) out.push(issueAt(model.object, `${pointer}/valueFrom/template`, { code: 'PATCH_TEMPLATE_INVALID', message: `patch "${name}" valueFrom.template does not parse: ${parseError}` }));
    else checkTemplateVariables(from.template, defined, model.object, `${pointer}/valueFrom/template`, `patch "${name}" valueFrom.template`, out);
  }
}

/** Runs every static check on one ClusterClass; returns the model for the dry-run and all issues. */
export function checkClusterClass(input: ClassCheckInput): { model: ClassModel; variables: Map<string, unknown>; issues: ValidationIssue[] } {
  const model = readClassModel(input.classObject);
  const issues: ValidationIssue[] = [];
  if (input.expectedName !== undefined && model.name !== input.expectedName) {
    issues.push(issueAt(model.object, '/metadata/name', { code: 'CLASS_NAME_MISMATCH', message: `ClusterClass is named "${model.name}", CSO expects "${input.expectedName}"`, hint: 'Name it {{ .Release.Name }}-{{ .Chart.Version }} (the cluster stack release name).' }));
  }
  checkRefs(model, input.objects, issues);
  const variables = checkVariables(model, issues);
  checkPatches(model, variables, input.catalog, issues);
  return { model, variables, issues: issues.map((i) => ({ ...i, object: `ClusterClass/${model.name}` })) };
}
