/**
 * CAPI's builtin patch variables (rendering-and-capi.md §5.3, exp/runtime/hooks/api/v1alpha1
 * topologymutation_variable_types.go): which paths exist, and their values for a dry-run, with
 * deterministic placeholders where CAPI generates random name suffixes.
 */
import { isJsonObject, type JsonObject } from './types.js';

type Leaf = 'scalar' | 'map' | 'list';
interface Tree {
  [key: string]: Tree | Leaf;
}

const META: Tree = { labels: 'map', annotations: 'map' };

/** Every builtin path (under `builtin.`), v1beta1 plus the v1beta2 additions. */
export const BUILTIN_TREE: Tree = {
  cluster: {
    name: 'scalar',
    namespace: 'scalar',
    uid: 'scalar',
    metadata: META,
    topology: { version: 'scalar', class: 'scalar', classNamespace: 'scalar', classRef: { name: 'scalar', namespace: 'scalar' } },
    network: { serviceDomain: 'scalar', services: 'list', pods: 'list', ipFamily: 'scalar' },
  },
  controlPlane: {
    version: 'scalar',
    name: 'scalar',
    replicas: 'scalar',
    metadata: META,
    machineTemplate: { infrastructureRef: { name: 'scalar' } },
  },
  machineDeployment: {
    version: 'scalar',
    class: 'scalar',
    name: 'scalar',
    topologyName: 'scalar',
    replicas: 'scalar',
    metadata: META,
    bootstrap: { configRef: { name: 'scalar' } },
    infrastructureRef: { name: 'scalar' },
  },
  machinePool: {
    version: 'scalar',
    class: 'scalar',
    name: 'scalar',
    topologyName: 'scalar',
    replicas: 'scalar',
    metadata: META,
    bootstrap: { configRef: { name: 'scalar' } },
    infrastructureMachinePoolRef: { name: 'scalar' },
  },
};

/** Dotted list of all builtin leaf paths, for messages and docs. */
export function builtinPaths(tree: Tree = BUILTIN_TREE, prefix = 'builtin'): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}.${k}`] : builtinPaths(v, `${prefix}.${k}`)));
}

/** True when `segments` (after `builtin`) name a builtin, a part of one, or a key/index below a map/list builtin. */
export function isBuiltinPath(segments: readonly string[]): boolean {
  let node: Tree | Leaf = BUILTIN_TREE;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (node === 'map') return i === segments.length - 1;
    if (node === 'list') return /^\d+$/.test(segment) && i === segments.length - 1;
    if (node === 'scalar') return false;
    const next: Tree | Leaf | undefined = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (next === undefined) return false;
    node = next;
  }
  return true;
}

/** What a dry-run knows about the Cluster for the `builtin.cluster` variables. */
export interface ClusterFacts {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  version: string;
  className: string;
  classNamespace: string;
  clusterNetwork?: JsonObject;
}

/** Placeholder for CAPI's random 5-character name suffix. */
export const RANDOM_SUFFIX = 'xxxxx';

/** Fixed uid used for the dry-run Cluster. */
export const DRY_RUN_UID = '00000000-0000-4000-8000-000000000000';

/** `builtin.cluster` for a Cluster. */
export function clusterBuiltin(facts: ClusterFacts): JsonObject {
  const cluster: JsonObject = {
    name: facts.name,
    namespace: facts.namespace,
    uid: DRY_RUN_UID,
    metadata: { labels: facts.labels, annotations: facts.annotations },
    topology: { version: facts.version, class: facts.className, classNamespace: facts.classNamespace },
  };
  const net = facts.clusterNetwork;
  if (net) {
    const network: JsonObject = {};
    if (typeof net.serviceDomain === 'string') network.serviceDomain = net.serviceDomain;
    const blocks = (key: string): unknown => (isJsonObject(net[key]) ? (net[key] as JsonObject).cidrBlocks : undefined);
    if (Array.isArray(blocks('services'))) network.services = blocks('services');
    if (Array.isArray(blocks('pods'))) network.pods = blocks('pods');
    cluster.network = network;
  }
  return cluster;
}

/** `builtin.controlPlane` for the control-plane items (name and machine template name are placeholders). */
export function controlPlaneBuiltin(facts: ClusterFacts, replicas: number | undefined, withMachineInfra: boolean): JsonObject {
  const name = `${facts.name}-${RANDOM_SUFFIX}`;
  const out: JsonObject = { version: facts.version, name, metadata: { labels: {}, annotations: {} } };
  if (replicas !== undefined) out.replicas = replicas;
  if (withMachineInfra) out.machineTemplate = { infrastructureRef: { name: `${name}-${RANDOM_SUFFIX}` } };
  return out;
}

/** `builtin.machineDeployment` for one topology MachineDeployment. */
export function machineDeploymentBuiltin(facts: ClusterFacts, md: { class: string; name: string; replicas?: number }): JsonObject {
  const name = `${facts.name}-${md.name}-${RANDOM_SUFFIX}`;
  const out: JsonObject = {
    version: facts.version,
    class: md.class,
    name,
    topologyName: md.name,
    metadata: { labels: {}, annotations: {} },
    bootstrap: { configRef: { name: `${name}-${RANDOM_SUFFIX}` } },
    infrastructureRef: { name: `${name}-${RANDOM_SUFFIX}` },
  };
  if (md.replicas !== undefined) out.replicas = md.replicas;
  return out;
}
