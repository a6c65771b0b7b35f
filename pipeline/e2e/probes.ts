/**
 * The objects the checks phase creates in the workload cluster: two probe server pods forced onto different
 * nodes, a Service in front of them, and a Job that reaches both pod IPs and resolves the Service name.
 */
type Obj = Record<string, unknown>;

export const PROBE_NAMESPACE = 'csp-e2e';
export const PROBE_LABEL = { 'app.kubernetes.io/name': 'csp-netcheck' };
/** Pinned images (agnhost serves /hostname; busybox has wget and nslookup). */
export const PROBE_IMAGES = { server: 'registry.k8s.io/e2e-test-images/agnhost:2.53', client: 'docker.io/library/busybox:1.36.1' };

/** Namespace, server Deployment (required anti-affinity: one pod per node) and its Service. */
export function probeServerObjects(): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: PROBE_NAMESPACE } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'netcheck', namespace: PROBE_NAMESPACE, labels: PROBE_LABEL },
      spec: {
        replicas: 2,
        selector: { matchLabels: PROBE_LABEL },
        template: {
          metadata: { labels: PROBE_LABEL },
          spec: {
            affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: PROBE_LABEL }, topologyKey: 'kubernetes.io/hostname' }] } },
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{ name: 'server', image: PROBE_IMAGES.server, args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'netcheck', namespace: PROBE_NAMESPACE },
      spec: { selector: PROBE_LABEL, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
}

/** The client Job: fetch /hostname from every server pod IP, then resolve and call the Service by name. */
export function probeJob(podIps: string[]): Obj {
  const script = [
    'set -e',
    ...podIps.map((ip) => `wget -q -T 5 -O- http://${ip}:8080/hostname; echo`),
    `nslookup netcheck.${PROBE_NAMESPACE}.svc.cluster.local`,
    `wget -q -T 5 -O- http://netcheck.${PROBE_NAMESPACE}.svc.cluster.local/hostname; echo`,
  ].join('\n');
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'netcheck', namespace: PROBE_NAMESPACE },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 300,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'client', image: PROBE_IMAGES.client, command: ['sh', '-c', script] }] } },
    },
  };
}
