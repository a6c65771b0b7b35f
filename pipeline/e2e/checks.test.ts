/**
 * The SCS checks over objects shaped like a real workload cluster's; every object in the table is first validated
 * against the Kubernetes 1.32 OpenAPI document, so the checks read fields the API really returns.
 */
import { describe, expect, it } from 'vitest';
import { loadKubeSpec } from '../testing/kube/spec.js';
import { kubeSystemPods, metricsApiService, netcheckJob, node, pod, storageClass } from '../testing/kube/objects.js';
import { PROVIDER_FACTS, runChecks, type CheckInput, type KubeObject, type ProviderFacts } from './checks.js';

const V = 'v1.32.5';
const names = ['demo-cp-abc', 'demo-md-0-x1', 'demo-md-0-x2'];
const probeLabels = { 'app.kubernetes.io/name': 'csp-netcheck' };
const openstack: ProviderFacts = {
  csi: true, loadBalancer: true, storageClasses: [{ name: 'default', default: true }],
  loadBalancerAnnotations: { 'load-balancer.scs.cloud/internal': 'service.beta.kubernetes.io/openstack-internal-load-balancer' },
};

function healthy(): CheckInput {
  return {
    provider: 'docker', facts: PROVIDER_FACTS.docker!, kubernetesVersion: V, expectedNodes: 3,
    nodes: names.map((n, i) => node(n, V, true, i === 0)) as KubeObject[],
    kubeSystemPods: kubeSystemPods(names) as KubeObject[],
    probe: {
      pods: [pod('csp-e2e', 'netcheck-a', names[1]!, { ip: '10.244.1.7', labels: probeLabels }), pod('csp-e2e', 'netcheck-b', names[2]!, { ip: '10.244.2.7', labels: probeLabels })] as KubeObject[],
      job: netcheckJob(true) as KubeObject,
    },
    metricsApiService: metricsApiService(true) as KubeObject,
    storageClasses: [],
  };
}

type Case = [string, (i: CheckInput) => CheckInput, Record<string, string>];
const cases: Case[] = [
  ['a healthy docker cluster', (i) => i, { 'kubernetes-version': 'passed', 'nodes-ready': 'passed', 'kube-system-pods': 'passed', network: 'passed', 'metrics-api': 'passed', storage: 'skipped', 'load-balancer': 'skipped' }],
  ['a node on another kubelet version', (i) => ({ ...i, nodes: [...i.nodes.slice(0, 2), node(names[2]!, 'v1.31.9') as KubeObject] }), { 'kubernetes-version': 'failed', 'nodes-ready': 'passed' }],
  ['a NotReady node', (i) => ({ ...i, nodes: [...i.nodes.slice(0, 2), node(names[2]!, V, false) as KubeObject] }), { 'nodes-ready': 'failed', 'kubernetes-version': 'passed' }],
  ['a missing worker', (i) => ({ ...i, nodes: i.nodes.slice(0, 2) }), { 'nodes-ready': 'failed' }],
  ['a crash-looping kube-system pod', (i) => ({ ...i, kubeSystemPods: [...i.kubeSystemPods, pod('kube-system', 'cilium-operator-1', names[0]!, { ready: false }) as KubeObject] }), { 'kube-system-pods': 'failed' }],
  ['a completed kube-system pod', (i) => ({ ...i, kubeSystemPods: [...i.kubeSystemPods, pod('kube-system', 'cilium-install-1', names[0]!, { phase: 'Succeeded', ready: false }) as KubeObject] }), { 'kube-system-pods': 'passed' }],
  ['probe pods on one node', (i) => ({ ...i, probe: { ...i.probe, pods: i.probe.pods.map((p) => ({ ...p, spec: { ...p.spec, nodeName: names[1] } })) } }), { network: 'failed' }],
  ['a failed netcheck Job', (i) => ({ ...i, probe: { ...i.probe, job: netcheckJob(false) as KubeObject } }), { network: 'failed' }],
  ['no netcheck Job', (i) => ({ ...i, probe: { pods: i.probe.pods } }), { network: 'failed' }],
  ['metrics API unavailable', (i) => ({ ...i, metricsApiService: metricsApiService(false) as KubeObject }), { 'metrics-api': 'failed' }],
  ['no metrics APIService', (i) => ({ ...i, metricsApiService: undefined }), { 'metrics-api': 'failed' }],
  ['a provider with CSI: classes present, PVC bound', (i) => ({ ...i, provider: 'openstack', facts: openstack, storageClasses: [storageClass('default', true) as KubeObject], pvc: { metadata: { name: 'probe' }, status: { phase: 'Bound' } } }), { storage: 'passed' }],
  ['a provider with CSI: class not default', (i) => ({ ...i, provider: 'openstack', facts: openstack, storageClasses: [storageClass('default', false) as KubeObject], pvc: { status: { phase: 'Bound' } } }), { storage: 'failed' }],
  ['a provider with CSI: PVC pending', (i) => ({ ...i, provider: 'openstack', facts: openstack, storageClasses: [storageClass('default', true) as KubeObject], pvc: { status: { phase: 'Pending' } } }), { storage: 'failed' }],
  ['a provider with LB: annotation carried, address assigned', (i) => ({ ...i, provider: 'openstack', facts: openstack, loadBalancerService: { metadata: { annotations: { 'load-balancer.scs.cloud/internal': 'true', 'service.beta.kubernetes.io/openstack-internal-load-balancer': 'true' } }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } } }), { 'load-balancer': 'passed' }],
  ['a provider with LB: annotation dropped', (i) => ({ ...i, provider: 'openstack', facts: openstack, loadBalancerService: { metadata: { annotations: { 'load-balancer.scs.cloud/internal': 'true' } }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } } }), { 'load-balancer': 'failed' }],
];

describe('SCS checks', () => {
  it('table objects are valid Kubernetes 1.32 objects', async () => {
    const spec = await loadKubeSpec('1.32');
    const input = healthy();
    const all = [...input.nodes, ...input.kubeSystemPods, ...input.probe.pods, input.probe.job, input.metricsApiService, netcheckJob(false), metricsApiService(false), node('x', V, false), storageClass('default', true), pod('kube-system', 'p', 'n', { ready: false })];
    expect(all.flatMap((o) => spec.checkObject(o))).toEqual([]);
  }, 60_000);

  it.each(cases)('%s', (_name, change, expected) => {
    const results = Object.fromEntries(runChecks(change(healthy())).map((r) => [r.id, r]));
    for (const [id, status] of Object.entries(expected)) expect({ id, status: results[id]!.status, message: results[id]!.message }).toMatchObject({ id, status });
  });

  it('records why a check does not apply on docker', () => {
    const byId = Object.fromEntries(runChecks(healthy()).map((r) => [r.id, r.message]));
    expect(byId.storage).toMatch(/docker provider has no CSI/);
    expect(byId['load-balancer']).toMatch(/docker provider has no load balancer/);
  });
});
