/**
 * `csp e2e` on a docker bundle built by `csp build` in a temporary checkout: --dry-run prints every step with its
 * command or API call (text and JSON) and starts nothing; wrong input is refused before any tool runs.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { chartsDir, repoRoot } from '../testing/paths.js';

let dir: string;
let releaseDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'csp-e2e-cli-'));
  await cp(path.join(repoRoot, 'stacks/docker/scs'), path.join(dir, 'stacks/docker/scs'), { recursive: true });
  await cp(path.join(repoRoot, 'stacks/cluster-example.yaml'), path.join(dir, 'stacks/cluster-example.yaml'));
  expect((await runCli(['deps', 'stacks/docker/scs', '--from', chartsDir], dir)).code).toBe(0);
  const built = await runCli(['build', 'stacks/docker/scs', '--k8s', '1.32', '--ledger', 'releases'], dir);
  expect(built.code, built.stderr).toBe(0);
  const name = (await readdir(path.join(dir, 'out'))).find((d) => d.startsWith('docker-scs-1-32-'))!;
  releaseDir = path.join('out', name);
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('csp e2e', () => {
  it('--dry-run prints the full plan of a built docker bundle', async () => {
    const r = await runCli(['e2e', releaseDir, '--dry-run'], dir);
    expect(r.code, r.stderr).toBe(0);
    const name = path.basename(releaseDir);
    expect(r.stdout).toMatch(new RegExp(`^e2e plan for ${name} \\(Kubernetes v1\\.32\\.\\d+, provider docker\\), manifest sha256:[0-9a-f]{64}$`, 'm'));
    for (const id of ['kind-create', 'clusterctl-init', 'cso-install', 'cso-ready', 'clusterstack-apply', 'clusterstackrelease-ready', 'cluster-apply', 'control-plane-ready', 'workload-kubeconfig', 'nodes-ready', 'addons-ready', 'probes-apply', 'probes-ready', 'checks-run', 'diag-clusterctl-describe', 'diag-events', 'diag-controller-logs', 'teardown-cluster-delete', 'teardown-kind-delete']) {
      expect(r.stdout).toContain(`  ${id}: `);
    }
    const work = path.join(dir, '.csp-e2e', name);
    expect(r.stdout).toContain(`$ kind create cluster --name csp-e2e-${name} --image kindest/node:v1.33.1 --config ${work}/kind.yaml --kubeconfig ${work}/management.kubeconfig --wait 180s`);
    expect(r.stdout).toContain(`$ CLUSTER_TOPOLOGY=true EXP_CLUSTER_RESOURCE_SET=true clusterctl init --kubeconfig ${work}/management.kubeconfig --core cluster-api:v1.14.0`);
    expect(r.stdout).toContain(`[management API] WAIT clusterstack.x-k8s.io/v1alpha1 ClusterStackRelease cluster/${name} status.ready == true`);
    expect(r.stdout).toContain(`[management API] POST cluster.x-k8s.io/v1beta1 Cluster cluster/demo (class ${name}, version v1.32.`);
    expect(r.stdout).toContain('[workload API] WAIT v1 Node (all) condition Ready=True, count 5');
    expect(r.stdout).toContain(`$ kind delete cluster --name csp-e2e-${name}`);
    await expect(readdir(path.join(dir, '.csp-e2e'))).rejects.toThrow();
  }, 60_000);

  it('--dry-run --json gives the plan as data, with --conformance adding sonobuoy', async () => {
    const r = await runCli(['e2e', releaseDir, '--dry-run', '--json', '--conformance', '--keep'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { plan: { phases: { name: string; steps: { action: { command?: string; args?: string[] } }[] }[]; keep: boolean; clusterStack: { spec: Record<string, unknown> } } };
    expect(out.plan.phases.map((p) => p.name)).toEqual(['management', 'stack', 'cluster', 'checks', 'conformance']);
    expect(out.plan.phases.at(-1)!.steps[0]!.action).toMatchObject({ command: 'sonobuoy', args: expect.arrayContaining(['--mode', 'quick']) });
    expect(out.plan.keep).toBe(true);
    expect(out.plan.clusterStack.spec).toMatchObject({ provider: 'docker', name: 'scs', kubernetesVersion: '1.32', autoSubscribe: false, noProvider: true });
  }, 60_000);

  it.each([
    [['--provider', 'openstack'], 'E2E_PROVIDER_UNSUPPORTED'],
    [[], 'E2E_CSO_MANIFEST_MISSING'],
    [['--cluster', 'nope.yaml'], 'E2E_CLUSTER_MISSING'],
  ])('%j is refused before any tool runs (%s)', async (extra, code) => {
    const r = await runCli(['e2e', releaseDir, ...extra], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(code);
  });

  it('refuses a folder that is not a release', async () => {
    const r = await runCli(['e2e', 'stacks/docker/scs', '--dry-run'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E2E_BUNDLE_MISSING');
  });
});
