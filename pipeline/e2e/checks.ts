/**
 * The SCS checks of a workload cluster, each a pure function over API objects as the Kubernetes API returns
 * them. A check that does not apply to the provider is `skipped` with the reason (docker has no CSI, no LB).
 */
import { CHECK_NAMES } from './check-names.js';
import type { CheckResult } from './types.js';

type Obj = Record<string, unknown>;
interface Condition { type?: string; status?: string; reason?: string; message?: string }
interface Meta { name?: string; namespace?: string; annotations?: Record<string, string> }
/** The parts of API objects the checks read (core/v1 Node and Pod, batch/v1 Job, …). */
export interface KubeObject { metadata?: Meta; spec?: Obj; status?: Obj }

/** What a provider offers, for deciding which checks apply. */
export interface ProviderFacts {
  /** A CSI driver: standard storage classes must exist and a PVC must bind. */
  csi: boolean;
  /** A load balancer: `load-balancer.scs.cloud/…` annotations must reach it. */
  loadBalancer: boolean;
  storageClasses: { name: string; default?: boolean }[];
  /** SCS annotation → provider annotation (stack.yaml standard.loadBalancerAnnotations). */
  loadBalancerAnnotations: Record<string, string>;
}

/** The providers csp e2e knows (a literal table; stack.yaml of each stack says the same). */
export const PROVIDER_FACTS: Record<string, ProviderFacts> = {
  docker: { csi: false, loadBalancer: false, storageClasses: [], loadBalancerAnnotations: {} },
};

/** Everything the checks look at, gathered by the runner after the cluster is up. */
export interface CheckInput {
  provider: string;
  facts: ProviderFacts;
  kubernetesVersion: string;
  expectedNodes: number;
  nodes: KubeObject[];
  kubeSystemPods: KubeObject[];
  /** The netcheck probe: its server pods and the Job that reached them and resolved the Service name. */
  probe: { pods: KubeObject[]; job?: KubeObject };
  /** apiregistration.k8s.io/v1 APIService v1beta1.metrics.k8s.io, when it exists. */
  metricsApiService?: KubeObject;
  storageClasses: KubeObject[];
  /** The probe PVC (providers with CSI). */
  pvc?: KubeObject;
  /** The probe Service of type LoadBalancer carrying the SCS annotations (providers with LB). */
  loadBalancerService?: KubeObject;
}

const conditions = (o: KubeObject): Condition[] => (Array.isArray(o.status?.conditions) ? (o.status.conditions as Condition[]) : []);
const isTrue = (o: KubeObject, type: string): boolean => conditions(o).some((c) => c.type === type && c.status === 'True');
const nameOf = (o: KubeObject): string => `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;
const result = (id: string, name: string, problems: string[], ok: string): CheckResult =>
  problems.length ? { id, name, status: 'failed', message: problems.join('; ') } : { id, name, status: 'passed', message: ok };
const skipped = (id: string, name: string, message: string): CheckResult => ({ id, name, status: 'skipped', message });

/** Every node's kubelet runs the Kubernetes version of metadata.yaml. */
export function checkKubernetesVersion(input: CheckInput): CheckResult {
  const wrong = input.nodes
    .map((n) => ({ n, v: (n.status?.nodeInfo as { kubeletVersion?: string } | undefined)?.kubeletVersion }))
    .filter(({ v }) => v !== input.kubernetesVersion)
    .map(({ n, v }) => `${nameOf(n)} runs ${v ?? 'no reported version'}`);
  if (input.nodes.length === 0) wrong.push('no nodes');
  return result('kubernetes-version', `Kubernetes version is ${input.kubernetesVersion}`, wrong, `${input.nodes.length} nodes run ${input.kubernetesVersion}`);
}

/** The expected number of nodes exist and all are Ready. */
export function checkNodesReady(input: CheckInput): CheckResult {
  const problems = input.nodes.filter((n) => !isTrue(n, 'Ready')).map((n) => `${nameOf(n)} is not Ready`);
  if (input.nodes.length !== input.expectedNodes) problems.unshift(`${input.nodes.length} nodes, expected ${input.expectedNodes}`);
  return result('nodes-ready', 'all nodes Ready', problems, `${input.nodes.length} nodes Ready`);
}

/** Every kube-system pod is Ready (or has completed). */
export function checkKubeSystemPods(input: CheckInput): CheckResult {
  const problems = input.kubeSystemPods
    .filter((p) => p.status?.phase !== 'Succeeded' && !isTrue(p, 'Ready'))
    .map((p) => `${nameOf(p)} is ${String(p.status?.phase ?? 'Unknown')}, not Ready`);
  if (input.kubeSystemPods.length === 0) problems.push('no pods in kube-system');
  return result('kube-system-pods', 'all kube-system pods Ready', problems, `${input.kubeSystemPods.length} pods Ready`);
}

/** The CNI carries pod-to-pod traffic across nodes and service DNS resolves (the netcheck Job succeeded). */
export function checkNetwork(input: CheckInput): CheckResult {
  const problems: string[] = [];
  const running = input.probe.pods.filter((p) => p.status?.phase === 'Running' && typeof p.status.podIP === 'string');
  const nodes = new Set(running.map((p) => p.spec?.nodeName).filter((n) => typeof n === 'string'));
  if (nodes.size < 2) problems.push(`probe pods run on ${nodes.size} node(s); cross-node traffic needs 2`);
  const job = input.probe.job;
  if (!job) problems.push('the netcheck Job does not exist');
  else if (!isTrue(job, 'Complete') || !(Number(job.status?.succeeded ?? 0) >= 1)) {
    const failed = conditions(job).find((c) => c.type === 'Failed' && c.status === 'True');
    problems.push(`the netcheck Job did not succeed${failed ? `: ${failed.reason ?? ''} ${failed.message ?? ''}`.trimEnd() : ''}`);
  }
  return result('network', 'pod-to-pod traffic across nodes and service DNS', problems, `pods on ${nodes.size} nodes reached each other; the Service name resolved`);
}

/** The metrics API (metrics-server's APIService) is Available. */
export function checkMetricsApi(input: CheckInput): CheckResult {
  const svc = input.metricsApiService;
  const problems = !svc ? ['APIService v1beta1.metrics.k8s.io does not exist'] : isTrue(svc, 'Available') ? [] : [`APIService v1beta1.metrics.k8s.io is not Available: ${conditions(svc).find((c) => c.type === 'Available')?.message ?? 'no condition'}`];
  return result('metrics-api', 'metrics API answers', problems, 'v1beta1.metrics.k8s.io is Available');
}

/** Every standard storage class exists (with the right default) and a PVC binds; skipped without a CSI. */
export function checkStorage(input: CheckInput): CheckResult {
  const name = 'standard storage classes exist and a PVC binds';
  if (!input.facts.csi) return skipped('storage', name, `the ${input.provider} provider has no CSI driver (stack.yaml kubernetesCore.csi: null)`);
  const problems: string[] = [];
  for (const want of input.facts.storageClasses) {
    const sc = input.storageClasses.find((s) => s.metadata?.name === want.name);
    if (!sc) problems.push(`storage class ${want.name} is missing`);
    else if ((sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true') !== (want.default === true)) problems.push(`storage class ${want.name} default is not ${want.default === true}`);
  }
  if (!input.pvc) problems.push('the probe PVC does not exist');
  else if (input.pvc.status?.phase !== 'Bound') problems.push(`the probe PVC is ${String(input.pvc.status?.phase ?? 'Pending')}, not Bound`);
  return result('storage', name, problems, `${input.facts.storageClasses.length} standard classes present; PVC Bound`);
}

/** SCS load-balancer annotations are translated to the provider's and the LB got an address; skipped without LB. */
export function checkLoadBalancer(input: CheckInput): CheckResult {
  const name = 'load-balancer.scs.cloud annotations reach the load balancer';
  if (!input.facts.loadBalancer) return skipped('load-balancer', name, `the ${input.provider} provider has no load balancer (stack.yaml provider.capabilities.loadBalancers: [])`);
  const svc = input.loadBalancerService;
  if (!svc) return result('load-balancer', name, ['the probe LoadBalancer Service does not exist'], '');
  const annotations = svc.metadata?.annotations ?? {};
  const problems = Object.entries(input.facts.loadBalancerAnnotations)
    .filter(([scs, native]) => scs in annotations && annotations[native] !== annotations[scs])
    .map(([scs, native]) => `${scs} was not carried to ${native}`);
  const ingress = (svc.status?.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress;
  if (!Array.isArray(ingress) || ingress.length === 0) problems.push('the LoadBalancer Service has no ingress address');
  return result('load-balancer', name, problems, 'annotations translated; address assigned');
}

/** Every check, in report order. */
export const CHECKS: readonly ((input: CheckInput) => CheckResult)[] = [
  checkKubernetesVersion, checkNodesReady, checkKubeSystemPods, checkNetwork, checkMetricsApi, checkStorage, checkLoadBalancer,
];

/** Runs every check over the gathered objects. */
export function runChecks(input: CheckInput): CheckResult[] {
  return CHECKS.map((check) => check(input)).map((r) => ({ ...r, name: CHECK_NAMES[r.id] ?? r.name }));
}
