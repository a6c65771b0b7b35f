/**
 * `bin/csp.js e2e` as a real process with stand-in `kind` and `clusterctl` scripts on PATH (they record their
 * arguments) and the loopback API fakes as the clusters: a passing run writes JUnit, the step summary and an
 * attestation that `csp publish` accepts; SIGTERM in the middle of a wait still tears everything down.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assembleRelease, type TestRelease } from '../publish/__fixtures__/release.js';
import { runCli } from '../testing/cli.js';
import { startClusterWorld, type ClusterWorld } from '../testing/kube/world.js';
import { repoRoot } from '../testing/paths.js';

let tmp: string;
let bin: string;
let world: ClusterWorld | undefined;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-e2e-proc-'));
  bin = path.join(tmp, 'bin');
  await fs.mkdir(bin);
  const script = (tool: string, version: string) => [
    '#!/bin/sh',
    `echo "${tool} $*" >> "${tmp}/calls.log"`,
    `if [ "$1" = version ]; then echo "${tool} ${version}"; fi`,
    'while [ $# -gt 0 ]; do',
    `  if [ "$1" = --kubeconfig ] && [ "${tool}" = kind ] && [ ! -f "$2" ]; then cp "${tmp}/management.kubeconfig" "$2"; fi`,
    '  shift',
    'done',
    '',
  ].join('\n');
  await fs.writeFile(path.join(bin, 'kind'), script('kind', 'v0.29.0'), { mode: 0o755 });
  await fs.writeFile(path.join(bin, 'clusterctl'), script('clusterctl', 'v1.14.0'), { mode: 0o755 });
  expect((await runCli(['keys', 'generate', '--out', 'k/release'], tmp)).code).toBe(0);
  return () => fs.rm(tmp, { recursive: true, force: true });
});

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function setUp(name: string, stall?: 'control-plane-ready'): Promise<{ release: TestRelease; w: ClusterWorld; work: string }> {
  const w = (world = await startClusterWorld(stall ? { stall } : {}));
  await fs.writeFile(path.join(tmp, 'management.kubeconfig'), w.management.kubeconfig());
  await fs.rm(path.join(tmp, 'calls.log'), { force: true });
  const release = await assembleRelease(path.join(tmp, name), { releaseName: `docker-scs-1-30-${name}` });
  return { release, w, work: path.join(tmp, 'work', name) };
}

function csp(args: string[]) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'csp.js'), ...args], {
    cwd: tmp, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: tmp, GITHUB_STEP_SUMMARY: path.join(tmp, 'summary.md') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const e2eArgs = (release: TestRelease, work: string) => [
  'e2e', release.releaseDir, '--out', release.outDir, '--work', work, '--cluster', path.join(repoRoot, 'stacks', 'cluster-example.yaml'),
  '--cso-manifest', path.join(repoRoot, 'pipeline', 'e2e', '__fixtures__', 'cso-components.yaml'), '--poll', '0.05',
];

describe('csp e2e as a process', () => {
  it('passes, writes JUnit and the step summary, attests, and publish accepts the bundle', async () => {
    const { release, w, work } = await setUp('v1');
    const run = await csp([...e2eArgs(release, work), '--key', 'k/release.key']).done;
    expect(run.code, run.stderr).toBe(0);
    expect(w.violations()).toEqual([]);
    expect(run.stdout).toMatch(/^passed docker-scs-1-30-v1; JUnit .*junit\.xml; attested sha256:[0-9a-f]{64}$/m);
    expect(await fs.readFile(path.join(work, 'junit.xml'), 'utf8')).toContain('failures="0"');
    expect(await fs.readFile(path.join(tmp, 'summary.md'), 'utf8')).toContain('## csp e2e docker-scs-1-30-v1: passed');
    const calls = (await fs.readFile(path.join(tmp, 'calls.log'), 'utf8')).trim().split('\n');
    expect(calls[0]).toBe('kind version');
    expect(calls.at(-1)).toMatch(/^kind delete cluster --name csp-e2e-docker-scs-1-30-v1/);
    const published = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--to', 'github', 'acme/stacks', '--key', 'k/release.key', '--dry-run', '--ledger', path.join(tmp, 'led')], tmp);
    expect(published.stderr).not.toContain('PUBLISH_E2E_MISSING');
  }, 90_000);

  it('SIGTERM during the control-plane wait stops the run and still tears down', async () => {
    const { release, w, work } = await setUp('v2', 'control-plane-ready');
    const { child, done } = csp([...e2eArgs(release, work), '--json']);
    const deadline = Date.now() + 60_000;
    while (!w.management.requests.some((r) => r.startsWith('GET /apis/cluster.x-k8s.io/v1beta1/namespaces/cluster/clusters/demo')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code, run.stderr.slice(-3000)).toBe(1);
    expect(run.stderr).toContain('SIGTERM received: stopping the current step, then tearing down');
    const result = JSON.parse(run.stdout) as { aborted: string; failedPhase: string; tornDown: boolean };
    expect(result).toMatchObject({ aborted: 'SIGTERM received', failedPhase: 'cluster', tornDown: true });
    const calls = (await fs.readFile(path.join(tmp, 'calls.log'), 'utf8')).trim().split('\n');
    expect(calls.at(-1)).toMatch(/^kind delete cluster --name csp-e2e-docker-scs-1-30-v2/);
    expect(w.management.get('cluster.x-k8s.io/v1beta1', 'Cluster', 'cluster', 'demo')).toBeUndefined();
    expect(await fs.readFile(path.join(work, 'junit.xml'), 'utf8')).toContain('<failure type="aborted"');
  }, 90_000);
});
