/**
 * The runner against two loopback Kubernetes API fakes (every request and response checked against the 1.32
 * OpenAPI document and the CRDs) through @kubernetes/client-node, with kind/clusterctl through a recording
 * `run`: the exact commands, a passing run, a stall in every phase, a failing check, a tool failure and SIGTERM,
 * each followed by diagnostics (on failure) and teardown.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLog } from '../core/log.js';
import { assembleRelease, type TestRelease } from '../publish/__fixtures__/release.js';
import { recordingRun } from '../testing/kube/recording-run.js';
import { startClusterWorld, type ClusterWorld, type StallPoint } from '../testing/kube/world.js';
import { repoRoot } from '../testing/paths.js';
import { createKubeClient, junitXml, planE2e, readBundle, runE2e, type E2ePlan } from './index.js';

let tmp: string;
let release: TestRelease;
let world: ClusterWorld | undefined;
const csoManifest = { file: 'cso-components.yaml', text: '' };

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-e2e-'));
  release = await assembleRelease(path.join(tmp, 'out'), { releaseName: 'docker-scs-1-30-v1' });
  csoManifest.text = await fs.readFile(path.join(import.meta.dirname, '__fixtures__', 'cso-components.yaml'), 'utf8');
  return () => fs.rm(tmp, { recursive: true, force: true });
});

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function plan(name: string, options: { keep?: boolean; timeoutMs?: number } = {}): Promise<E2ePlan> {
  const bundle = await readBundle(release.releaseDir, release.layoutDir);
  const clusterExample = parse(await fs.readFile(path.join(repoRoot, 'stacks', 'cluster-example.yaml'), 'utf8')) as Record<string, unknown>;
  const t = options.timeoutMs ?? 20_000;
  return planE2e({ bundle, clusterExample, workDir: path.join(tmp, name), keep: options.keep, phaseTimeoutsMs: { management: t, stack: t, cluster: t, checks: t } });
}

async function start(options: Parameters<typeof startClusterWorld>[0] = {}, run: { failing?: string[]; hang?: string[] } = {}) {
  world = await startClusterWorld(options);
  const w = world;
  const rec = recordingRun({ kubeconfig: () => w.management.kubeconfig(), ...run });
  const lines: string[] = [];
  const deps = { run: rec.run, kube: createKubeClient, log: createLog({ write: (l) => lines.push(l) }), now: () => new Date('2026-01-01T00:00:00Z'), pollMs: 10 };
  return { rec, deps, lines, world: w };
}

describe('csp e2e runner', () => {
  it('passes on a healthy cluster: exact commands, every phase, checks, teardown; no spec violation', async () => {
    const { rec, deps, world: w } = await start();
    const p = await plan('pass');
    const result = await runE2e(p, deps, { csoManifest });
    expect(w.violations()).toEqual([]);
    expect(result.steps.filter((s) => s.status !== 'ok')).toEqual([]);
    expect(result.ok).toBe(true);
    const mgmt = path.join(p.workDir, 'management.kubeconfig');
    expect(rec.calls).toEqual([
      `kind create cluster --name csp-e2e-docker-scs-1-30-v1 --image kindest/node:v1.33.1 --config ${path.join(p.workDir, 'kind.yaml')} --kubeconfig ${mgmt} --wait 180s`,
      `clusterctl init --kubeconfig ${mgmt} --core cluster-api:v1.14.0 --bootstrap kubeadm:v1.14.0 --control-plane kubeadm:v1.14.0 --infrastructure docker:v1.14.0 --wait-providers`,
      `kind delete cluster --name csp-e2e-docker-scs-1-30-v1 --kubeconfig ${mgmt}`,
    ]);
    expect(result.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'kubernetes-version:passed', 'nodes-ready:passed', 'kube-system-pods:passed', 'network:passed', 'metrics-api:passed', 'storage:skipped', 'load-balancer:skipped',
    ]);
    expect(result.tornDown).toBe(true);
    expect(w.management.get('cluster.x-k8s.io/v1beta1', 'Cluster', 'cluster', 'demo')).toBeUndefined();
    // CSO runs in local mode with the bundle mounted; the Cluster is the seed with only class and version changed.
    const cso = w.management.get('apps/v1', 'Deployment', 'cso-system', 'cso-controller-manager') as unknown as { spec: { template: { spec: { containers: { args: string[] }[]; volumes: { hostPath: { path: string } }[] } } } };
    expect(cso.spec.template.spec.containers[0]!.args).toContain('--local=true');
    expect(cso.spec.template.spec.volumes[0]!.hostPath.path).toBe('/csp-bundles/docker-scs-1-30-v1');
    expect(await fs.readFile(path.join(p.workDir, 'kind.yaml'), 'utf8')).toContain(`hostPath: "${release.releaseDir}"`);
    expect((p.cluster.spec as { topology: { class: string; version: string } }).topology).toMatchObject({ class: 'docker-scs-1-30-v1', version: 'v1.30.5' });
    expect(w.management.requests.some((r) => r.startsWith('POST /apis/clusterstack.x-k8s.io/v1alpha1/namespaces/cluster/clusterstacks'))).toBe(true);
    const junit = junitXml(result);
    expect(junit).toContain('tests="11" failures="0" skipped="2"');
    expect(junit).toContain('<skipped message="the docker provider has no CSI driver');
  }, 60_000);

  const stalls: [StallPoint, string][] = [
    ['cso-ready', 'management'], ['clusterstackrelease-ready', 'stack'], ['control-plane-ready', 'cluster'],
    ['nodes-ready', 'cluster'], ['addons-ready', 'cluster'], ['probes-ready', 'checks'],
  ];
  it.each(stalls)('a stall at %s times out phase %s, collects diagnostics and tears down', async (stall, phase) => {
    const { rec, deps, world: w } = await start({ stall });
    const result = await runE2e(await plan(`stall-${stall}`, { timeoutMs: 400 }), deps, { csoManifest });
    expect(w.violations()).toEqual([]);
    expect(result.ok).toBe(false);
    expect(result.failedPhase).toBe(phase);
    expect(result.steps.find((s) => s.status !== 'ok')).toMatchObject({ id: stall, phase, status: 'timeout' });
    expect(rec.calls.some((c) => c.startsWith('clusterctl describe cluster demo --namespace cluster'))).toBe(true);
    expect(result.diagnostics).toEqual(expect.arrayContaining(['diagnostics/clusterctl-describe.txt', 'diagnostics/events.json']));
    expect(rec.calls.at(-1)).toMatch(/^kind delete cluster --name csp-e2e-docker-scs-1-30-v1/);
    expect(result.tornDown).toBe(true);
    const junit = junitXml(result);
    expect(junit).toMatch(new RegExp(`<testcase classname="e2e.phases" name="${phase}" time="[0-9.]+"><failure type="timeout" message="${stall} timeout: phase ${phase} did not finish within 0 s"/>`));
    expect(junit).toContain('failures="1"');
  }, 60_000);

  it('a failing check (no pod-to-pod traffic) fails the run with that JUnit entry, diagnostics and teardown', async () => {
    const { deps, world: w } = await start({ failNetcheck: true });
    const result = await runE2e(await plan('netfail'), deps, { csoManifest });
    expect(w.violations()).toEqual([]);
    expect(result).toMatchObject({ ok: false, failedPhase: 'checks', tornDown: true });
    expect(result.checks.find((c) => c.id === 'network')).toMatchObject({ status: 'failed', message: expect.stringContaining('BackoffLimitExceeded') });
    expect(junitXml(result)).toContain('<testcase classname="e2e.checks" name="pod-to-pod traffic across nodes and service DNS" time="0"><failure type="check"');
    expect(result.diagnostics).toContain('diagnostics/logs/capi-system/capi-controller-manager-6f7d8c9b5-xyz12.log');
  }, 60_000);

  it.each([['kind create', 'management'], ['clusterctl init', 'management']])('%s failing still tears down', async (failing, phase) => {
    const { rec, deps } = await start({}, { failing: [failing] });
    const result = await runE2e(await plan(`tool-${failing.replace(' ', '-')}`), deps, { csoManifest });
    expect(result).toMatchObject({ ok: false, failedPhase: phase });
    expect(result.steps.find((s) => s.status === 'failed')?.message).toMatch(/TOOL_FAILED/);
    if (failing === 'kind create') expect(result.steps.filter((s) => s.phase === 'diagnostics').map((s) => s.status)).toEqual(['ok', 'skipped', 'skipped']);
    expect(rec.calls.at(-1)).toMatch(/^kind delete cluster/);
  }, 60_000);

  it('SIGTERM (the CLI aborts the signal) stops the current step and still tears down', async () => {
    const { rec, deps, world: w } = await start({ stall: 'control-plane-ready' });
    const controller = new AbortController();
    const running = runE2e(await plan('sigterm'), { ...deps, signal: controller.signal }, { csoManifest });
    while (!w.management.requests.some((r) => r.startsWith('GET /apis/cluster.x-k8s.io/v1beta1/namespaces/cluster/clusters/demo'))) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('SIGTERM received'));
    const result = await running;
    expect(result).toMatchObject({ ok: false, aborted: 'SIGTERM received', failedPhase: 'cluster', tornDown: true });
    expect(result.steps.find((s) => s.status === 'aborted')).toMatchObject({ id: 'control-plane-ready' });
    expect(result.steps.filter((s) => s.phase === 'teardown').map((s) => `${s.id}:${s.status}`)).toEqual(['teardown-cluster-delete:ok', 'teardown-kind-delete:ok']);
    expect(rec.calls.at(-1)).toMatch(/^kind delete cluster/);
    expect(w.management.get('cluster.x-k8s.io/v1beta1', 'Cluster', 'cluster', 'demo')).toBeUndefined();
  }, 60_000);

  it('a SIGTERM during clusterctl init reaches the process through its signal', async () => {
    const { rec, deps } = await start({}, { hang: ['clusterctl init'] });
    const controller = new AbortController();
    const running = runE2e(await plan('sigterm-tool'), { ...deps, signal: controller.signal }, { csoManifest });
    while (rec.calls.length < 2) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('SIGTERM received'));
    const result = await running;
    expect(rec.signals[1]?.aborted).toBe(true);
    expect(result.steps.find((s) => s.id === 'clusterctl-init')?.status).toBe('aborted');
    expect(rec.calls.at(-1)).toMatch(/^kind delete cluster/);
  }, 60_000);

  it('waits wake on watch events, not on the poll interval', async () => {
    const { deps, world: w } = await start({ delayMs: 50 });
    const started = Date.now();
    const result = await runE2e(await plan('watch'), { ...deps, pollMs: 600_000 }, { csoManifest });
    expect(w.violations()).toEqual([]);
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(w.management.requests.filter((r) => r.includes('watch=true')).length).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('--keep skips teardown', async () => {
    const { rec, deps } = await start();
    const result = await runE2e(await plan('keep', { keep: true }), deps, { csoManifest });
    expect(result.ok).toBe(true);
    expect(result.tornDown).toBe(false);
    expect(rec.calls.some((c) => c.startsWith('kind delete'))).toBe(false);
  }, 60_000);
});
