/**
 * The Cluster side of the topology dry-run: reading a Cluster's topology (or generating one from the
 * class's variable defaults and examples), and resolving its variables as CAPI does (§5.2).
 */
import type { ClassModel } from './class-model.js';
import { issueAt } from './locate-rendered.js';
import { errorPath, type ValidationIssue } from './validate-objects.js';
import { isJsonObject, type JsonObject, type RenderedObject } from './types.js';
import { applyDefaults, checkVariableValue, defaultValueOf } from './variables.js';

/** A topology MachineDeployment of the Cluster. */
export interface TopologyMachineDeployment {
  class: string;
  name: string;
  replicas?: number;
  /** Index in spec.topology.workers.machineDeployments (for locations). */
  index: number;
  /** Variable values after overrides and defaulting. */
  variables: JsonObject;
}

/** What the dry-run reads from a Cluster. */
export interface ClusterTopology {
  object: RenderedObject;
  name: string;
  namespace: string;
  className: string;
  version: string;
  controlPlaneReplicas?: number;
  clusterNetwork?: JsonObject;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Cluster-level variable values after defaulting (name → value). */
  variables: JsonObject;
  machineDeployments: TopologyMachineDeployment[];
}

function obj(v: unknown): JsonObject {
  return isJsonObject(v) ? v : {};
}

function strMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** A value that satisfies a schema well enough to exercise patches: example, default, enum, else by type. */
export function sampleValue(schema: unknown): unknown {
  const s = obj(schema);
  if (s.example !== undefined) return structuredClone(s.example);
  if (s.default !== undefined) return structuredClone(s.default);
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'object': {
      const out: JsonObject = {};
      const props = obj(s.properties);
      for (const r of Array.isArray(s.required) ? s.required : []) if (typeof r === 'string') out[r] = sampleValue(props[r]);
      return out;
    }
    case 'array':
      return Array.from({ length: typeof s.minItems === 'number' ? s.minItems : 0 }, () => sampleValue(s.items));
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    default:
      return typeof s.minLength === 'number' ? 'x'.repeat(Math.max(1, s.minLength)) : 'x';
  }
}

/**
 * A Cluster for the class: one MachineDeployment per worker class, and every variable that is
 * required or has an example set (examples exercise more patches than defaults alone).
 */
export function generateCluster(model: ClassModel, kubernetesVersion: string): JsonObject {
  const variables: JsonObject[] = [];
  for (const v of model.variables) {
    const schema = isJsonObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (typeof v.name !== 'string' || !isJsonObject(schema)) continue;
    if (schema.example !== undefined || (v.required === true && schema.default === undefined)) variables.push({ name: v.name, value: sampleValue(schema) });
  }
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { name: 'dry-run', namespace: model.namespace ?? 'default' },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] }, serviceDomain: 'cluster.local' },
      topology: {
        class: model.name,
        version: kubernetesVersion.startsWith('v') ? kubernetesVersion : `v${kubernetesVersion}`,
        controlPlane: { replicas: 1 },
        workers: { machineDeployments: model.machineDeployments.map((md, i) => ({ class: md.class, name: `md-${i}`, replicas: 1 })) },
        variables,
      },
    },
  };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Resolves one list of `{name, value}` entries against the definitions (defaults applied, values validated). */
function resolveList(
  list: unknown,
  listPointer: string,
  cluster: RenderedObject,
  model: ClassModel,
  definitions: Map<string, unknown>,
  out: ValidationIssue[],
  topLevelDefaults: boolean,
): JsonObject {
  const values: JsonObject = {};
  const entries = Array.isArray(list) ? list : [];
  entries.forEach((raw, i) => {
    const entry = obj(raw);
    const name = typeof entry.name === 'string' ? entry.name : '';
    const at = `${listPointer}/${i}`;
    if (!definitions.has(name)) {
      out.push(issueAt(cluster, `${at}/name`, { code: 'CLUSTER_VARIABLE_UNDEFINED', message: `Cluster sets variable "${name}", which ClusterClass ${model.name} does not define`, hint: `Defined: ${[...definitions.keys()].join(', ')}.` }));
      return;
    }
    const schema = definitions.get(name);
    const value = applyDefaults(entry.value, schema);
    for (const e of checkVariableValue(schema, value)) {
      out.push(issueAt(cluster, `${at}/value${errorPath(e)}`, { code: 'CLUSTER_VARIABLE_INVALID', message: `variable "${name}" = ${describe(value)}: ${errorPath(e) || '/'} ${e.message ?? 'is invalid'}`, hint: `See the schema of "${name}" in ClusterClass ${model.name}.` }));
    }
    values[name] = value;
  });
  if (!topLevelDefaults) return values;
  model.variables.forEach((v, i) => {
    const name = typeof v.name === 'string' ? v.name : '';
    if (!definitions.has(name) || Object.hasOwn(values, name)) return;
    const def = defaultValueOf(definitions.get(name));
    if (def.has) values[name] = def.value;
    else if (v.required === true) {
      out.push(issueAt(cluster, listPointer, { code: 'CLUSTER_VARIABLE_REQUIRED', message: `required variable "${name}" is not set and has no default`, hint: `Set it in spec.topology.variables (ClusterClass ${model.name} /spec/variables/${i}).` }));
    }
  });
  return values;
}

/** Reads the Cluster's topology and resolves every variable; problems are positioned in the Cluster file. */
export function readTopology(cluster: RenderedObject, model: ClassModel, definitions: Map<string, unknown>): { topology?: ClusterTopology; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const doc = cluster.doc;
  const meta = obj(doc.metadata);
  const spec = obj(doc.spec);
  const topo = obj(spec.topology);
  if (doc.kind !== 'Cluster' || !isJsonObject(spec.topology)) {
    issues.push(issueAt(cluster, '/spec/topology', { code: 'CLUSTER_NO_TOPOLOGY', message: 'the Cluster file must hold a Cluster with spec.topology', hint: 'See stacks/cluster-example.yaml.' }));
    return { issues };
  }
  // v1beta1 `topology.class`, v1beta2 `topology.classRef.name`.
  const className = typeof topo.class === 'string' ? topo.class : typeof obj(topo.classRef).name === 'string' ? String(obj(topo.classRef).name) : '';
  if (className !== model.name) {
    issues.push(issueAt(cluster, '/spec/topology/class', { code: 'CLUSTER_CLASS_MISMATCH', message: `Cluster uses class "${className}", the stack renders ClusterClass "${model.name}"` }));
  }
  const variables = resolveList(topo.variables, '/spec/topology/variables', cluster, model, definitions, issues, true);
  const mds = Array.isArray(obj(topo.workers).machineDeployments) ? (obj(topo.workers).machineDeployments as unknown[]) : [];
  const machineDeployments = mds.map((raw, index): TopologyMachineDeployment => {
    const md = obj(raw);
    const cls = typeof md.class === 'string' ? md.class : '';
    if (!model.machineDeployments.some((w) => w.class === cls)) {
      issues.push(issueAt(cluster, `/spec/topology/workers/machineDeployments/${index}/class`, { code: 'CLUSTER_MD_CLASS_UNKNOWN', message: `MachineDeployment class "${cls}" is not defined in ClusterClass ${model.name}` }));
    }
    const overrides = resolveList(obj(md.variables).overrides, `/spec/topology/workers/machineDeployments/${index}/variables/overrides`, cluster, model, definitions, issues, false);
    return { class: cls, name: typeof md.name === 'string' ? md.name : `md-${index}`, ...(typeof md.replicas === 'number' ? { replicas: md.replicas } : {}), index, variables: { ...variables, ...overrides } };
  });
  const cp = obj(topo.controlPlane);
  return {
    issues,
    topology: {
      object: cluster,
      name: typeof meta.name === 'string' ? meta.name : 'cluster',
      namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default',
      className,
      version: typeof topo.version === 'string' ? topo.version : '',
      ...(typeof cp.replicas === 'number' ? { controlPlaneReplicas: cp.replicas } : {}),
      ...(isJsonObject(spec.clusterNetwork) ? { clusterNetwork: spec.clusterNetwork } : {}),
      labels: strMap(meta.labels),
      annotations: strMap(meta.annotations),
      variables,
      machineDeployments,
    },
  };
}
