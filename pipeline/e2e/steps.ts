/**
 * What each step does: a literal table from step id to handler. Handlers run a command through `run` or talk to
 * the API through the KubeClient; waits poll until their condition holds (the phase's signal ends them).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PipelineError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import type { Run } from '../core/run.js';
import { runChecks, PROVIDER_FACTS, type KubeObject } from './checks.js';
import { prepareCsoManifest } from './cso-manifest.js';
import type { KubeClient, KubeFactory } from './kube.js';
import { expectedNodes, kindConfig } from './plan.js';
import { PROBE_LABEL, PROBE_NAMESPACE, probeJob, probeServerObjects } from './probes.js';
import type { CheckResult, E2ePlan, RunAction, Step, StepId } from './types.js';

type Obj = Record<string, unknown>;

/** Effects of a run (built once in cli/; tests pass a recording `run` and a kube factory for the fake). */
export interface E2eDeps {
  run: Run;
  kube: KubeFactory;
  log: Log;
  now: () => Date;
  /** Interval of waits (default 5 s). */
  pollMs?: number;
  /** Aborted on SIGINT/SIGTERM: the current step stops, diagnostics and teardown still run. */
  signal?: AbortSignal;
}

/** State shared by the steps of one run. */
export interface RunState {
  plan: E2ePlan;
  deps: E2eDeps;
  csoManifest?: { text: string; file: string };
  management?: KubeClient;
  workload?: KubeClient;
  checks: CheckResult[];
  diagnostics: string[];
}

type Handler = (state: RunState, step: Step, signal: AbortSignal) => Promise<void>;

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal.aborted) return reject(signal.reason as Error);
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason as Error); }, { once: true });
});

/** What a wait watches: a change of this kind re-runs the probe at once. */
interface WatchOn { client: KubeClient; apiVersion: string; kind: string; namespace?: string }

/**
 * Runs `probe` until it returns true: again on every watch event of `on`, and every poll interval as a backstop
 * (a watch can drop). The signal (phase timeout, SIGTERM) ends the wait.
 */
async function waitFor(state: RunState, signal: AbortSignal, probe: () => Promise<boolean>, on?: WatchOn): Promise<void> {
  let wake: () => void = () => undefined;
  let changed = false;
  const stop = on ? await on.client.watch(on.apiVersion, on.kind, on.namespace, () => { changed = true; wake(); }).catch((error: unknown) => {
    state.deps.log.debug(`watch of ${on.kind} failed, polling only: ${(error as Error).message}`);
    return () => undefined;
  }) : () => undefined;
  try {
    for (;;) {
      changed = false;
      if (await probe()) return;
      if (changed) continue;
      const poll = new AbortController();
      wake = () => poll.abort();
      await sleep(state.deps.pollMs ?? 5000, AbortSignal.any([signal, poll.signal])).catch((error: unknown) => {
        if (signal.aborted) throw error;
      });
    }
  } finally {
    stop();
  }
}

async function runAction(state: RunState, step: Step, signal: AbortSignal): Promise<string> {
  const a = step.action as RunAction;
  const res = await state.deps.run(a.command, a.args, { cwd: state.plan.workDir, env: a.env ?? {}, timeoutMs: 60 * 60_000, signal });
  return res.stdout;
}

const mgmt = (s: RunState): KubeClient => need(s.management, 'the management cluster');
const wl = (s: RunState): KubeClient => need(s.workload, 'the workload cluster');
function need<T>(v: T | undefined, what: string): T {
  if (!v) throw new PipelineError('E2E_NOT_READY', `${what} is not reachable yet`);
  return v;
}
const meta = (o: Obj | undefined) => (o?.metadata ?? {}) as { name?: string; namespace?: string };
const status = (o: Obj | undefined) => (o?.status ?? {}) as Record<string, unknown>;
const isTrue = (o: Obj, type: string) => ((status(o).conditions as { type?: string; status?: string }[] | undefined) ?? []).some((c) => c.type === type && c.status === 'True');

const handlers: Record<StepId, Handler> = {
  async 'kind-create'(s, step, signal) {
    await fs.writeFile(path.join(s.plan.workDir, 'kind.yaml'), kindConfig(s.plan.bundle));
    await runAction(s, step, signal);
    s.management = s.deps.kube(await fs.readFile(path.join(s.plan.workDir, 'management.kubeconfig'), 'utf8'));
  },
  'clusterctl-init': async (s, step, signal) => void (await runAction(s, step, signal)),
  'sonobuoy-run': async (s, step, signal) => void (await runAction(s, step, signal)),
  async 'cso-install'(s) {
    const manifest = need(s.csoManifest, 'CSO\'s component manifest (--cso-manifest)');
    for (const o of prepareCsoManifest(manifest.text, manifest.file, s.plan.bundle.releaseName)) await mgmt(s).create(o);
  },
  'cso-ready': (s, _step, signal) => waitFor(s, signal, async () => {
    const d = (await mgmt(s).list('apps/v1', 'Deployment', 'cso-system')).find((o) => /cso-controller-manager/.test(meta(o).name ?? ''));
    return Number(status(d).availableReplicas ?? 0) >= 1;
  }, { client: mgmt(s), apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'cso-system' }),
  async 'clusterstack-apply'(s) {
    await mgmt(s).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: s.plan.namespace } });
    await mgmt(s).create(s.plan.clusterStack);
  },
  'clusterstackrelease-ready': (s, _step, signal) => waitFor(s, signal, async () =>
    status(await mgmt(s).get('clusterstack.x-k8s.io/v1alpha1', 'ClusterStackRelease', s.plan.namespace, s.plan.bundle.releaseName)).ready === true,
  { client: mgmt(s), apiVersion: 'clusterstack.x-k8s.io/v1alpha1', kind: 'ClusterStackRelease', namespace: s.plan.namespace }),
  'cluster-apply': async (s) => void (await mgmt(s).create(s.plan.cluster)),
  'control-plane-ready': (s, _step, signal) => waitFor(s, signal, async () => {
    const st = status(await mgmt(s).get('cluster.x-k8s.io/v1beta1', 'Cluster', s.plan.namespace, s.plan.clusterName));
    return st.infrastructureReady === true && st.controlPlaneReady === true;
  }, { client: mgmt(s), apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', namespace: s.plan.namespace }),
  async 'workload-kubeconfig'(s, _step, signal) {
    let value: string | undefined;
    await waitFor(s, signal, async () => {
      const secret = await mgmt(s).get('v1', 'Secret', s.plan.namespace, `${s.plan.clusterName}-kubeconfig`);
      value = (secret?.data as { value?: string } | undefined)?.value;
      return typeof value === 'string';
    }, { client: mgmt(s), apiVersion: 'v1', kind: 'Secret', namespace: s.plan.namespace });
    const text = Buffer.from(value!, 'base64').toString('utf8');
    await fs.writeFile(path.join(s.plan.workDir, 'workload.kubeconfig'), text, { mode: 0o600 });
    s.workload = s.deps.kube(text);
  },
  'nodes-ready': (s, _step, signal) => waitFor(s, signal, async () => {
    const nodes = await wl(s).list('v1', 'Node');
    return nodes.length >= expectedNodes(s.plan.cluster) && nodes.every((n) => isTrue(n, 'Ready'));
  }, { client: wl(s), apiVersion: 'v1', kind: 'Node' }),
  'addons-ready': (s, _step, signal) => waitFor(s, signal, async () =>
    status(await mgmt(s).get('clusterstack.x-k8s.io/v1alpha1', 'ClusterAddon', s.plan.namespace, `cluster-addon-${s.plan.clusterName}`)).ready === true,
  { client: mgmt(s), apiVersion: 'clusterstack.x-k8s.io/v1alpha1', kind: 'ClusterAddon', namespace: s.plan.namespace }),
  async 'probes-apply'(s, _step, signal) {
    for (const o of probeServerObjects()) await wl(s).create(o);
    let ips: string[] = [];
    await waitFor(s, signal, async () => {
      ips = (await probePods(s)).filter((p) => status(p).phase === 'Running' && typeof status(p).podIP === 'string').map((p) => String(status(p).podIP));
      return ips.length >= 2;
    }, { client: wl(s), apiVersion: 'v1', kind: 'Pod', namespace: PROBE_NAMESPACE });
    await wl(s).create(probeJob(ips));
  },
  'probes-ready': (s, _step, signal) => waitFor(s, signal, async () => {
    const st = status(await wl(s).get('batch/v1', 'Job', PROBE_NAMESPACE, 'netcheck'));
    return Number(st.succeeded ?? 0) >= 1 || Number(st.failed ?? 0) >= 1;
  }, { client: wl(s), apiVersion: 'batch/v1', kind: 'Job', namespace: PROBE_NAMESPACE }),
  async 'checks-run'(s) {
    const w = wl(s);
    s.checks = runChecks({
      provider: s.plan.bundle.provider,
      facts: PROVIDER_FACTS[s.plan.bundle.provider]!,
      kubernetesVersion: s.plan.bundle.kubernetesVersion,
      expectedNodes: expectedNodes(s.plan.cluster),
      nodes: (await w.list('v1', 'Node')) as KubeObject[],
      kubeSystemPods: (await w.list('v1', 'Pod', 'kube-system')) as KubeObject[],
      probe: { pods: (await probePods(s)) as KubeObject[], job: (await w.get('batch/v1', 'Job', PROBE_NAMESPACE, 'netcheck')) as KubeObject | undefined },
      metricsApiService: (await w.get('apiregistration.k8s.io/v1', 'APIService', undefined, 'v1beta1.metrics.k8s.io')) as KubeObject | undefined,
      storageClasses: (await w.list('storage.k8s.io/v1', 'StorageClass')) as KubeObject[],
    });
  },
  async 'diag-clusterctl-describe'(s, step, signal) {
    await write(s, 'clusterctl-describe.txt', await runAction(s, step, signal));
  },
  async 'diag-events'(s) {
    await write(s, 'events.json', JSON.stringify(await mgmt(s).list('v1', 'Event'), null, 2));
  },
  async 'diag-controller-logs'(s) {
    for (const ns of ['capi-system', 'capi-kubeadm-bootstrap-system', 'capi-kubeadm-control-plane-system', 'capd-system', 'cso-system']) {
      for (const pod of await mgmt(s).list('v1', 'Pod', ns)) await write(s, `logs/${ns}/${meta(pod).name}.log`, await mgmt(s).podLog(ns, meta(pod).name!));
    }
  },
  async 'teardown-cluster-delete'(s, _step, signal) {
    if (!s.management) return;
    await s.management.delete('cluster.x-k8s.io/v1beta1', 'Cluster', s.plan.namespace, s.plan.clusterName);
    await waitFor(s, signal, async () => !(await mgmt(s).get('cluster.x-k8s.io/v1beta1', 'Cluster', s.plan.namespace, s.plan.clusterName)),
      { client: mgmt(s), apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', namespace: s.plan.namespace });
  },
  'teardown-kind-delete': async (s, step, signal) => void (await runAction(s, step, signal)),
};

async function probePods(s: RunState): Promise<Obj[]> {
  const want = Object.entries(PROBE_LABEL);
  return (await wl(s).list('v1', 'Pod', PROBE_NAMESPACE)).filter((p) => want.every(([k, v]) => ((p.metadata as { labels?: Record<string, string> }).labels ?? {})[k] === v));
}

async function write(s: RunState, name: string, text: string): Promise<void> {
  // Names come from API responses: keep every segment a plain file name inside diagnostics/.
  const safe = name.split('/').map((seg) => seg.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')).join('/');
  const file = path.join(s.plan.workDir, 'diagnostics', safe);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, s.deps.log.redact(text));
  s.diagnostics.push(path.relative(s.plan.workDir, file));
}

/** Runs one step's handler. */
export function runStep(state: RunState, step: Step, signal: AbortSignal): Promise<void> {
  return handlers[step.id](state, step, signal);
}
