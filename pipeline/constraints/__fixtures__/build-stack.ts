/** Test helper: builds small in-memory Stack objects with a location for every node, as loadStack would record them. */
import type { Location } from '../../core/errors.js';
import type { AddonChart, ChartDependency, KubernetesTarget, Stack, StackConfig } from '../../stack/index.js';
import { SCS_CHART_ALIASES } from '../../stack/index.js';

/** Display folder of every built stack. */
export const DIR = 'stacks/docker/test';

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** A stack.yaml patch merged over the default (docker, Cilium with kube-proxy, kernel 5.15, cgroup v2). */
export type ConfigPatch = DeepPartial<StackConfig>;

/** A Chart.yaml dependency of a built addon chart (resolved as a vendored archive unless `unresolved`). */
export interface DepSpec {
  name: string;
  alias?: string;
  version?: string;
  /** kubeVersion of the resolved chart. */
  kubeVersion?: string;
  unresolved?: boolean;
}

/** One built cluster-addon chart (new convention: cluster-addon/<addon>/; old: the umbrella). */
export interface AddonSpec {
  addon: string;
  kubeVersion?: string;
  deps?: DepSpec[];
  values?: Record<string, unknown>;
  overwrite?: string;
}

/** Everything buildStack varies; all fields default to a clean docker stack. */
export interface StackSpec {
  /** Patch over the default stack.yaml, or 'absent' for a stack without one. */
  config?: ConfigPatch | 'absent';
  addons?: AddonSpec[];
  convention?: 'new' | 'old';
  /** Addon folders applied in clusteraddon.yaml (default: all). */
  stages?: string[];
  /** versions.yaml entries: Kubernetes version plus pins keyed as written in versions.yaml; 'csctl' for no versions.yaml. */
  targets?: { kubernetes: string; [key: string]: string }[] | 'csctl';
  clusterClassKubeVersion?: string;
  /** Old-convention cluster-addon-values.yaml `values` string. */
  addonValues?: string;
}

/** The default stack.yaml: what the minimal docker stack declares. */
export const DEFAULT_CONFIG: StackConfig = {
  apiVersion: 'csp.scs.community/v1alpha1',
  kind: 'Stack',
  provider: { name: 'docker', capabilities: { nestedVirtualization: false, loadBalancers: [], volumeTypes: [] } },
  nodeImage: {
    os: { name: 'kindest', version: 'v1.32.5' },
    kernel: { minimum: '5.15' },
    cgroup: { version: 'v2', driver: 'systemd' },
    cri: { name: 'containerd', version: '1.7.24' },
    ociRuntime: { name: 'runc' },
    ebpf: true,
  },
  clusterState: {
    bootstrap: 'kubeadm',
    auditLogs: { enabled: false },
    etcdEncryption: { enabled: false },
    oidc: { configurable: false },
    admissionPlugins: ['NodeRestriction'],
    kubeletServingCerts: { csrSigning: false },
  },
  kubernetesCore: {
    cni: { name: 'cilium', addon: 'cni', kubeProxyReplacement: false },
    kubeProxy: true,
    ccm: null,
    csi: null,
    metricsServer: { addon: 'metrics-server' },
    konnectivity: { enabled: false },
  },
};

/** The default addons: cni (cilium 1.17.4) and metrics-server (3.12.2 with --kubelet-insecure-tls). */
export const DEFAULT_ADDONS: AddonSpec[] = [
  { addon: 'cni', deps: [{ name: 'cilium', alias: 'cilium', version: '1.17.4', kubeVersion: '>= 1.21.0-0' }] },
  {
    addon: 'metrics-server',
    deps: [{ name: 'metrics-server', alias: 'metrics-server', version: '3.12.2' }],
    values: { 'metrics-server': { args: ['--kubelet-insecure-tls'] } },
  },
];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge: objects merge, everything else (arrays, null, scalars) replaces. */
export function merge<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out as T;
}

function record(file: string, value: unknown, into: Record<string, Location>): void {
  let line = 1;
  const visit = (node: unknown, pointer: string, column: number): void => {
    into[`${file}#${pointer}`] = { file, line, column };
    if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        line++;
        const child = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        into[`${file}#${child}@key`] = { file, line, column: column + 2 };
        visit(v, child, column + 2);
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        line++;
        visit(item, `${pointer}/${i}`, column + 2);
      });
    }
  };
  into[`${file}#`] = { file, line: 1, column: 1 };
  visit(value, '', 1);
}

function buildAddon(spec: AddonSpec, path: string, locations: Record<string, Location>): AddonChart {
  const chartFile = `${DIR}/${path}/Chart.yaml`;
  const deps = spec.deps ?? [];
  const chartYaml: Record<string, unknown> = { apiVersion: 'v2', name: spec.addon, version: 'v1' };
  if (spec.kubeVersion !== undefined) chartYaml.kubeVersion = spec.kubeVersion;
  if (deps.length) chartYaml.dependencies = deps.map((d) => ({ name: d.name, alias: d.alias, version: d.version }));
  record(chartFile, chartYaml, locations);
  if (spec.values) record(`${DIR}/${path}/values.yaml`, spec.values, locations);
  const dependencies: ChartDependency[] = deps.map((d, i) => ({
    name: d.name,
    alias: d.alias,
    version: d.version,
    location: locations[`${chartFile}#/dependencies/${i}`] ?? { file: chartFile },
    resolved: d.unresolved || d.version === undefined
      ? undefined
      : { path: `${path}/charts/${d.name}-${d.version}.tgz`, source: 'vendored', version: d.version, kubeVersion: d.kubeVersion },
  }));
  return { path, name: spec.addon, version: 'v1', apiVersion: 'v2', kubeVersion: spec.kubeVersion, dependencies, values: spec.values ?? {}, templates: [], addon: spec.addon, overwrite: spec.overwrite };
}

function chartNameOf(key: string, addons: AddonChart[]): string | undefined {
  for (const addon of addons) {
    for (const dep of addon.dependencies) {
      if (key === dep.name || key === dep.alias || (key === addon.addon && addon.dependencies.length === 1)) return dep.name;
    }
  }
  return SCS_CHART_ALIASES[key];
}

/** Builds a Stack from a compact spec; every file a person writes gets locations. */
export function buildStack(spec: StackSpec = {}): Stack {
  const locations: Record<string, Location> = {};
  const config = spec.config === 'absent' ? undefined : merge(DEFAULT_CONFIG, spec.config ?? {});
  if (config) record(`${DIR}/stack.yaml`, config, locations);
  const csctl = { apiVersion: 'csctl.clusterstack.x-k8s.io/v1alpha1', config: { kubernetesVersion: 'v1.32.5', clusterStackName: 'test', provider: { type: 'docker' } } };
  record(`${DIR}/csctl.yaml`, csctl, locations);
  const convention = spec.convention ?? 'new';
  if (spec.addonValues !== undefined) record(`${DIR}/cluster-addon-values.yaml`, { values: spec.addonValues }, locations);
  const addonSpecs = spec.addons ?? DEFAULT_ADDONS;
  const addons = addonSpecs.map((a) => buildAddon(a, convention === 'new' ? `cluster-addon/${a.addon}` : 'cluster-addon', locations));
  const stageNames = spec.stages ?? addons.map((a) => a.addon);
  const stagesDoc = { addonStages: { AfterControlPlaneInitialized: stageNames.map((name) => ({ name, action: 'apply' })) } };
  if (convention === 'new') record(`${DIR}/clusteraddon.yaml`, stagesDoc, locations);
  const stages = convention === 'new'
    ? stageNames.map((name, i) => ({ name, action: 'apply' as const, hook: 'AfterControlPlaneInitialized' as const, location: locations[`${DIR}/clusteraddon.yaml#/addonStages/AfterControlPlaneInitialized/${i}/name`] ?? { file: `${DIR}/clusteraddon.yaml` } }))
    : [];

  const entries = spec.targets ?? [{ kubernetes: '1.31.9' }, { kubernetes: '1.32.5' }];
  let targets: KubernetesTarget[];
  if (entries === 'csctl') {
    targets = [{ version: '1.32.5', major: 1, minor: 32, charts: {}, location: locations[`${DIR}/csctl.yaml#/config/kubernetesVersion`] ?? { file: `${DIR}/csctl.yaml` } }];
  } else {
    record(`${DIR}/versions.yaml`, entries, locations);
    targets = entries.map((entry, i) => {
      const charts: Record<string, string> = {};
      for (const [key, value] of Object.entries(entry)) {
        const name = key === 'kubernetes' ? undefined : chartNameOf(key, addons);
        if (name) charts[name] = value;
      }
      const [major, minor] = entry.kubernetes.split('.').map(Number);
      return { version: entry.kubernetes, major: major ?? 0, minor: minor ?? 0, charts, location: locations[`${DIR}/versions.yaml#/${i}/kubernetes`] ?? { file: `${DIR}/versions.yaml` } };
    });
  }
  const clusterClassFile = `${DIR}/cluster-class/Chart.yaml`;
  const clusterClassYaml: Record<string, unknown> = { apiVersion: 'v2', name: 'test-cluster-class', version: 'v1' };
  if (spec.clusterClassKubeVersion !== undefined) clusterClassYaml.kubeVersion = spec.clusterClassKubeVersion;
  record(clusterClassFile, clusterClassYaml, locations);
  return {
    dir: `/abs/${DIR}`,
    displayDir: DIR,
    provider: config?.provider.name ?? 'docker',
    name: 'test',
    kubernetesVersion: '1.32.5',
    targets,
    config,
    clusterClass: { path: 'cluster-class', name: 'test-cluster-class', version: 'v1', apiVersion: 'v2', kubeVersion: spec.clusterClassKubeVersion, dependencies: [], values: {}, templates: [] },
    addonConvention: convention,
    addons,
    stages,
    addonValues: spec.addonValues,
    files: [],
    locations,
  };
}

/** The exact recorded location of `pointer` in stack file `rel` (throws when none was recorded); no pointer: the file. */
export function at(stack: Stack, rel: string, pointer?: string): Location {
  const file = `${stack.displayDir}/${rel}`;
  if (pointer === undefined) return { file };
  const hit = stack.locations[`${file}#${pointer}`];
  if (!hit) throw new Error(`no location recorded for ${file}#${pointer}`);
  return hit;
}
