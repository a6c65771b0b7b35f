/** stack.yaml `upstream`: schema errors name file:line:col; defaults for stacks without a policy. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStack } from '../stack/index.js';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { isIgnored, parseAge, resolvePolicy } from './policy.js';

const tmp: string[] = [];
afterAll(async () => {
  for (const dir of tmp) await fs.rm(dir, { recursive: true, force: true });
});

async function stackWith(upstream: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-policy-'));
  tmp.push(dir);
  const stack = path.join(dir, 'stacks/openstack/scs');
  await fs.cp(path.join(repoRoot, 'stacks/openstack/scs'), stack, { recursive: true });
  const text = await fs.readFile(path.join(stack, 'stack.yaml'), 'utf8');
  await fs.writeFile(path.join(stack, 'stack.yaml'), `${text.slice(0, text.indexOf('upstream:'))}${upstream}`);
  return dir;
}

describe('stack.yaml upstream policy', () => {
  it('reports every policy mistake at once, each at its line and column', async () => {
    const dir = await stackWith(['upstream:', '  minimumReleaseAge: three days', '  charts:', '    cilium:', '      rnage: "~1.17"', '  nodeImage:', '    source: s3', '  ignore:', '    - "Cilium@latest"', ''].join('\n'));
    const { issues } = await loadStack('stacks/openstack/scs', { cwd: dir });
    const errors = issues.filter((i) => i.severity === 'error').map((i) => `${i.location?.line}:${i.location?.column} ${i.code}`);
    const base = (await fs.readFile(path.join(dir, 'stacks/openstack/scs/stack.yaml'), 'utf8')).split('\n').indexOf('upstream:') + 1;
    expect(errors).toEqual(expect.arrayContaining([`${base + 1}:22`, `${base + 4}:7`, `${base + 6}:13`, `${base + 8}:7`].map((at) => expect.stringMatching(new RegExp(`^${at} `)))));
    expect(errors).toHaveLength(4);
  });

  it('the policies in stacks/ are valid', async () => {
    for (const p of ['docker', 'hcloud', 'openstack']) {
      const { stack, issues } = await loadStack(`stacks/${p}/scs`, { cwd: repoRoot });
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(stack?.config?.upstream?.minimumReleaseAge).toBe('3d');
    }
  });

  it('defaults without stack.yaml: OpenStack CCM and CSI follow the minor, node images from the ORC image, no minimum age', async () => {
    const { stack } = await loadStack(path.join(scsStacksDir, 'openstack/scs'), { cwd: repoRoot });
    const policy = resolvePolicy(stack!, undefined);
    expect(policy.charts['openstack-cloud-controller-manager']).toEqual({ followKubernetesMinor: true, range: undefined, oci: undefined });
    expect(policy.charts.cilium!.followKubernetesMinor).toBe(false);
    expect(policy.nodeImage).toEqual({ source: 'osism' });
    expect(policy.minimumReleaseAgeMs).toBe(0);
    const docker = (await loadStack(path.join(scsStacksDir, 'docker/scs'), { cwd: repoRoot })).stack!;
    expect(resolvePolicy(docker, undefined).nodeImage).toEqual({ source: 'kindest', repository: 'docker.io/kindest/node' });
  });

  it.each([
    ['3d', 259_200_000],
    ['12h', 43_200_000],
    ['30m', 1_800_000],
    ['3 days', undefined],
  ])('parseAge(%s)', (text, ms) => {
    expect(parseAge(text)).toBe(ms);
  });

  it('ignore entries match a whole component or one version', () => {
    const policy = { ignore: ['metrics-server', 'cilium@1.17.6'] } as Parameters<typeof isIgnored>[0];
    expect([isIgnored(policy, 'metrics-server', '3.12.3'), isIgnored(policy, 'cilium', '1.17.6'), isIgnored(policy, 'cilium', '1.17.7')]).toEqual([true, true, false]);
  });
});
