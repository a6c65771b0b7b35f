/**
 * `csp upstream check|bump` on every stack of stacks/ and on copies of both SCS fixtures, against a
 * loopback upstream (dl.k8s.io, chart indexes, OSISM checksums) and a real docker-registry (kindest/node).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { runCli } from '../testing/cli.js';
import { pushTags } from '../testing/registry/push-tags.js';
import { startFakeGithub, type FakeGithub } from '../testing/github-fake/server.js';
import { startRegistry, type TestRegistry } from '../testing/registry/start-registry.js';
import { startUpstream, type FakeUpstream } from '../testing/upstream.js';
import { currentState, newerState } from './__fixtures__/world.js';

let registry: TestRegistry;
let github: FakeGithub;
let upstream: FakeUpstream;
let work: string;

const STACKS = ['stacks/docker/scs', 'stacks/hcloud/scs', 'stacks/openstack/scs', 'scs/openstack/scs', 'scs/docker/scs'];

beforeAll(async () => {
  [registry, upstream, github] = await Promise.all([startRegistry({ auth: 'none' }), startUpstream(), startFakeGithub({ token: 'unused-token-0123456789', repos: ['kubernetes-sigs/cluster-api'] })]);
  for (const tag of ['v1.10.4', 'v1.10.6', 'v1.11.0-rc.1']) github.store.seedRelease({ owner: 'kubernetes-sigs', repo: 'cluster-api', tagName: tag, prerelease: tag.includes('rc') });
  // kind images of exactly the pinned versions (the "current" world) and of newer patches too.
  await pushTags(registry.url, 'current/node', ['v1.30.13', 'v1.31.9', 'v1.32.5']);
  await pushTags(registry.url, 'current-fixture/node', ['v1.30.10']);
  await pushTags(registry.url, 'kindest/node', ['v1.30.10', 'v1.30.13', 'v1.31.9', 'v1.31.14', 'v1.32.5', 'v1.32.8', 'latest']);
}, 60_000);

afterAll(async () => {
  await Promise.all([registry?.stop(), upstream?.close(), github?.close()]);
});

async function freshCopy(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-upstream-'));
  await fs.cp(path.join(repoRoot, 'stacks'), path.join(dir, 'stacks'), { recursive: true });
  await fs.cp(scsStacksDir, path.join(dir, 'scs'), { recursive: true });
  return dir;
}

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), await fs.readFile(file));
  }
  return out;
}

/** Changed lines per file: "old" → "new". */
function changedLines(before: Map<string, Buffer>, after: Map<string, Buffer>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [file, bytes] of after) {
    const old = before.get(file);
    if (old && old.equals(bytes)) continue;
    const a = (old ?? Buffer.alloc(0)).toString('utf8').split('\n');
    const b = bytes.toString('utf8').split('\n');
    out[file] = b.flatMap((line, i) => (line === a[i] ? [] : [`${a[i]?.trim()} => ${line.trim()}`]));
  }
  return out;
}

function args(sub: string, extra: string[] = [], stacks = STACKS, kind = 'kindest/node'): string[] {
  const mirrors = { ...upstream.mirrors(), 'https://registry-1.docker.io/': `${registry.url}/`, 'https://registry-1.docker.io/v2/kindest/node/': `${registry.url}/v2/${kind}/` };
  return ['upstream', sub, ...stacks, ...Object.entries(mirrors).flatMap(([from, to]) => ['--mirror', `${from}=${to}`]), '--upstream-cache', path.join(work, '.cache'), ...extra];
}

const env = (): Record<string, string> => ({ GITHUB_API_URL: github.apiUrl });

describe('csp upstream against the loopback upstream (integration)', () => {
  it('a bump to the versions already present leaves every file of stacks/ and both SCS fixtures byte-identical', async () => {
    work = await freshCopy();
    const before = await snapshot(work);
    // The SCS docker fixture pins 1.30.10 where the openstack fixture pins 1.30.13: two upstream states.
    for (const [stacks, stable, kind] of [[STACKS.filter((s) => s !== 'scs/docker/scs'), {}, 'current/node'], [['scs/docker/scs'], { '1.30': 'v1.30.10\n' }, 'current-fixture/node']] as const) {
      const state = currentState();
      Object.assign(upstream.state, { ...state, stable: { ...state.stable, ...stable }, faults: {} });
      const run = await runCli(args('bump', ['--json'], [...stacks], kind), work, env());
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as { updates: boolean; diff: string; stacks: { targets: { line: string; update: boolean }[] }[] };
      expect(result.stacks.flatMap((s) => s.targets.filter((t) => t.update).map((t) => t.line))).toEqual([]);
      expect(result.updates).toBe(false);
      expect(result.diff).toBe('');
    }
    const after = await snapshot(work);
    for (const k of [...after.keys()]) if (k.startsWith('.cache')) after.delete(k);
    expect(changedLines(before, after)).toEqual({});
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  }, 60_000);

  it('with newer patches announced, check reports each component with reasons and bump changes exactly the expected lines', async () => {
    work = await freshCopy();
    Object.assign(upstream.state, { ...newerState(), faults: {} });
    const check = await runCli(args('check', ['--json']), work, env());
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const report = JSON.parse(check.stdout) as { updates: boolean; stacks: { stack: string; targets: { line: string; proposal?: boolean; components: { name: string; current: string; allowed: string; newest?: string; rejected: { version: string; reason: string }[] }[] }[] }[] };
    expect(report.updates).toBe(true);
    const ours = report.stacks.find((s) => s.stack === 'stacks/openstack/scs')!;
    const line132 = ours.targets.find((t) => t.line === 'openstack/scs/1.32')!;
    const cilium = line132.components.find((c) => c.name === 'cilium')!;
    expect(cilium).toMatchObject({ current: '1.17.4', allowed: '1.17.7', newest: '1.18.2' });
    expect(cilium.rejected.map((r) => `${r.version} ${r.reason}`)).toEqual(['1.18.2 outside-range', '1.17.9-pre.1 pre-release', '1.17.8 removed']);
    const ms = line132.components.find((c) => c.name === 'metrics-server')!;
    expect(ms.rejected.map((r) => `${r.version} ${r.reason}`)).toEqual(['3.13.0 outside-range', '3.12.3 kube-version-mismatch']);
    expect(ours.targets.find((t) => t.line === 'openstack/scs/1.33')).toMatchObject({ proposal: true });
    const docker = report.stacks.find((s) => s.stack === 'stacks/docker/scs')!;
    const dk132 = docker.targets.find((t) => t.line === 'docker/scs/1.32')!.components.find((c) => c.name === 'kubernetes')!;
    expect(dk132).toMatchObject({ current: '1.32.5', allowed: '1.32.8' });
    expect(dk132.rejected).toEqual([expect.objectContaining({ version: '1.32.14', reason: 'no-node-image' })]);
    expect((report.stacks[0] as unknown as { notes: string[] }).notes).toEqual(
      expect.arrayContaining([
        'Kubernetes 1.31 reached end of life on 2025-10-28: no new patch releases for that minor',
        expect.stringMatching(/^cluster-api: v1\.10\.4 → v1\.10\.6 available \(kubernetes-sigs\/cluster-api, .*\); watched only, not edited$/),
      ]),
    );
    expect(github.violations).toEqual([]);

    const before = await snapshot(work);
    const bump = await runCli(args('bump'), work, env());
    expect(bump.code, bump.stderr).toBeLessThan(2);
    const after = await snapshot(work);
    for (const k of [...after.keys()]) if (k.startsWith('.cache')) after.delete(k);
    expect(changedLines(before, after)).toEqual({
      'stacks/docker/scs/cluster-addon/cni/Chart.lock': ['version: 1.17.4 => version: 1.17.7', expect.stringMatching(/^digest: sha256:\w+ => digest: sha256:\w+$/)],
      'stacks/docker/scs/cluster-addon/cni/Chart.yaml': ['version: 1.17.4 => version: 1.17.7'],
      'stacks/docker/scs/versions.yaml': ['- kubernetes: 1.31.9 => - kubernetes: 1.31.14', '- kubernetes: 1.32.5 => - kubernetes: 1.32.8'],
      'stacks/docker/scs/csctl.yaml': ['kubernetesVersion: v1.32.5 => kubernetesVersion: v1.32.8'],
      'scs/docker/scs/csctl.yaml': ['kubernetesVersion: v1.30.10 => kubernetesVersion: v1.30.13'],
      'stacks/hcloud/scs/cluster-addon/ccm/Chart.lock': ['version: 1.35.0 => version: 1.35.2', expect.stringMatching(/^digest: /)],
      'stacks/hcloud/scs/cluster-addon/ccm/Chart.yaml': ['version: 1.35.0 => version: 1.35.2'],
      'stacks/hcloud/scs/cluster-addon/cni/Chart.lock': ['version: 1.17.4 => version: 1.17.7', expect.stringMatching(/^digest: /)],
      'stacks/hcloud/scs/cluster-addon/cni/Chart.yaml': ['version: 1.17.4 => version: 1.17.7'],
      'stacks/hcloud/scs/cluster-addon/csi/Chart.lock': ['version: 2.22.1 => version: 2.22.3', expect.stringMatching(/^digest: /)],
      'stacks/hcloud/scs/cluster-addon/csi/Chart.yaml': ['version: 2.22.1 => version: 2.22.3'],
      'stacks/hcloud/scs/csctl.yaml': ['kubernetesVersion: v1.32.5 => kubernetesVersion: v1.32.14'],
      'stacks/hcloud/scs/versions.yaml': ['- kubernetes: 1.31.9 => - kubernetes: 1.31.14', '- kubernetes: 1.32.5 => - kubernetes: 1.32.14'],
      'stacks/openstack/scs/cluster-addon/ccm/Chart.lock': ['version: 2.32.0 => version: 2.32.3', expect.stringMatching(/^digest: /)],
      'stacks/openstack/scs/cluster-addon/ccm/Chart.yaml': ['version: 2.32.0 => version: 2.32.3'],
      'stacks/openstack/scs/cluster-addon/cni/Chart.lock': ['version: 1.17.4 => version: 1.17.7', expect.stringMatching(/^digest: /)],
      'stacks/openstack/scs/cluster-addon/cni/Chart.yaml': ['version: 1.17.4 => version: 1.17.7'],
      'stacks/openstack/scs/cluster-addon/csi/Chart.lock': ['version: 2.32.0 => version: 2.32.2', expect.stringMatching(/^digest: /)],
      'stacks/openstack/scs/cluster-addon/csi/Chart.yaml': ['version: 2.32.0 => version: 2.32.2'],
      'stacks/openstack/scs/csctl.yaml': ['kubernetesVersion: v1.32.5 => kubernetesVersion: v1.32.14'],
      'stacks/openstack/scs/versions.yaml': [
        '- kubernetes: 1.31.9 => - kubernetes: 1.31.14',
        'openstack-cloud-controller-manager: 2.31.3 => openstack-cloud-controller-manager: 2.31.5',
        '- kubernetes: 1.32.5 => - kubernetes: 1.32.14',
        'openstack-cloud-controller-manager: 2.32.0 => openstack-cloud-controller-manager: 2.32.3',
        'openstack-cinder-csi: 2.32.0 => openstack-cinder-csi: 2.32.2',
      ],
      'scs/openstack/scs/versions.yaml': [
        '- kubernetes: 1.30.13 => - kubernetes: 1.30.14',
        'occm: 2.30.5 => occm: 2.30.6',
        '- kubernetes: 1.31.9 => - kubernetes: 1.31.14',
        'occm: 2.31.3 => occm: 2.31.5',
        '- kubernetes: 1.32.5 => - kubernetes: 1.32.14',
        'cinder_csi: 2.32.0 => cinder_csi: 2.32.2',
        'occm: 2.32.0 => occm: 2.32.3',
      ],
      'scs/openstack/scs/csctl.yaml': ['kubernetesVersion: v1.32.5 => kubernetesVersion: v1.32.14'],
      'scs/openstack/scs/cluster-class/templates/image.yaml': [expect.stringMatching(/^value: 8bfad5cb\w+ => value: c0ffee0+$/), expect.stringMatching(/^url: .*v1\.32\.5\.qcow2 => url: .*ubuntu-2204-kube-v1\.32\/ubuntu-2204-kube-v1\.32\.14\.qcow2$/)],
      'scs/openstack/scs/cluster-class/values.yaml': ['name: ubuntu-capi-image-v1.32.5 => name: ubuntu-capi-image-v1.32.14', 'name: ubuntu-capi-image-v1.32.5 => name: ubuntu-capi-image-v1.32.14'],
      'scs/openstack/scs/cluster-addon/ccm/Chart.yaml': ['version: 2.32.0 => version: 2.32.3'],
      'scs/openstack/scs/cluster-addon/ccm/Chart.lock': ['version: 2.32.0 => version: 2.32.3', expect.stringMatching(/^digest: /)],
      'scs/openstack/scs/cluster-addon/csi/Chart.yaml': ['version: 2.32.0 => version: 2.32.2'],
      'scs/openstack/scs/cluster-addon/csi/Chart.lock': ['version: 2.32.0 => version: 2.32.2', expect.stringMatching(/^digest: /)],
      'scs/openstack/scs/cluster-addon/cni/Chart.yaml': ['version: 1.17.4 => version: 1.17.7'],
      'scs/openstack/scs/cluster-addon/cni/Chart.lock': ['version: 1.17.4 => version: 1.17.7', expect.stringMatching(/^digest: /)],
      'scs/docker/scs/cluster-addon/cni/Chart.yaml': ['version: 1.16.6 => version: 1.16.15'],
      'scs/docker/scs/cluster-addon/cni/Chart.lock': ['version: 1.16.6 => version: 1.16.15', expect.stringMatching(/^digest: /)],
    });
  }, 90_000);
});
