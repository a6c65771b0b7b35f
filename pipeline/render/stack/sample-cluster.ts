/**
 * The Cluster CSO's values templating reads (layer 3). Without a real one, csp renders addons against a
 * deterministic sample Cluster of the target's ClusterClass, with ControlPlane and InfraCluster objects
 * shaped like the provider's (the fields SCS overwrite.yaml files use are set).
 */
import type { CsoTemplateData } from '../csctl/index.js';

export interface SampleClusterInput {
  provider: string;
  clusterClassName: string;
  /** Kubernetes version without 'v'. */
  kubernetesVersion: string;
  namespace: string;
}

const INFRA: Record<string, { apiVersion: string; kind: string; spec: Record<string, unknown> }> = {
  docker: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DockerCluster', spec: {} },
  openstack: {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'OpenStackCluster',
    spec: { identityRef: { cloudName: 'openstack', name: 'openstack' }, externalNetwork: { id: '00000000-0000-0000-0000-000000000000' } },
  },
  hcloud: {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'HetznerCluster',
    spec: { controlPlaneRegions: ['fsn1'], hcloudNetwork: { enabled: true }, hetznerSecretRef: { name: 'hetzner', key: { hcloudToken: 'hcloud' } } },
  },
};

/** A Cluster named `csp-render` (with its ControlPlane and InfraCluster) for the given class and version. */
export function sampleCluster(input: SampleClusterInput): CsoTemplateData {
  const name = 'csp-render';
  const endpoint = { host: `${name}.example.invalid`, port: 6443 };
  const infra = INFRA[input.provider] ?? { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: `${input.provider}Cluster`, spec: {} };
  const infraCluster = {
    apiVersion: infra.apiVersion,
    kind: infra.kind,
    metadata: { name: `${name}-infra`, namespace: input.namespace, labels: { 'cluster.x-k8s.io/cluster-name': name } },
    spec: { ...infra.spec, controlPlaneEndpoint: endpoint },
  };
  const controlPlane = {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
    kind: 'KubeadmControlPlane',
    metadata: { name: `${name}-control-plane`, namespace: input.namespace, labels: { 'cluster.x-k8s.io/cluster-name': name } },
    spec: { replicas: 1, version: `v${input.kubernetesVersion}` },
  };
  const cluster = {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { name, namespace: input.namespace, labels: { 'cluster.x-k8s.io/cluster-name': name } },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['10.244.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] }, serviceDomain: 'cluster.local' },
      controlPlaneEndpoint: endpoint,
      controlPlaneRef: { apiVersion: controlPlane.apiVersion, kind: controlPlane.kind, name: controlPlane.metadata.name, namespace: input.namespace },
      infrastructureRef: { apiVersion: infraCluster.apiVersion, kind: infraCluster.kind, name: infraCluster.metadata.name, namespace: input.namespace },
      topology: { class: input.clusterClassName, version: `v${input.kubernetesVersion}` },
    },
  };
  return { cluster, controlPlane, infraCluster };
}

/**
 * Picks CSO's objects out of user-supplied documents: the first `Cluster`, and the objects its
 * `controlPlaneRef` / `infrastructureRef` name (by kind and name), when present.
 */
export function clusterFromDocuments(docs: Record<string, unknown>[]): CsoTemplateData | undefined {
  const cluster = docs.find((d) => d.kind === 'Cluster');
  if (!cluster) return undefined;
  const spec = (cluster.spec ?? {}) as Record<string, { kind?: string; name?: string } | undefined>;
  const byRef = (ref: { kind?: string; name?: string } | undefined) =>
    ref ? docs.find((d) => d.kind === ref.kind && (d.metadata as { name?: string } | undefined)?.name === ref.name) : undefined;
  const out: CsoTemplateData = { cluster };
  const controlPlane = byRef(spec.controlPlaneRef);
  const infraCluster = byRef(spec.infrastructureRef);
  if (controlPlane) out.controlPlane = controlPlane;
  if (infraCluster) out.infraCluster = infraCluster;
  return out;
}
