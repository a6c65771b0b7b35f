/**
 * Faults: a source down or answering garbage (exit 2, the source named, no file edited), the GitHub
 * fallback for dl.k8s.io, a rate limit with a reset header, and a version that vanishes between check
 * and bump. Loopback upstream and the fake GitHub; never the network.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttp } from '../core/http.js';
import { runCli } from '../testing/cli.js';
import { captureLog } from '../testing/github-fake/harness.js';
import { startFakeGithub, type FakeGithub } from '../testing/github-fake/server.js';
import { repoRoot } from '../testing/paths.js';
import { startUpstream, type FakeUpstream } from '../testing/upstream.js';
import { newerState } from './__fixtures__/world.js';
import { checkUpstream } from './index.js';

const STACK = 'stacks/openstack/scs';
let github: FakeGithub;
let upstream: FakeUpstream;
let work: string;

beforeAll(async () => {
  [github, upstream] = await Promise.all([startFakeGithub({ token: 'unused-token-123456', repos: ['kubernetes/kubernetes', 'kubernetes-sigs/cluster-api'] }), startUpstream()]);
  for (const tag of ['v1.32.5', 'v1.32.9', 'v1.32.10-rc.0', 'v1.31.9', 'v1.31.12']) github.store.git.refsOf('kubernetes/kubernetes').set(`refs/tags/${tag}`, 'a'.repeat(40));
  github.store.seedRelease({ owner: 'kubernetes-sigs', repo: 'cluster-api', tagName: 'v1.10.4' });
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-upstream-faults-'));
});

beforeEach(async () => {
  await fs.rm(path.join(work, 'stacks'), { recursive: true, force: true });
  await fs.cp(path.join(repoRoot, STACK), path.join(work, STACK), { recursive: true });
  Object.assign(upstream.state, { ...newerState(), faults: {} });
  github.setFaults([]);
});

afterAll(async () => {
  await Promise.all([github?.close(), upstream?.close()]);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

async function files(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(path.join(work, STACK), { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.join(e.parentPath, e.name)] = await fs.readFile(path.join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

function cli(sub: string, extra: string[] = []) {
  const mirrors = Object.entries(upstream.mirrors()).flatMap(([from, to]) => ['--mirror', `${from}=${to}`]);
  return runCli(['upstream', sub, STACK, '--upstream-cache', path.join(work, '.cache'), ...mirrors, ...extra], work, { GITHUB_API_URL: github.apiUrl });
}

describe('csp upstream faults (integration)', () => {
  it.each([
    ['a chart repository is down', { '/charts/cilium/': 'down' }, /Helm index https:\/\/helm\.cilium\.io\/: 503/],
    ['a chart repository answers garbage', { '/charts/cpo/': 'garbage' }, /Helm index https:\/\/kubernetes\.github\.io\/cloud-provider-openstack\/.*unusable/],
    ['the Kubernetes release schedule answers garbage', { '/website/': 'garbage' }, /Kubernetes release schedule \(kubernetes\/website schedule\.yaml\): .*unusable \(no schedules list\)/],
    ['a node of the Kubernetes source answers garbage and GitHub has no such repository', { '/release/stable-1.32': 'garbage' }, /Kubernetes 1\.32: .*unusable/],
  ] as const)('%s: exit 2, the source named, no file edited', async (_name, faults, message) => {
    upstream.state.faults = { ...faults };
    if (String(message).includes('Kubernetes')) github.setFaults([{ operationId: 'git/list-matching-refs', times: 10, action: { kind: 'status', status: 404 } }]);
    const before = await files();
    const run = await cli('bump');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(await files()).toEqual(before);
  }, 60_000);

  it('falls back to GitHub matching-refs when dl.k8s.io is down (pre-releases dropped)', async () => {
    upstream.state.faults = { '/release/stable-1.32': 'down' };
    const run = await cli('check', ['--json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { stacks: { targets: { line: string; components: { name: string; allowed: string; rejected: { version: string; reason: string }[] }[] }[] }[] };
    const k8s = report.stacks[0]!.targets.find((t) => t.line === 'openstack/scs/1.32')!.components.find((c) => c.name === 'kubernetes')!;
    expect(k8s.allowed).toBe('1.32.9');
    expect(k8s.rejected.map((r) => `${r.version} ${r.reason}`)).toEqual(['1.32.10-rc.0 pre-release']);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('waits for a near rate-limit reset, and gives up with the reset time when it is far', async () => {
    upstream.state.faults = { '/release/stable-1.31': 'down' };
    const { log } = captureLog();
    const slept: number[] = [];
    const input = { stackDirs: [path.join(work, STACK)], cwd: work, mirrors: upstream.mirrors(), githubApi: github.apiUrl };
    github.setFaults([{ operationId: 'git/list-matching-refs', action: { kind: 'status', status: 403, message: 'API rate limit exceeded', rateLimitRemaining: 0 } }]);
    const deps = { http: createHttp({ retries: 0 }), log, now: () => new Date(), sleep: async (ms: number) => void slept.push(ms) };
    const result = await checkUpstream({ ...input, maxRateLimitWaitMs: 5_000 }, deps);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeLessThanOrEqual(2_000);
    expect(result.stacks[0]!.targets.find((t) => t.line === 'openstack/scs/1.31')!.kubernetes).toBe('1.31.12');
    github.setFaults([{ operationId: 'git/list-matching-refs', times: 10, action: { kind: 'status', status: 429, retryAfter: '3600' } }]);
    const failed = await checkUpstream({ ...input, maxRateLimitWaitMs: 5_000 }, deps).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'UPSTREAM_SOURCE_FAILED', exitCode: 2 });
    expect(String((failed as Error).message)).toMatch(/GitHub rate limit reached, resets in 3600 s/);
    expect(slept).toHaveLength(1);
  }, 60_000);

  it('prints a human report, refuses a missing subcommand (exit 1) and has --help', async () => {
    const run = await cli('check');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('update   openstack/scs/1.32');
    expect(run.stdout).toMatch(/^ {2}kubernetes +1\.32\.5 → 1\.32\.14$/m);
    expect(run.stdout).toMatch(/^ {4}cilium 1\.18\.2: outside-range: outside the allowed range ~1\.17$/m);
    expect(run.stdout).toContain('proposal openstack/scs/1.33 (new minor 1.33.7: needs a person)');
    expect(run.stdout).toMatch(/^updates available \(\d+ requests, \d+ answered 304\)$/m);
    const before = await files();
    const dry = await cli('bump', ['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('--- a/stacks/openstack/scs/csctl.yaml\n+++ b/stacks/openstack/scs/csctl.yaml\n@@ -1,6 +1,6 @@');
    expect(dry.stdout).toContain('-  kubernetesVersion: v1.32.5\n+  kubernetesVersion: v1.32.14');
    expect(dry.stdout).toContain('8 files would change (dry run)');
    expect(await files()).toEqual(before);
    const missing = await runCli(['upstream'], work);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('CLI_UPSTREAM_SUBCOMMAND');
    const help = await runCli(['upstream', '--help'], work);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: csp upstream check|bump|pr');
  }, 60_000);

  it('a version that vanishes between check and bump is not written', async () => {
    const check = await cli('check', ['--json']);
    expect(check.stdout).toContain('"allowed": "1.17.7"');
    upstream.state.repos.cilium!.cilium = upstream.state.repos.cilium!.cilium!.filter((v) => v.version !== '1.17.7');
    const bump = await cli('bump', ['--json']);
    expect(bump.code).toBeLessThan(2);
    expect(await fs.readFile(path.join(work, STACK, 'cluster-addon/cni/Chart.yaml'), 'utf8')).toContain('version: 1.17.4');
    expect(await fs.readFile(path.join(work, STACK, 'csctl.yaml'), 'utf8')).toContain('v1.32.14');
    // The warm cache asked conditionally and got the changed index, not the stale 304 answer.
    expect(upstream.requests.filter((r) => r.startsWith('GET /charts/cilium/index.yaml')).at(-1)).toBe('GET /charts/cilium/index.yaml 200');
  }, 60_000);
});
