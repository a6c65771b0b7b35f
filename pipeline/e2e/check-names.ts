/** The ids and names of the checks, in report order (JUnit lists every one, also when it did not run). */
export const CHECK_NAMES: Record<string, string> = {
  'kubernetes-version': 'Kubernetes version equals metadata.yaml',
  'nodes-ready': 'all nodes Ready',
  'kube-system-pods': 'all kube-system pods Ready',
  network: 'pod-to-pod traffic across nodes and service DNS',
  'metrics-api': 'metrics API answers',
  storage: 'standard storage classes exist and a PVC binds',
  'load-balancer': 'load-balancer.scs.cloud annotations reach the load balancer',
};
