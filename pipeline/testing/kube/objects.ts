/**
 * API objects shaped like a kind/CAPD workload cluster's (Kubernetes 1.32): nodes, pods, the netcheck Job, the
 * metrics APIService. The checks' table tests and the fake's controllers use them; tests validate each one
 * against the OpenAPI document, so a field the real API would not return fails the test.
 */
type Obj = Record<string, unknown>;
const T = '2026-01-01T00:00:00Z';
const cond = (type: string, status: boolean, extra: Obj = {}) => ({ type, status: status ? 'True' : 'False', lastTransitionTime: T, ...extra });

/** A node as kubelet reports it (kindest/node image, containerd). */
export function node(name: string, kubeletVersion: string, ready = true, controlPlane = false): Obj {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
    spec: { providerID: `docker:////${name}`, podCIDR: '10.244.0.0/24', ...(controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}) },
    status: {
      conditions: [
        { ...cond('MemoryPressure', false), lastHeartbeatTime: T, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { ...cond('Ready', ready), lastHeartbeatTime: T, reason: ready ? 'KubeletReady' : 'KubeletNotReady', message: ready ? 'kubelet is posting ready status' : 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized' },
      ],
      addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: name }],
      nodeInfo: {
        machineID: 'a'.repeat(32), systemUUID: 'b'.repeat(32), bootID: 'c0a8b7e2-1f1e-4b6e-9d0a-0a0b0c0d0e0f', kernelVersion: '6.8.0-1021-azure',
        osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://2.1.1', kubeletVersion, kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

/** A pod of one container; `ready` sets the Ready condition, `phase` the pod phase. */
export function pod(namespace: string, name: string, nodeName: string, options: { phase?: string; ready?: boolean; ip?: string; labels?: Record<string, string> } = {}): Obj {
  const phase = options.phase ?? 'Running';
  const ready = options.ready ?? phase === 'Running';
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, ...(options.labels ? { labels: options.labels } : {}) },
    spec: { nodeName, containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
    status: {
      phase,
      conditions: [cond('PodScheduled', true), cond('Ready', ready, ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [main]' })],
      ...(options.ip ?? phase === 'Running' ? { podIP: options.ip ?? '10.244.1.5', podIPs: [{ ip: options.ip ?? '10.244.1.5' }], hostIP: '172.18.0.3' } : {}),
    },
  };
}

/** The netcheck Job after it finished. */
export function netcheckJob(succeeded: boolean): Obj {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'netcheck', namespace: 'csp-e2e' },
    spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'client', image: 'docker.io/library/busybox:1.36.1' }] } } },
    status: succeeded
      ? { succeeded: 1, startTime: T, completionTime: T, conditions: [{ ...cond('SuccessCriteriaMet', true), lastProbeTime: T }, { ...cond('Complete', true), lastProbeTime: T }] }
      : { failed: 3, startTime: T, conditions: [{ ...cond('FailureTarget', true), lastProbeTime: T }, { ...cond('Failed', true), lastProbeTime: T, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
  };
}

/** metrics-server's APIService. */
export function metricsApiService(available: boolean): Obj {
  return {
    apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' },
    spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service: { name: 'metrics-server', namespace: 'kube-system', port: 443 } },
    status: { conditions: [cond('Available', available, available ? { reason: 'Passed', message: 'all checks passed' } : { reason: 'FailedDiscoveryCheck', message: 'failing or missing response from https://10.96.12.1:443/apis/metrics.k8s.io/v1beta1' })] },
  };
}

/** A StorageClass (providers with CSI). */
export function storageClass(name: string, isDefault: boolean): Obj {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'cinder.csi.openstack.org', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  };
}

/** The kube-system pods of a docker workload cluster with kube-proxy and Cilium. */
export function kubeSystemPods(nodeNames: string[]): Obj[] {
  const cp = nodeNames[0]!;
  return [
    ...['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => pod('kube-system', `${c}-${cp}`, cp)),
    ...nodeNames.flatMap((n, i) => [pod('kube-system', `kube-proxy-${i}`, n), pod('kube-system', `cilium-${i}`, n)]),
    pod('kube-system', 'coredns-668d6bf9bc-x7k2p', cp, { ip: '10.244.0.3' }),
    pod('kube-system', 'metrics-server-7bb66f4b6d-2kq9z', nodeNames[1] ?? cp, { ip: '10.244.1.4' }),
  ];
}
