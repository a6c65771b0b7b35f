/**
 * `csp upstream pr` against the fake GitHub (requests and responses checked against @octokit/openapi):
 * one PR per stack line, reruns update instead of duplicating, newer bumps close superseded PRs, and a
 * PR a person pushed to is never touched.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { startFakeGithub, type FakeGithub } from '../testing/github-fake/server.js';
import { repoRoot } from '../testing/paths.js';
import { startUpstream, type FakeUpstream } from '../testing/upstream.js';
import { newerState } from './__fixtures__/world.js';

const TOKEN = 'ghs_upstreamTestToken0123456789';
const STACK = 'stacks/openstack/scs';
let github: FakeGithub;
let upstream: FakeUpstream;
let work: string;

beforeAll(async () => {
  [github, upstream] = await Promise.all([startFakeGithub({ token: TOKEN, repos: ['acme/stacks', 'kubernetes-sigs/cluster-api'] }), startUpstream(newerState())]);
  for (const [tag, extra] of [['v1.10.4', {}], ['v1.10.6', {}], ['v1.11.0-rc.1', { prerelease: true }], ['v1.11.0', { draft: true }]] as const) {
    github.store.seedRelease({ owner: 'kubernetes-sigs', repo: 'cluster-api', tagName: tag, ...extra });
  }
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-upstream-pr-'));
  await fs.cp(path.join(repoRoot, STACK), path.join(work, STACK), { recursive: true });
  const files: Record<string, string> = {};
  for (const entry of await fs.readdir(path.join(work, STACK), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(work, path.join(entry.parentPath, entry.name))] = await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8');
  }
  github.store.git.seedBranch('acme/stacks', 'main', files);
}, 60_000);

afterAll(async () => {
  await Promise.all([github?.close(), upstream?.close()]);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

async function pr(): Promise<{ code: number; pulls: { line: string; action: string; number?: number; branch: string; closed: number[]; skipped: number[] }[]; stderr: string }> {
  const mirrors = Object.entries(upstream.mirrors()).flatMap(([from, to]) => ['--mirror', `${from}=${to}`]);
  const run = await runCli(['upstream', 'pr', STACK, '--repo', 'acme/stacks', '--no-cache', '--json', ...mirrors], work, {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: github.apiUrl,
    CSP_GITHUB_WRITE_INTERVAL_MS: '0',
  });
  return { code: run.code, stderr: run.stderr, ...(run.code === 0 ? (JSON.parse(run.stdout) as { pulls: never[] }) : { pulls: [] }) };
}

const open = () => github.store.git.pulls.filter((p) => p.state === 'open').map((p) => `#${p.number} ${p.head}`);

describe('csp upstream pr (integration)', () => {
  it('opens one PR per stack line with the bumped files, a change table and the release impact', async () => {
    const run = await pr();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.pulls.map((p) => `${p.line} ${p.action}`)).toEqual(['openstack/scs/1.31 created', 'openstack/scs/1.32 created', 'openstack/scs/1.33 created']);
    expect(github.violations).toEqual([]);
    // The new minor is a draft for a person: one versions.yaml entry appended with the coupled chart versions.
    const p133 = github.store.git.pulls.find((p) => p.head.includes('1.33'))!;
    expect(p133).toMatchObject({ draft: true, title: 'upstream: openstack/scs/1.33: new Kubernetes minor 1.33.7 (needs review)' });
    expect(p133.body).toContain('widen stack.yaml clusterState.kubernetes ">=1.31.0 <1.33.0"');
    const base = await fs.readFile(path.join(work, STACK, 'versions.yaml'), 'utf8');
    expect(github.store.git.fileAt('acme/stacks', p133.head, `${STACK}/versions.yaml`)).toBe(
      `${base}- kubernetes: 1.33.7\n  openstack-cloud-controller-manager: 2.33.0\n  openstack-cinder-csi: 2.33.1\n`,
    );
    const p132 = github.store.git.pulls.find((p) => p.head.includes('1.32'))!;
    expect(p132.title).toBe('upstream: openstack/scs/1.32: kubernetes 1.32.14, openstack-cloud-controller-manager 2.32.3, cilium 1.17.7, openstack-cinder-csi 2.32.2');
    expect(p132.body).toContain('| kubernetes | 1.32.5 | 1.32.14 | [release](https://github.com/kubernetes/kubernetes/releases/tag/v1.32.14) |');
    expect(p132.body).toContain('- cilium 1.18.2: outside-range');
    expect(p132.body).toMatch(/### Release after merge \(`csp plan`\)\n- openstack-scs-1-32-v\d+ \(Kubernetes 1\.32\.14\)/);
    const versions = github.store.git.fileAt('acme/stacks', p132.head, `${STACK}/versions.yaml`)!;
    expect(versions).toContain('- kubernetes: 1.32.14\n  openstack-cloud-controller-manager: 2.32.3\n  openstack-cinder-csi: 2.32.2');
    expect(versions).toContain('- kubernetes: 1.31.9\n');
    expect(github.store.git.fileAt('acme/stacks', p132.head, `${STACK}/csctl.yaml`)).toContain('kubernetesVersion: v1.32.14');
    const p131 = github.store.git.pulls.find((p) => p.head.includes('1.31'))!;
    expect(github.store.git.fileAt('acme/stacks', p131.head, `${STACK}/csctl.yaml`)).toContain('kubernetesVersion: v1.32.5');
    // Nothing was written locally: the PR flow edits only through the API.
    expect(await fs.readFile(path.join(work, STACK, 'csctl.yaml'), 'utf8')).toContain('v1.32.5');
  }, 60_000);

  it('a rerun with the same upstream updates nothing and opens no second PR', async () => {
    const before = open();
    const run = await pr();
    expect(run.pulls.map((p) => `${p.line} ${p.action}`)).toEqual(['openstack/scs/1.31 unchanged', 'openstack/scs/1.32 unchanged', 'openstack/scs/1.33 unchanged']);
    expect(open()).toEqual(before);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('a newer patch opens a new PR and closes the superseded one; a PR a person pushed to is left alone', async () => {
    const old131 = github.store.git.pulls.find((p) => p.head.includes('1.31') && p.state === 'open')!;
    const old132 = github.store.git.pulls.find((p) => p.head.includes('1.32') && p.state === 'open')!;
    github.store.git.seedBranch('acme/stacks', old131.head, { 'stacks/openstack/scs/README.md': 'my fix\n' }, 'fix the readme by hand');
    upstream.state.stable['1.31'] = 'v1.31.15\n';
    upstream.state.stable['1.32'] = 'v1.32.15\n';
    const run = await pr();
    expect(github.violations).toEqual([]);
    expect(run.stderr).toBe('');
    const byLine = Object.fromEntries(run.pulls.map((p) => [p.line, p]));
    expect(byLine['openstack/scs/1.32']).toMatchObject({ action: 'created', closed: [old132.number], skipped: [] });
    expect(byLine['openstack/scs/1.31']).toMatchObject({ action: 'created', closed: [], skipped: [old131.number] });
    expect(old132.state).toBe('closed');
    expect(github.store.git.refsOf('acme/stacks').has(`refs/heads/${old132.head}`)).toBe(false);
    expect(old131.state).toBe('open');
    expect(github.store.git.fileAt('acme/stacks', old131.head, 'stacks/openstack/scs/README.md')).toBe('my fix\n');
    expect(github.violations).toEqual([]);
  }, 60_000);
});
