import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scsStacksDir } from '../testing/paths.js';
import { loadStack } from './index.js';

const minimal = path.join(import.meta.dirname, '__fixtures__', 'minimal');
const tmpRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-stack-'));
afterAll(() => fs.rm(tmpRoot, { recursive: true, force: true }));

let counter = 0;
/** A fresh copy of the minimal stack at <tmp>/<n>/docker/minimal, so path rules hold. */
async function copyMinimal(): Promise<string> {
  const dir = path.join(tmpRoot, String(counter++), 'docker', 'minimal');
  await fs.cp(minimal, dir, { recursive: true });
  return dir;
}

async function edit(dir: string, rel: string, change: (text: string) => string): Promise<void> {
  const file = path.join(dir, rel);
  await fs.writeFile(file, change(await fs.readFile(file, 'utf8')));
}

describe('loadStack on good stacks', () => {
  it('loads the minimal stack without problems', async () => {
    const dir = await copyMinimal();
    const { stack, issues } = await loadStack(dir, { cwd: path.dirname(path.dirname(dir)) });
    expect(issues).toEqual([]);
    expect(stack?.provider).toBe('docker');
    expect(stack?.name).toBe('minimal');
    expect(stack?.targets.map((t) => [t.version, t.minor, t.charts])).toEqual([
      ['1.31.9', 31, { cilium: '1.17.4' }],
      ['1.32.5', 32, { cilium: '1.17.4' }],
    ]);
    expect(stack?.addons.map((a) => a.addon)).toEqual(['cni', 'metrics-server']);
    expect(stack?.addons[1]?.overwrite).toContain('{{ .Cluster.metadata.name }}');
    expect(stack?.stages.map((s) => `${s.hook}:${s.name}`)).toEqual(['AfterControlPlaneInitialized:cni', 'AfterControlPlaneInitialized:metrics-server']);
    expect(stack?.config?.kubernetesCore.cni.name).toBe('cilium');
    expect(stack?.locations['docker/minimal/stack.yaml#/nodeImage/kernel/minimum']).toEqual({ file: 'docker/minimal/stack.yaml', line: 11, column: 22 });
    expect(JSON.parse(JSON.stringify(stack))).toEqual(stack);
  });

  it.each(['docker/scs', 'openstack/scs'])('loads the SCS fixture %s unchanged, noting the absent stack.yaml', async (rel) => {
    const { stack, issues } = await loadStack(path.join(scsStacksDir, rel), { cwd: scsStacksDir });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.map((i) => i.code)).toContain('STACK_YAML_ABSENT');
    expect(stack?.addonConvention).toBe('new');
    for (const addon of stack?.addons ?? []) {
      for (const dep of addon.dependencies) expect(dep.resolved?.source, `${addon.addon}/${dep.name}`).toBe('vendored');
    }
  });

  it('maps the SCS short names in versions.yaml to chart names', async () => {
    const { stack } = await loadStack(path.join(scsStacksDir, 'openstack/scs'), { cwd: scsStacksDir });
    expect(stack?.targets.map((t) => t.charts['openstack-cloud-controller-manager'])).toEqual(['2.30.5', '2.31.3', '2.32.0']);
  });

  it('reports that the SCS docker fixture ships cluster-addon-values.yaml that CSO ignores', async () => {
    const { issues } = await loadStack(path.join(scsStacksDir, 'docker/scs'), { cwd: scsStacksDir });
    const ignored = issues.find((i) => i.code === 'ADDON_VALUES_IGNORED');
    expect(ignored?.location).toMatchObject({ file: 'docker/scs/cluster-addon-values.yaml', line: 1 });
  });
});

type Mutation = (dir: string) => Promise<void>;
const badInput: [string, Mutation, string, string, number | undefined, number | undefined][] = [
  ['invalid YAML', (d) => edit(d, 'stack.yaml', (t) => t.replace('kind: Stack', 'kind: [Stack')), 'YAML_SYNTAX', 'stack.yaml', 3, 1],
  ['duplicate key', (d) => edit(d, 'csctl.yaml', (t) => `${t}apiVersion: again\n`), 'YAML_DUPLICATE_KEY', 'csctl.yaml', 8, 1],
  ['wrong type', (d) => edit(d, 'stack.yaml', (t) => t.replace('ebpf: true', 'ebpf: "yes"')), 'SCHEMA_WRONG_TYPE', 'stack.yaml', 15, 9],
  ['unknown key', (d) => edit(d, 'stack.yaml', (t) => t.replace('  ebpf: true', '  ebpf: true\n  ebfp: true')), 'SCHEMA_UNKNOWN_KEY', 'stack.yaml', 16, 3],
  ['missing required key', (d) => edit(d, 'stack.yaml', (t) => t.replace('  kubeProxy: true\n', '')), 'SCHEMA_MISSING_KEY', 'stack.yaml', 24, 3],
  ['enum value', (d) => edit(d, 'stack.yaml', (t) => t.replace('bootstrap: kubeadm', 'bootstrap: kops')), 'SCHEMA_INVALID', 'stack.yaml', 17, 14],
  ['missing csctl.yaml', (d) => fs.rm(path.join(d, 'csctl.yaml')), 'FILE_MISSING', '', undefined, undefined],
  ['bad kubernetesVersion', (d) => edit(d, 'csctl.yaml', (t) => t.replace('v1.32.5', 'v1.32')), 'SCHEMA_INVALID', 'csctl.yaml', 3, 22],
  ['chart without Chart.yaml', (d) => fs.rm(path.join(d, 'cluster-addon/cni/Chart.yaml')), 'CHART_YAML_MISSING', 'cluster-addon/cni', undefined, undefined],
  ['cluster-class missing', (d) => fs.rm(path.join(d, 'cluster-class'), { recursive: true }), 'CLUSTER_CLASS_MISSING', '', undefined, undefined],
  ['versions.yaml names an unknown chart', (d) => edit(d, 'versions.yaml', (t) => t.replace('  cilium: 1.17.4\n- kubernetes: 1.32.5', '  calico: 3.29.0\n- kubernetes: 1.32.5')), 'VERSIONS_UNKNOWN_CHART', 'versions.yaml', 2, 3],
  ['versions.yaml duplicate minor', (d) => edit(d, 'versions.yaml', (t) => t.replace('1.31.9', '1.32.1')), 'VERSIONS_DUPLICATE_MINOR', 'versions.yaml', 3, 15],
  ['versions.yaml not a list', (d) => edit(d, 'versions.yaml', () => 'kubernetes: 1.32.5\n'), 'SCHEMA_WRONG_TYPE', 'versions.yaml', 1, 1],
  ['symlink leaving the stack', (d) => fs.symlink('/etc/hostname', path.join(d, 'cluster-class/templates/leak.yaml')), 'LINK_ESCAPES_STACK', 'cluster-class/templates/leak.yaml', undefined, undefined],
  ['file over 10 MiB', (d) => fs.writeFile(path.join(d, 'cluster-class/big.bin'), Buffer.alloc(10 * 1024 * 1024 + 1)), 'FILE_TOO_LARGE', 'cluster-class/big.bin', undefined, undefined],
  ['values.yaml not a map', (d) => edit(d, 'cluster-addon/cni/values.yaml', () => '- a\n- b\n'), 'VALUES_NOT_A_MAP', 'cluster-addon/cni/values.yaml', 1, 1],
  ['overwrite.yaml without values', (d) => edit(d, 'cluster-addon/metrics-server/overwrite.yaml', () => 'value: x\n'), 'SCHEMA_UNKNOWN_KEY', 'cluster-addon/metrics-server/overwrite.yaml', 1, 1],
  ['provider name differs', (d) => edit(d, 'stack.yaml', (t) => t.replace('name: docker', 'name: openstack')), 'STACK_PROVIDER_MISMATCH', 'stack.yaml', 4, 9],
  ['Chart.lock out of date', (d) => fs.writeFile(path.join(d, 'cluster-addon/cni/Chart.lock'), 'dependencies:\n- name: cilium\n  repository: https://helm.cilium.io/\n  version: 1.16.6\ndigest: sha256:00\ngenerated: "2025-01-01T00:00:00Z"\n'), 'CHART_LOCK_STALE', 'cluster-addon/cni/Chart.yaml', 5, 5],
  ['dash in stack name', (d) => edit(d, 'csctl.yaml', (t) => t.replace('clusterStackName: minimal', 'clusterStackName: my-stack')), 'SCHEMA_INVALID', 'csctl.yaml', 4, 21],
];

describe('loadStack on bad input', () => {
  it.each(badInput)('%s → %s at %s:%s:%s', async (_name, mutate, code, file, line, column) => {
    const dir = await copyMinimal();
    await mutate(dir);
    const cwd = path.dirname(path.dirname(dir));
    const { issues } = await loadStack(dir, { cwd });
    const found = issues.find((i) => i.code === code);
    expect(found, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(found?.severity).toBe('error');
    expect(found?.location?.file).toBe(file ? `docker/minimal/${file}` : 'docker/minimal');
    expect(found?.location?.line).toBe(line);
    expect(found?.location?.column).toBe(column);
    if (!['FILE_MISSING', 'LINK_ESCAPES_STACK', 'FILE_TOO_LARGE', 'CLUSTER_CLASS_MISSING', 'CHART_YAML_MISSING', 'YAML_SYNTAX'].includes(code)) {
      expect(found?.hint, 'every rule-like problem carries a fix hint').toBeTruthy();
    }
  });

  it('reports every problem at once, not just the first', async () => {
    const dir = await copyMinimal();
    await edit(dir, 'stack.yaml', (t) => t.replace('ebpf: true', 'ebpf: 1').replace('bootstrap: kubeadm', 'bootstrap: kops'));
    await edit(dir, 'versions.yaml', (t) => t.replace('  cilium: 1.17.4\n- kubernetes: 1.32.5', '  calico: 3.29.0\n- kubernetes: 1.32.5'));
    const { issues } = await loadStack(dir, { cwd: tmpRoot });
    expect(issues.filter((i) => i.severity === 'error').map((i) => i.code).sort()).toEqual(['SCHEMA_INVALID', 'SCHEMA_WRONG_TYPE', 'VERSIONS_UNKNOWN_CHART']);
  });

  it('a clusteraddon.yaml stage without chart folder is a warning naming the stage (CSO skips it)', async () => {
    const dir = await copyMinimal();
    await edit(dir, 'clusteraddon.yaml', (t) => t.replace('- name: cni', '- name: cnii'));
    const { stack, issues } = await loadStack(dir, { cwd: path.dirname(path.dirname(dir)) });
    expect(stack).toBeDefined();
    const found = issues.find((i) => i.code === 'ADDON_STAGE_WITHOUT_CHART');
    expect(found).toMatchObject({ severity: 'warning', location: { file: 'docker/minimal/clusteraddon.yaml', line: 5, column: 13 } });
    expect(found?.message).toContain('stage "cnii"');
  });

  it('an old-convention stack without cluster-addon-values.yaml is refused at cluster-addon/Chart.yaml', async () => {
    const dir = path.join(tmpRoot, String(counter++), 'docker', 'fixture');
    await fs.cp(path.join(import.meta.dirname, '../render/stack/__fixtures__/old-convention'), dir, { recursive: true });
    expect((await loadStack(dir, { cwd: tmpRoot })).issues.filter((i) => i.code === 'ADDON_VALUES_MISSING')).toEqual([]);
    await fs.rm(path.join(dir, 'cluster-addon-values.yaml'));
    const { issues } = await loadStack(dir, { cwd: path.dirname(path.dirname(dir)) });
    expect(issues.find((i) => i.code === 'ADDON_VALUES_MISSING')).toMatchObject({ severity: 'error', location: { file: 'docker/fixture/cluster-addon/Chart.yaml', line: 1, column: 1 } });
  });

  it('reports a missing folder', async () => {
    const { stack, issues } = await loadStack(path.join(tmpRoot, 'nope'), { cwd: tmpRoot });
    expect(stack).toBeUndefined();
    expect(issues[0]?.code).toBe('STACK_NOT_FOUND');
  });
});
