/**
 * Topology dry-run (rendering-and-capi.md §5.4): for a Cluster, build CAPI's patch items, evaluate each
 * patch's enabledIf, generate and apply its JSON patches to copies of the templates in declaration order
 * (RFC 6902 as evanphx/json-patch), then schema-check the patched templates. Every failure names the
 * patch and the variable values that led to it.
 */
import { clusterBuiltin, controlPlaneBuiltin, machineDeploymentBuiltin, type ClusterFacts } from './builtins.js';
import { selectorMatches, type ClassModel, type ClassRef } from './class-model.js';
import { findTemplate } from './class-check.js';
import type { SchemaCatalog } from './crd-schema.js';
import { applyJsonPatch, JsonPatchError, type JsonPatchOp } from './json-patch.js';
import { issueAt } from './locate-rendered.js';
import { parseTemplateOutput, renderPatchTemplate, templateFieldChains } from './patch-template.js';
import type { ClusterTopology } from './topology-cluster.js';
import { isJsonObject, type JsonObject, type RenderedObject } from './types.js';
import { errorPath, schemaFor, schemaIssues, type ValidationIssue } from './validate-objects.js';
import { lookupVariable } from './variables.js';

/** One patched template of the dry-run. */
export interface DryRunItem {
  /** `infrastructureCluster`, `controlPlane`, `controlPlaneMachineInfrastructure`, `<md name>/bootstrap`, … */
  id: string;
  ref: ClassRef;
  template: RenderedObject;
  /** The template after all enabled patches. */
  doc: JsonObject;
  /** Patches that were enabled for this item, in order. */
  enabled: string[];
  /** Operations applied: resulting JSON pointer, the patch and the variable values it read. */
  applied: { pointer: string; patch: string; classPointer: string; inputs: Record<string, unknown> }[];
}

function variablesRead(patch: JsonObject, opFrom?: JsonObject): string[] {
  const paths = new Set<string>();
  if (typeof patch.enabledIf === 'string') for (const c of templateFieldChains(patch.enabledIf)) paths.add(c.join('.'));
  if (opFrom && typeof opFrom.variable === 'string') paths.add(opFrom.variable);
  if (opFrom && typeof opFrom.template === 'string') for (const c of templateFieldChains(opFrom.template)) paths.add(c.join('.'));
  return [...paths];
}

function inputsOf(paths: string[], variables: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const found = lookupVariable(variables, p);
    out[p] = found.found ? found.value : '<unset>';
  }
  return out;
}

/** `a=1, b="x"` for messages. */
export function formatInputs(inputs: Record<string, unknown>): string {
  const parts = Object.entries(inputs).map(([k, v]) => `${k}=${v === '<unset>' ? 'unset' : JSON.stringify(v)}`);
  return parts.length ? ` [variables: ${parts.join(', ')}]` : '';
}

/**
 * Evaluates enabledIf as CAPI's `patchIsEnabled` (cluster-api internal/controllers/topology/cluster/patches/inline/
 * json_patch_generator.go) does: a render failure or output that is not YAML fails the reconcile (`error`); any
 * other output except `true` disables the patch, so text such as `<no value>` only gets a `warning`.
 */
export function evaluateEnabledIf(enabledIf: unknown, variables: JsonObject): { enabled: boolean; error?: string; warning?: string } {
  if (typeof enabledIf !== 'string') return { enabled: true };
  let output: string;
  try {
    output = renderPatchTemplate(enabledIf, variables);
  } catch (e) {
    return { enabled: false, error: `enabledIf failed to render: ${(e as Error).message}` };
  }
  let value: unknown;
  try {
    value = parseTemplateOutput(output);
  } catch (e) {
    return { enabled: false, error: `enabledIf rendered ${JSON.stringify(output)}, which is not YAML: ${(e as Error).message}` };
  }
  if (value === true) return { enabled: true };
  if (value === false || value === null || value === undefined) return { enabled: false };
  return { enabled: false, warning: `enabledIf rendered ${JSON.stringify(output.trim())}, which is not true, so CAPI disables the patch` };
}

interface Item {
  id: string;
  ref: ClassRef;
  variables: JsonObject;
}

function buildItems(model: ClassModel, topo: ClusterTopology): Item[] {
  const facts: ClusterFacts = { name: topo.name, namespace: topo.namespace, labels: topo.labels, annotations: topo.annotations, version: topo.version, className: topo.className, classNamespace: model.namespace ?? topo.namespace, ...(topo.clusterNetwork ? { clusterNetwork: topo.clusterNetwork } : {}) };
  const cluster = clusterBuiltin(facts);
  const items: Item[] = [];
  if (model.infrastructure) items.push({ id: 'infrastructureCluster', ref: model.infrastructure, variables: { ...topo.variables, builtin: { cluster } } });
  const cp = controlPlaneBuiltin(facts, topo.controlPlaneReplicas, model.controlPlaneMachineInfrastructure !== undefined);
  if (model.controlPlane) items.push({ id: 'controlPlane', ref: model.controlPlane, variables: { ...topo.variables, builtin: { cluster, controlPlane: cp } } });
  if (model.controlPlaneMachineInfrastructure) items.push({ id: 'controlPlaneMachineInfrastructure', ref: model.controlPlaneMachineInfrastructure, variables: { ...topo.variables, builtin: { cluster, controlPlane: cp } } });
  for (const md of topo.machineDeployments) {
    const cls = model.machineDeployments.find((w) => w.class === md.class);
    if (!cls) continue;
    const builtin = { cluster, machineDeployment: machineDeploymentBuiltin(facts, md) };
    if (cls.bootstrap) items.push({ id: `${md.name}/bootstrap`, ref: cls.bootstrap, variables: { ...md.variables, builtin } });
    if (cls.infrastructure) items.push({ id: `${md.name}/infrastructure`, ref: cls.infrastructure, variables: { ...md.variables, builtin } });
  }
  return items;
}

/** Generates one patch's operations for an item; the first value that cannot be computed is an issue. */
function generateOps(patch: JsonObject, patchIndex: number, item: Item, model: ClassModel, issues: ValidationIssue[]): { ops: JsonPatchOp[]; pointers: string[]; inputs: Record<string, unknown>[] } | undefined {
  const ops: JsonPatchOp[] = [];
  const pointers: string[] = [];
  const inputs: Record<string, unknown>[] = [];
  const defs = Array.isArray(patch.definitions) ? patch.definitions : [];
  for (const [j, rawDef] of defs.entries()) {
    const def = isJsonObject(rawDef) ? rawDef : {};
    if (!selectorMatches(def.selector, item.ref)) continue;
    const list = Array.isArray(def.jsonPatches) ? def.jsonPatches : [];
    for (const [k, rawOp] of list.entries()) {
      const op = isJsonObject(rawOp) ? rawOp : {};
      const pointer = `/spec/patches/${patchIndex}/definitions/${j}/jsonPatches/${k}`;
      const from = isJsonObject(op.valueFrom) ? op.valueFrom : undefined;
      const used = inputsOf(variablesRead(patch, from), item.variables);
      let value = op.value;
      if (from && typeof from.variable === 'string') {
        const found = lookupVariable(item.variables, from.variable);
        if (!found.found) {
          issues.push(issueAt(model.object, `${pointer}/valueFrom/variable`, { code: 'DRY_RUN_VARIABLE_MISSING', message: `dry-run ${item.id}: patch "${String(patch.name)}" reads variable ${from.variable}, which is not set${formatInputs(used)}`, hint: 'Guard the patch with enabledIf, give the variable a default, or set it in the Cluster.' }));
          return undefined;
        }
        value = found.value;
      } else if (from && typeof from.template === 'string') {
        try {
          value = parseTemplateOutput(renderPatchTemplate(from.template, item.variables));
        } catch (e) {
          issues.push(issueAt(model.object, `${pointer}/valueFrom/template`, { code: 'DRY_RUN_TEMPLATE_FAILED', message: `dry-run ${item.id}: patch "${String(patch.name)}" valueFrom.template failed: ${(e as Error).message}${formatInputs(used)}` }));
          return undefined;
        }
      }
      ops.push({ op: String(op.op), path: String(op.path), ...(op.op === 'remove' ? {} : { value }) });
      pointers.push(pointer);
      inputs.push(used);
    }
  }
  return { ops, pointers, inputs };
}

/** Resulting pointer of an op in `doc` before it is applied (`-` becomes the new index). */
function resultPointer(doc: unknown, path: string): string {
  if (!path.endsWith('/-')) return path;
  let node: unknown = doc;
  for (const t of path.slice(1, -2).split('/')) node = isJsonObject(node) ? node[t.replace(/~1/g, '/').replace(/~0/g, '~')] : Array.isArray(node) ? node[Number(t)] : undefined;
  return `${path.slice(0, -1)}${Array.isArray(node) ? node.length : 0}`;
}

/** Runs the dry-run for one Cluster topology; returns the patched items and every problem. */
export function dryRunTopology(model: ClassModel, topo: ClusterTopology, objects: readonly RenderedObject[], catalog: SchemaCatalog | undefined): { items: DryRunItem[]; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const results: DryRunItem[] = [];
  model.patches.forEach((p, i) => {
    if (p.external !== undefined) issues.push(issueAt(model.object, `/spec/patches/${i}/external`, { severity: 'warning', code: 'DRY_RUN_EXTERNAL_PATCH', message: `patch "${String(p.name)}" is external (runtime extension); the dry-run cannot apply it` }));
  });
  for (const item of buildItems(model, topo)) {
    const template = findTemplate(item.ref, objects);
    if (!template) continue; // reported by the class checks
    let doc = structuredClone(template.doc);
    const result: DryRunItem = { id: item.id, ref: item.ref, template, doc, enabled: [], applied: [] };
    model.patches.forEach((patch, i) => {
      if (!Array.isArray(patch.definitions)) return;
      const name = String(patch.name);
      const gate = evaluateEnabledIf(patch.enabledIf, item.variables);
      if (gate.error) {
        issues.push(issueAt(model.object, `/spec/patches/${i}/enabledIf`, { code: 'DRY_RUN_ENABLED_IF', message: `dry-run ${item.id}: patch "${name}" ${gate.error}${formatInputs(inputsOf(variablesRead(patch), item.variables))}`, hint: 'CAPI fails the topology reconcile here: enabledIf must render and give YAML (true enables the patch).' }));
      } else if (gate.warning) {
        const inputs = inputsOf(variablesRead(patch), item.variables);
        const missing = Object.keys(inputs).filter((k) => inputs[k] === '<unset>');
        const unset = missing.filter((k) => !missing.some((m) => k.startsWith(`${m}.`)));
        const why = unset.length > 0 ? ` because ${unset.join(', ')} ${unset.length > 1 ? 'are' : 'is'} unset` : '';
        issues.push(issueAt(model.object, `/spec/patches/${i}/enabledIf`, { severity: 'warning', code: 'DRY_RUN_ENABLED_IF', message: `dry-run ${item.id}: patch "${name}" ${gate.warning}${why}${formatInputs(inputs)}`, hint: unset.length > 0 ? `Give ${unset.join(', ')} a default, or write the condition so it prints true or false (e.g. {{ if ... }}true{{ end }}).` : 'Write the condition so it prints true or false (e.g. {{ if ... }}true{{ end }}).' }));
      }
      if (!gate.enabled) return;
      const generated = generateOps(patch, i, item, model, issues);
      if (!generated || generated.ops.length === 0) return;
      result.enabled.push(name);
      const before = doc;
      const applied: DryRunItem['applied'] = [];
      let working = structuredClone(doc);
      try {
        generated.ops.forEach((op, k) => {
          applied.push({ pointer: resultPointer(working, op.path), patch: name, classPointer: generated.pointers[k] as string, inputs: generated.inputs[k] ?? {} });
          working = applyJsonPatch(working, [op]) as JsonObject;
        });
        doc = working;
        result.applied.push(...applied);
      } catch (e) {
        const k = applied.length - 1;
        const why = e instanceof JsonPatchError ? e.message : String(e);
        issues.push(issueAt(model.object, `${generated.pointers[k] ?? `/spec/patches/${i}`}/path`, { code: 'DRY_RUN_PATCH_FAILED', message: `dry-run ${item.id}: patch "${name}" cannot be applied to ${String(item.ref.kind)}/${String(item.ref.name)}: ${why}${formatInputs(generated.inputs[k] ?? {})}`, hint: 'add needs an existing parent: add the parent object first (or in the template), or use a path that exists.' }));
        doc = before;
      }
    });
    result.doc = doc;
    results.push(result);
    if (catalog) issues.push(...checkPatched(result, catalog, model));
  }
  return { items: results, issues: issues.map((i) => ({ ...i, object: i.object ?? `ClusterClass/${model.name}` })) };
}

/** Schema-checks a patched template; only problems the unpatched template does not have are reported. */
function checkPatched(item: DryRunItem, catalog: SchemaCatalog, model: ClassModel): ValidationIssue[] {
  const patched: RenderedObject = { ...item.template, doc: item.doc };
  const { entry } = schemaFor(patched, catalog);
  if (!entry || item.applied.length === 0) return [];
  const check = catalog.check(entry, 'strict');
  const known = new Set(check(item.template.doc).map((e) => `${e.keyword}:${errorPath(e)}`));
  const fresh = check(item.doc).filter((e) => !known.has(`${e.keyword}:${errorPath(e)}`));
  return schemaIssues(fresh, patched, { prefix: `dry-run ${item.id}: ` }).map((issue) => {
    const path = issue.path ?? '';
    const cause = [...item.applied].reverse().find((a) => path === a.pointer || path.startsWith(`${a.pointer}/`) || a.pointer.startsWith(`${path}/`));
    if (!cause) return { ...issue, item: item.id };
    const at = issueAt(model.object, cause.classPointer, { code: issue.code, message: '' });
    return {
      ...issue,
      message: `${issue.message} (set by patch "${cause.patch}")${formatInputs(cause.inputs)}`,
      location: at.location,
      related: [...(issue.location ? [issue.location] : []), ...(at.related ?? [])],
      patch: cause.patch,
      item: item.id,
    };
  });
}
