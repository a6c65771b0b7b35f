/**
 * A ClusterClass read into one shape for both API versions (v1beta1 `ref`, v1beta2 `templateRef`),
 * with the JSON path of every part, plus CAPI's patch selector semantics (patches/inline matchesSelector).
 */
import { identityOf, isJsonObject, toPointer, type JsonObject, type RenderedObject } from './types.js';

/** What a template is used for in the class; patch selectors and dry-run items use the same words. */
export type TemplateRole =
  | 'infrastructureCluster'
  | 'controlPlane'
  | 'controlPlaneMachineInfrastructure'
  | 'machineDeploymentBootstrap'
  | 'machineDeploymentInfrastructure'
  | 'machinePoolBootstrap'
  | 'machinePoolInfrastructure';

/** A template reference of the class. */
export interface ClassRef {
  role: TemplateRole;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** MachineDeployment/MachinePool class the ref belongs to. */
  workerClass?: string;
  /** JSON pointer of the ref inside the ClusterClass. */
  path: string;
}

/** A worker class (MachineDeployment or MachinePool). */
export interface WorkerClass {
  class: string;
  bootstrap?: ClassRef;
  infrastructure?: ClassRef;
  path: string;
}

/** The parts of a ClusterClass the checks and the dry-run need. */
export interface ClassModel {
  object: RenderedObject;
  apiVersion: string;
  name: string;
  namespace?: string;
  infrastructure?: ClassRef;
  controlPlane?: ClassRef;
  controlPlaneMachineInfrastructure?: ClassRef;
  machineDeployments: WorkerClass[];
  machinePools: WorkerClass[];
  /** Raw `spec.variables` entries. */
  variables: JsonObject[];
  /** Raw `spec.patches` entries. */
  patches: JsonObject[];
  /** Paths (inside the class) of the fields a ref was expected at but missing. */
  missingRefs: { role: TemplateRole; path: string }[];
}

function obj(v: unknown): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function readRef(holder: JsonObject | undefined, holderPath: (string | number)[], role: TemplateRole, model: ClassModel, workerClass?: string): ClassRef | undefined {
  const key = holder && holder.templateRef !== undefined ? 'templateRef' : 'ref';
  const ref = obj(holder?.[key]);
  const path = toPointer([...holderPath, key]);
  if (!ref) {
    model.missingRefs.push({ role, path });
    return undefined;
  }
  return { role, apiVersion: str(ref.apiVersion), kind: str(ref.kind), name: str(ref.name), namespace: str(ref.namespace), path, ...(workerClass !== undefined ? { workerClass } : {}) };
}

function readWorkers(list: unknown, base: (string | number)[], kind: 'machineDeployment' | 'machinePool', model: ClassModel): WorkerClass[] {
  if (!Array.isArray(list)) return [];
  return list.map((raw, i) => {
    const w = obj(raw) ?? {};
    const cls = str(w.class) ?? '';
    // v1beta1 nests bootstrap/infrastructure under `template`; v1beta2 has them directly.
    const nested = obj(w.template);
    const holderBase = nested ? [...base, i, 'template'] : [...base, i];
    const holder = nested ?? w;
    const role = (part: 'Bootstrap' | 'Infrastructure'): TemplateRole => `${kind}${part}` as TemplateRole;
    return {
      class: cls,
      bootstrap: readRef(obj(holder.bootstrap), [...holderBase, 'bootstrap'], role('Bootstrap'), model, cls),
      infrastructure: readRef(obj(holder.infrastructure), [...holderBase, 'infrastructure'], role('Infrastructure'), model, cls),
      path: toPointer([...base, i]),
    };
  });
}

/** Reads a ClusterClass object; missing parts are left out (and recorded in `missingRefs`). */
export function readClassModel(object: RenderedObject): ClassModel {
  const id = identityOf(object.doc);
  const spec = obj(object.doc.spec) ?? {};
  const model: ClassModel = {
    object,
    apiVersion: id.apiVersion ?? '',
    name: id.name ?? '',
    ...(id.namespace !== undefined ? { namespace: id.namespace } : {}),
    machineDeployments: [],
    machinePools: [],
    variables: Array.isArray(spec.variables) ? spec.variables.map((v) => obj(v) ?? {}) : [],
    patches: Array.isArray(spec.patches) ? spec.patches.map((p) => obj(p) ?? {}) : [],
    missingRefs: [],
  };
  model.infrastructure = readRef(obj(spec.infrastructure), ['spec', 'infrastructure'], 'infrastructureCluster', model);
  const cp = obj(spec.controlPlane);
  model.controlPlane = readRef(cp, ['spec', 'controlPlane'], 'controlPlane', model);
  const mi = obj(cp?.machineInfrastructure);
  if (mi) model.controlPlaneMachineInfrastructure = readRef(mi, ['spec', 'controlPlane', 'machineInfrastructure'], 'controlPlaneMachineInfrastructure', model);
  const workers = obj(spec.workers) ?? {};
  model.machineDeployments = readWorkers(workers.machineDeployments, ['spec', 'workers', 'machineDeployments'], 'machineDeployment', model);
  model.machinePools = readWorkers(workers.machinePools, ['spec', 'workers', 'machinePools'], 'machinePool', model);
  return model;
}

/** Every template ref of the class, in CAPI's item order. */
export function classRefs(model: ClassModel): ClassRef[] {
  const refs: (ClassRef | undefined)[] = [model.infrastructure, model.controlPlane, model.controlPlaneMachineInfrastructure];
  for (const w of [...model.machineDeployments, ...model.machinePools]) refs.push(w.bootstrap, w.infrastructure);
  return refs.filter((r): r is ClassRef => r !== undefined);
}

/** True when a worker class name matches a selector name (`*`, `prefix*`, `*suffix`, exact). */
export function classNameMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*') && name.endsWith(pattern.slice(1))) return true;
  if (pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1))) return true;
  return pattern === name;
}

/** CAPI's matchesSelector for a template used in `role` (and worker class) with the given apiVersion/kind. */
export function selectorMatches(selector: unknown, target: { apiVersion?: string; kind?: string; role: TemplateRole; workerClass?: string }): boolean {
  const sel = obj(selector);
  if (!sel || sel.apiVersion !== target.apiVersion || sel.kind !== target.kind) return false;
  const match = obj(sel.matchResources) ?? {};
  if (match.infrastructureCluster === true && target.role === 'infrastructureCluster') return true;
  if (match.controlPlane === true && (target.role === 'controlPlane' || target.role === 'controlPlaneMachineInfrastructure')) return true;
  const names = (key: string): string[] => {
    const n = obj(match[key])?.names;
    return Array.isArray(n) ? n.filter((x): x is string => typeof x === 'string') : [];
  };
  if (target.role === 'machineDeploymentBootstrap' || target.role === 'machineDeploymentInfrastructure') {
    return names('machineDeploymentClass').some((p) => classNameMatches(p, target.workerClass ?? ''));
  }
  if (target.role === 'machinePoolBootstrap' || target.role === 'machinePoolInfrastructure') {
    return names('machinePoolClass').some((p) => classNameMatches(p, target.workerClass ?? ''));
  }
  return false;
}
