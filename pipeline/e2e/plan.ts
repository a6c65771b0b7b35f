/**
 * Deciding an e2e run (pure): from the bundle under test and the seed Cluster, every step with its exact
 * command or API call, grouped into phases with their own time budgets, plus diagnostics and teardown.
 */
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { CSO_LOCAL_DIR, NODE_BUNDLE_DIR, PHASE_TIMEOUTS_MS, PINNED_VERSIONS } from './versions.js';
import type { BundleUnderTest, E2ePlan, E2eVersions, Phase, Step } from './types.js';

/** Input of planE2e: the bundle, the seed Cluster (stacks/cluster-example.yaml, parsed) and the options. */
export interface PlanE2eInput {
  bundle: BundleUnderTest;
  clusterExample: Record<string, unknown>;
  /** Folder for kubeconfigs, the kind config, diagnostics and reports (csp's own, e.g. .csp-e2e/<release>). */
  workDir: string;
  keep?: boolean;
  /** Add the optional CNCF conformance phase (sonobuoy --mode quick). */
  conformance?: boolean;
  versions?: E2eVersions;
  phaseTimeoutsMs?: Partial<Record<Phase['name'], number>>;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The e2e plan for one bundle (only the docker provider runs in CI today). */
export function planE2e(input: PlanE2eInput): E2ePlan {
  const { bundle, workDir } = input;
  if (bundle.provider !== 'docker') {
    throw new UserInputError('E2E_PROVIDER_UNSUPPORTED', `csp e2e runs the docker provider only; ${bundle.releaseName} is for ${bundle.provider}`, {
      details: 'Build the docker stack (stacks/docker/scs) and run csp e2e on that release folder.',
    });
  }
  const versions = input.versions ?? PINNED_VERSIONS;
  const cluster = clusterFromExample(input.clusterExample, bundle);
  const meta = cluster.metadata as { name: string; namespace: string };
  const clusterStack = clusterStackFor(bundle, meta.namespace);
  const managementName = `csp-e2e-${bundle.releaseName}`.slice(0, 50).replace(/[^a-z0-9-]/g, '-');
  const mgmt = path.join(workDir, 'management.kubeconfig');
  const timeout = (name: Phase['name']) => input.phaseTimeoutsMs?.[name] ?? PHASE_TIMEOUTS_MS[name];
  const providers = [
    '--core', `cluster-api:${versions.clusterApi}`,
    '--bootstrap', `kubeadm:${versions.clusterApi}`,
    '--control-plane', `kubeadm:${versions.clusterApi}`,
    '--infrastructure', `docker:${versions.capd}`,
  ];
  const api = (cluster: 'management' | 'workload', call: string) => ({ kind: 'api' as const, cluster, call });
  const csr = bundle.releaseName;
  const phases: Phase[] = [
    {
      name: 'management',
      timeoutMs: timeout('management'),
      steps: [
        step('kind-create', 'kind management cluster (pinned node image, bundle folder and docker socket mounted)', {
          kind: 'run', command: 'kind',
          args: ['create', 'cluster', '--name', managementName, '--image', versions.nodeImage, '--config', path.join(workDir, 'kind.yaml'), '--kubeconfig', mgmt, '--wait', '180s'],
        }),
        step('clusterctl-init', `clusterctl init: Cluster API ${versions.clusterApi} with CAPD ${versions.capd}`, {
          kind: 'run', command: 'clusterctl', args: ['init', '--kubeconfig', mgmt, ...providers, '--wait-providers'],
          env: { CLUSTER_TOPOLOGY: 'true', EXP_CLUSTER_RESOURCE_SET: 'true' },
        }),
        step('cso-install', `CSO ${versions.cso} in local mode, reading ${CSO_LOCAL_DIR}/${csr}`, api('management', `POST cso-infrastructure-components.yaml objects (Deployment cso-system/cso-controller-manager with --local=true and hostPath ${NODE_BUNDLE_DIR})`)),
        step('cso-ready', 'CSO controller available', api('management', 'WAIT apps/v1 Deployment cso-system/cso-controller-manager status.availableReplicas >= 1')),
      ],
    },
    {
      name: 'stack',
      timeoutMs: timeout('stack'),
      steps: [
        step('clusterstack-apply', 'ClusterStack for the bundle', api('management', `POST clusterstack.x-k8s.io/v1alpha1 ClusterStack ${meta.namespace}/${(clusterStack.metadata as Obj).name as string}`)),
        step('clusterstackrelease-ready', 'ClusterStackRelease ready', api('management', `WAIT clusterstack.x-k8s.io/v1alpha1 ClusterStackRelease ${meta.namespace}/${csr} status.ready == true`)),
      ],
    },
    {
      name: 'cluster',
      timeoutMs: timeout('cluster'),
      steps: [
        step('cluster-apply', 'Cluster from stacks/cluster-example.yaml', api('management', `POST cluster.x-k8s.io/v1beta1 Cluster ${meta.namespace}/${meta.name} (class ${csr}, version ${bundle.kubernetesVersion})`)),
        step('control-plane-ready', 'control plane ready', api('management', `WAIT cluster.x-k8s.io/v1beta1 Cluster ${meta.namespace}/${meta.name} status.infrastructureReady && status.controlPlaneReady`)),
        step('workload-kubeconfig', 'workload kubeconfig', api('management', `GET v1 Secret ${meta.namespace}/${meta.name}-kubeconfig data.value`)),
        step('nodes-ready', `${expectedNodes(cluster)} nodes Ready`, api('workload', `WAIT v1 Node (all) condition Ready=True, count ${expectedNodes(cluster)}`)),
        step('addons-ready', 'every ClusterAddon stage applied', api('management', `WAIT clusterstack.x-k8s.io/v1alpha1 ClusterAddon ${meta.namespace}/cluster-addon-${meta.name} status.ready == true`)),
      ],
    },
    {
      name: 'checks',
      timeoutMs: timeout('checks'),
      steps: [
        step('probes-apply', 'network probes: two pods on different nodes, a Service, a probe Job', api('workload', 'POST v1 Namespace csp-e2e; apps/v1 Deployment, v1 Service, batch/v1 Job csp-e2e/netcheck')),
        step('probes-ready', 'probe Job finished', api('workload', 'WAIT batch/v1 Job csp-e2e/netcheck status.succeeded >= 1 or status.failed >= 1')),
        step('checks-run', 'SCS checks over the API objects', api('workload', 'GET v1 Node, v1 Pod kube-system, storage.k8s.io/v1 StorageClass, apiregistration.k8s.io/v1 APIService v1beta1.metrics.k8s.io, v1 Service')),
      ],
    },
  ];
  const workload = path.join(workDir, 'workload.kubeconfig');
  if (input.conformance) {
    phases.push({
      name: 'conformance',
      timeoutMs: timeout('conformance'),
      steps: [step('sonobuoy-run', `CNCF conformance (sonobuoy ${versions.sonobuoy} --mode quick)`, {
        kind: 'run', command: 'sonobuoy', args: ['run', '--kubeconfig', workload, '--mode', 'quick', '--wait', '--wait-output', 'silent'],
      })],
    });
  }
  const diagnostics: Step[] = [
    step('diag-clusterctl-describe', 'clusterctl describe', {
      kind: 'run', command: 'clusterctl', args: ['describe', 'cluster', meta.name, '--namespace', meta.namespace, '--kubeconfig', mgmt, '--show-conditions', 'all'],
    }),
    step('diag-events', 'events of every namespace', api('management', 'LIST v1 Event (all namespaces)')),
    step('diag-controller-logs', 'controller logs', api('management', 'GET v1 Pod log for every pod in capi-system, capi-kubeadm-bootstrap-system, capi-kubeadm-control-plane-system, capd-system, cso-system')),
  ];
  const teardown: Step[] = [
    step('teardown-cluster-delete', 'delete the workload Cluster (CAPD removes its containers)', api('management', `DELETE cluster.x-k8s.io/v1beta1 Cluster ${meta.namespace}/${meta.name}, WAIT gone`)),
    step('teardown-kind-delete', 'delete the kind management cluster', { kind: 'run', command: 'kind', args: ['delete', 'cluster', '--name', managementName, '--kubeconfig', mgmt] }),
  ];
  return { bundle, provider: 'docker', clusterName: meta.name, namespace: meta.namespace, managementName, workDir, versions, cluster, clusterStack, phases, diagnostics, teardown, keep: input.keep ?? false };
}

function step(id: Step['id'], title: string, action: Step['action']): Step {
  return { id, title, action };
}

/** stacks/cluster-example.yaml with only the class (provider, stack name, release) and version changed. */
export function clusterFromExample(example: Obj, bundle: BundleUnderTest): Obj {
  const copy = structuredClone(example);
  const topology = isObj(copy.spec) && isObj(copy.spec.topology) ? copy.spec.topology : undefined;
  if (copy.kind !== 'Cluster' || !topology || !isObj(copy.metadata) || typeof copy.metadata.name !== 'string') {
    throw new UserInputError('E2E_CLUSTER_INVALID', 'the seed Cluster has no metadata.name or spec.topology', {
      details: 'Pass a Cluster with a managed topology (stacks/cluster-example.yaml) via --cluster.',
    });
  }
  copy.metadata.namespace ??= 'cluster';
  topology.class = bundle.releaseName;
  topology.version = bundle.kubernetesVersion;
  return copy;
}

/** The ClusterStack that makes CSO fetch exactly this release (no auto-subscribe, one version). */
export function clusterStackFor(bundle: BundleUnderTest, namespace: string): Obj {
  return {
    apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
    kind: 'ClusterStack',
    metadata: { name: `${bundle.provider}-${bundle.stackName}-${bundle.kubernetesMinor}`, namespace },
    spec: {
      provider: bundle.provider,
      name: bundle.stackName,
      kubernetesVersion: bundle.kubernetesMinor.replace('-', '.'),
      channel: /^v\d+$/.test(bundle.clusterStackVersion) ? 'stable' : 'custom',
      autoSubscribe: false,
      noProvider: true,
      versions: [bundle.clusterStackVersion],
    },
  };
}

/** Control-plane replicas plus every machine deployment's replicas (1 each when unset). */
export function expectedNodes(cluster: Obj): number {
  const topology = (cluster.spec as Obj).topology as { controlPlane?: { replicas?: number }; workers?: { machineDeployments?: { replicas?: number }[] } };
  const workers = (topology.workers?.machineDeployments ?? []).reduce((n, md) => n + (md.replicas ?? 1), 0);
  return (topology.controlPlane?.replicas ?? 1) + workers;
}

/** The kind config: the bundle folder and the docker socket (for CAPD) mounted into the management node. */
export function kindConfig(bundle: BundleUnderTest): string {
  return [
    'kind: Cluster',
    'apiVersion: kind.x-k8s.io/v1alpha4',
    'networking:',
    '  ipFamily: ipv4',
    'nodes:',
    '  - role: control-plane',
    '    extraMounts:',
    '      - hostPath: /var/run/docker.sock',
    '        containerPath: /var/run/docker.sock',
    `      - hostPath: ${JSON.stringify(path.resolve(bundle.releaseDir))}`,
    `        containerPath: ${NODE_BUNDLE_DIR}/${bundle.releaseName}`,
    '        readOnly: true',
    '',
  ].join('\n');
}
