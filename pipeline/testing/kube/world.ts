/**
 * A management and a workload cluster as two fake API servers, with controllers played on create: CSO makes the
 * ClusterStackRelease, CAPI provisions the Cluster (status, kubeconfig Secret, nodes, kube-system pods), CSO
 * applies the ClusterAddon, kubelet runs the probe pods and Job. Any of these can stall (never becomes ready)
 * or the probe Job can fail, so every phase's failure path can be played.
 */
import { startFakeKubeApi, type FakeKubeApi, type KubeObj } from './fake-server.js';
import { kubeSystemPods, metricsApiService, netcheckJob, node, pod } from './objects.js';

/** Where the world stops making progress (a wait of that name never finishes). */
export type StallPoint = 'cso-ready' | 'clusterstackrelease-ready' | 'control-plane-ready' | 'nodes-ready' | 'addons-ready' | 'probes-ready';

export interface WorldOptions {
  stall?: StallPoint;
  /** The netcheck Job fails (pod-to-pod traffic broken). */
  failNetcheck?: boolean;
  /** Kubelet version the nodes report (default: the Cluster's topology.version). */
  kubeletVersion?: string;
  /** Controllers act this long after a create (so waits must notice a later change). */
  delayMs?: number;
}

export interface ClusterWorld {
  management: FakeKubeApi;
  workload: FakeKubeApi;
  /** Every violation either fake recorded. */
  violations(): string[];
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;
const T = '2026-01-01T00:00:00Z';

/** Starts both fakes and wires the controllers. */
export async function startClusterWorld(options: WorldOptions = {}): Promise<ClusterWorld> {
  const management = await startFakeKubeApi({ name: 'kind-management' });
  const workload = await startFakeKubeApi({ name: 'workload' });
  const stalled = (p: StallPoint) => options.stall === p;
  let workerNames: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void) => {
    if (!options.delayMs) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, options.delayMs);
    timers.add(t);
  };

  management.onCreate((o) => later(() => {
    const ns = o.metadata.namespace;
    if (o.kind === 'Deployment' && ns === 'cso-system' && !stalled('cso-ready')) {
      management.put({ ...o, status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True', lastTransitionTime: T, lastUpdateTime: T, reason: 'MinimumReplicasAvailable' }] } });
      management.put(pod('cso-system', 'cso-controller-manager-5d9f7c7b8-abcde', 'csp-e2e-control-plane'));
      management.setLog('cso-system', 'cso-controller-manager-5d9f7c7b8-abcde', 'INFO\treconciling ClusterStackRelease\n');
    }
    if (o.kind === 'ClusterStack') {
      const spec = o.spec as { provider: string; name: string; kubernetesVersion: string; versions: string[] };
      const name = `${spec.provider}-${spec.name}-${spec.kubernetesVersion.replace('.', '-')}-${spec.versions[0]}`;
      management.put({
        apiVersion: 'clusterstack.x-k8s.io/v1alpha1', kind: 'ClusterStackRelease', metadata: { name, namespace: ns },
        spec: {}, status: { ready: !stalled('clusterstackrelease-ready'), kubernetesVersion: `${spec.kubernetesVersion}.5`, conditions: [{ type: 'Ready', status: stalled('clusterstackrelease-ready') ? 'False' : 'True', lastTransitionTime: T }] },
      });
    }
    if (o.kind === 'Cluster') provision(o);
  }));

  function provision(cluster: KubeObj): void {
    if (stalled('control-plane-ready')) {
      management.put({ ...cluster, status: { phase: 'Provisioning', infrastructureReady: true, controlPlaneReady: false } });
      return;
    }
    const { name, namespace } = cluster.metadata;
    const topology = (cluster.spec as { topology: { version: string; controlPlane?: { replicas?: number }; workers?: { machineDeployments?: { name: string; replicas?: number }[] } } }).topology;
    management.put({ ...cluster, status: { phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true } });
    management.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-kubeconfig`, namespace, labels: { 'cluster.x-k8s.io/cluster-name': name } }, type: 'cluster.x-k8s.io/secret', data: { value: Buffer.from(workload.kubeconfig()).toString('base64') } });
    const version = options.kubeletVersion ?? topology.version;
    const cp = Array.from({ length: topology.controlPlane?.replicas ?? 1 }, (_, i) => `${name}-cp-${i}`);
    workerNames = (topology.workers?.machineDeployments ?? []).flatMap((md) => Array.from({ length: md.replicas ?? 1 }, (_, i) => `${name}-${md.name}-${i}`));
    const all = [...cp, ...workerNames];
    for (const [i, n] of all.entries()) workload.put(node(n, version, !stalled('nodes-ready'), i < cp.length));
    for (const p of kubeSystemPods(all)) workload.put(p);
    workload.put(metricsApiService(true));
    management.put({
      apiVersion: 'clusterstack.x-k8s.io/v1alpha1', kind: 'ClusterAddon', metadata: { name: `cluster-addon-${name}`, namespace },
      spec: { clusterRef: { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', name, namespace }, clusterStack: (cluster.spec as { topology: { class: string } }).topology.class },
      status: { ready: !stalled('addons-ready'), conditions: [{ type: 'Ready', status: stalled('addons-ready') ? 'False' : 'True', lastTransitionTime: T }] },
    });
    management.put(pod('capi-system', 'capi-controller-manager-6f7d8c9b5-xyz12', 'csp-e2e-control-plane'));
    management.setLog('capi-system', 'capi-controller-manager-6f7d8c9b5-xyz12', 'I0101 reconciling Cluster\n');
    management.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: `${name}.1`, namespace }, involvedObject: { kind: 'Cluster', name, namespace }, reason: 'Provisioned', message: 'Cluster provisioned', type: 'Normal' });
  }

  workload.onCreate((o) => later(() => {
    const labels = (((o.spec as Obj | undefined)?.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels) ?? {};
    if (o.kind === 'Deployment') {
      workerNames.slice(0, 2).forEach((n, i) => workload.put(pod(o.metadata.namespace!, `${o.metadata.name}-7c9d8-${i}`, n, { ip: `10.244.${i + 1}.7`, labels })));
    }
    if (o.kind === 'Job' && !stalled('probes-ready')) {
      workload.put({ ...o, status: (netcheckJob(!options.failNetcheck) as { status: Obj }).status });
    }
  }));

  return {
    management, workload,
    violations: () => [...management.violations, ...workload.violations],
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await management.close();
      await workload.close();
    },
  };
}
