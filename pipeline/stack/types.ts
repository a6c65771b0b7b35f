/**
 * The stack model: what `loadStack` returns and every later stage reads. Plain JSON-serialisable data;
 * `locations` maps "file#/json/pointer" to positions so rules can name file:line:col without the YAML.
 */
import type { Location } from '../core/errors.js';

/** stack.yaml as typed data (schemas/stack.schema.json is the source of truth). */
export interface StackConfig {
  apiVersion: 'csp.scs.community/v1alpha1';
  kind: 'Stack';
  description?: string;
  provider: {
    name: string;
    capabilities: { nestedVirtualization: boolean; loadBalancers: string[]; volumeTypes: string[]; kms?: boolean };
  };
  nodeImage: {
    /** images/<recipe>/ folder csp builds the node image from (csp images). */
    recipe?: string;
    /** Recipe target for this provider (default: the first that lists it). */
    target?: string;
    os: { name: 'ubuntu' | 'debian' | 'flatcar' | 'talos' | 'kindest'; version: string };
    kernel: { minimum: string };
    cgroup: { version: 'v1' | 'v2'; driver: 'systemd' | 'cgroupfs' };
    cri: { name: 'containerd' | 'cri-o'; version: string };
    ociRuntime: { name: 'runc' | 'crun' | 'kata' | 'gvisor'; version?: string };
    ebpf: boolean;
    kubelet?: string;
  };
  clusterState: {
    bootstrap: 'kubeadm' | 'talos';
    kubernetes?: string;
    auditLogs: { enabled: boolean; maxAgeDays?: number; maxBackups?: number; maxSizeMB?: number };
    etcdEncryption: { enabled: boolean; provider?: 'aescbc' | 'aesgcm' | 'secretbox' | 'kms' };
    oidc: { configurable: boolean; variable?: string };
    admissionPlugins: string[];
    kubeletServingCerts: { csrSigning: boolean };
  };
  kubernetesCore: {
    cni: { name: 'cilium' | 'calico' | 'flannel'; addon: string; kubeProxyReplacement?: boolean; mode?: string };
    kubeProxy: boolean;
    ccm: { name: string; addon: string } | null;
    csi: { name: string; addon: string; volumeTypes?: string[] } | null;
    metricsServer: { addon: string } | null;
    konnectivity: { enabled: boolean };
  };
  /** What `csp upstream` may move and how (schemas/stack.schema.json `$defs/upstream`). */
  upstream?: UpstreamConfig;
  standard?: {
    /** The standard ClusterClass variable interface, by variable name (checked by `csp validate --standard`). */
    variables?: Record<string, StandardVariable>;
    storageClasses?: { name: string; default?: boolean; volumeType?: string }[];
    loadBalancerAnnotations?: Record<string, string>;
  };
}

/** stack.yaml `upstream`: the update policy `csp upstream` follows (docs/upstream.md). */
export interface UpstreamConfig {
  minimumReleaseAge?: string;
  kubernetes?: { newMinors?: 'propose' | 'ignore'; endOfLife?: Record<string, string> };
  charts?: Record<string, { range?: string; followKubernetesMinor?: boolean; oci?: string }>;
  nodeImage?: { source: 'osism' | 'kindest' | 'none'; repository?: string };
  ignore?: string[];
  releases?: { name: string; repo: string; current: string }[];
}

/** A type signature in stack.yaml `standard.variables`: the part of a JSON Schema every provider must accept. */
export interface StandardType {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  description?: string;
  /** Fields every provider's object schema defines (type object). */
  properties?: Record<string, StandardType>;
  /** Element type (type array). */
  items?: StandardType;
}

/** One standard variable; `required` (default false) says whether Clusters must set it. */
export interface StandardVariable extends StandardType {
  required?: boolean;
}

/** One Chart.yaml dependency, with what csp knows about the chart it resolves to. */
export interface ChartDependency {
  name: string;
  alias?: string;
  version?: string;
  repository?: string;
  condition?: string;
  /** Archive digest (`sha256:<hex>`) pinned for this dependency in Chart.lock, if the lock pins one. */
  lockedDigest?: string;
  /** Where the chart archive or folder was found (vendored charts/ or the chart cache), if anywhere. */
  resolved?: { path: string; source: 'vendored' | 'cache'; version: string; kubeVersion?: string; appVersion?: string };
  /** Position of this entry in Chart.yaml. */
  location: Location;
}

/** A chart folder inside the stack (the cluster-class chart or one cluster-addon chart). */
export interface ChartInfo {
  /** Folder relative to the stack root, '/'-separated. */
  path: string;
  name: string;
  version: string;
  apiVersion: string;
  kubeVersion?: string;
  appVersion?: string;
  dependencies: ChartDependency[];
  /** values.yaml as plain data ({} when absent). */
  values: Record<string, unknown>;
  /** Template files relative to the chart folder. */
  templates: string[];
}

/** One cluster-addon chart: a folder under cluster-addon/ (new convention) or the umbrella chart (old). */
export interface AddonChart extends ChartInfo {
  /** Folder name = CSO stage name (new convention). */
  addon: string;
  /** overwrite.yaml `values` string, if present (CSO templating, layer 3). */
  overwrite?: string;
}

/** One build target: a Kubernetes version with the chart versions versions.yaml pins for it. */
export interface KubernetesTarget {
  /** Full version without 'v', e.g. 1.32.5. */
  version: string;
  major: number;
  minor: number;
  /** Chart name (dependency name) → version for this Kubernetes version. */
  charts: Record<string, string>;
  location: Location;
}

export interface AddonStage {
  name: string;
  action: 'apply' | 'delete';
  hook: 'AfterControlPlaneInitialized' | 'BeforeClusterUpgrade';
  location: Location;
}

/** A loaded cluster stack. */
export interface Stack {
  /** Absolute folder. */
  dir: string;
  /** Folder as shown to the user (relative to the working directory when inside it). */
  displayDir: string;
  provider: string;
  name: string;
  /** csctl.yaml config.kubernetesVersion without 'v'. */
  kubernetesVersion: string;
  /** All build targets (versions.yaml, else csctl.yaml's single version). */
  targets: KubernetesTarget[];
  config?: StackConfig;
  clusterClass: ChartInfo;
  /** 'new': clusteraddon.yaml + one chart per folder; 'old': one umbrella chart in cluster-addon/. */
  addonConvention: 'new' | 'old';
  addons: AddonChart[];
  stages: AddonStage[];
  /** Old-convention (or SCS docker) cluster-addon-values.yaml `values` string. */
  addonValues?: string;
  /** Every file of the stack, relative, '/'-separated, byte-order sorted. */
  files: string[];
  /** "file#/pointer" → position, for files a person wrote. */
  locations: Record<string, Location>;
}
