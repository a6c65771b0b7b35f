import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startChartRepo, type ChartRepo } from '../testing/chart-repo.js';
import { runCli } from '../testing/cli.js';
import { chartsDir, repoRoot, scsStacksDir } from '../testing/paths.js';

const fixtures = path.join(repoRoot, 'pipeline/render/stack/__fixtures__');
let tmp = '';

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-render-cli-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function kinds(text: string): string[] {
  return parseAllDocuments(text).map((d) => String((d.toJS() as { kind?: string } | null)?.kind));
}

describe('csp render', () => {
  it('prints helm-template-style YAML for every target without --out', async () => {
    const { code, stdout } = await runCli(['render', path.join(fixtures, 'tags'), '--version', 'v3'], repoRoot);
    expect(code).toBe(0);
    for (const minor of ['31', '32']) {
      expect(stdout).toContain(`# Source: docker-fixture-1-${minor}-cluster-class/templates/cluster-class.yaml\n`);
      expect(stdout).toContain(`name: docker-fixture-1-${minor}-v3\n`);
    }
    expect(stdout).toContain('# Source: greeter/templates/configmap.yaml\n');
  });

  it('--out with several targets writes OUT/<minor>/cluster-class.yaml and OUT/<minor>/cluster-addon/<name>.yaml', async () => {
    const out = path.join(tmp, 'multi');
    const { code, stdout } = await runCli(['render', path.join(fixtures, 'tags'), '--version', 'v3', '--out', out], repoRoot);
    expect(code).toBe(0);
    const files = (await fs.readdir(out, { recursive: true })).map(String).sort();
    expect(files).toEqual(['.csp-output', '1.31', '1.31/cluster-addon', '1.31/cluster-addon/greeter.yaml', '1.31/cluster-class.yaml', '1.32', '1.32/cluster-addon', '1.32/cluster-addon/greeter.yaml', '1.32/cluster-class.yaml']);
    expect(stdout.split('\n')).toHaveLength(4);
    expect(kinds(await fs.readFile(path.join(out, '1.32/cluster-class.yaml'), 'utf8'))).toEqual(['ClusterClass', 'DockerClusterTemplate']);
  });

  it('--k8s picks one target; --out then writes OUT/cluster-class.yaml; --json summarises', async () => {
    const out = path.join(tmp, 'single');
    const { code, stdout } = await runCli(['render', path.join(fixtures, 'tags'), '--k8s', '1.32', '--version', 'v3', '--out', out, '--json'], repoRoot);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { ok: boolean; written: string[]; targets: { kubernetes: string; clusterClass: { chart: string; objects: number } }[] };
    expect(json.ok).toBe(true);
    expect(json.targets).toEqual([expect.objectContaining({ kubernetes: '1.32', clusterClass: expect.objectContaining({ chart: 'docker-fixture-1-32-cluster-class-v3', objects: 2 }) })]);
    expect(json.written.map((f) => path.relative(path.relative(repoRoot, out), f))).toEqual(['cluster-class.yaml', path.join('cluster-addon', 'greeter.yaml')]);
  });

  it('--out writes all or nothing and never through a link or over foreign files', async () => {
    const stack = path.join(fixtures, 'tags');
    const victim = path.join(tmp, 'victim');
    await fs.mkdir(victim, { recursive: true });
    await fs.writeFile(path.join(victim, 'cluster-class.yaml'), 'precious');
    // A link as the output folder, and a link placed inside an earlier output.
    await fs.symlink(victim, path.join(tmp, 'linked-out'));
    const linked = await runCli(['render', stack, '--k8s', '1.32', '--out', path.join(tmp, 'linked-out')], repoRoot);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toContain('OUT_DIR_LINK');
    const out = path.join(tmp, 'again');
    expect((await runCli(['render', stack, '--k8s', '1.32', '--out', out], repoRoot)).code).toBe(0);
    await fs.rm(path.join(out, 'cluster-class.yaml'));
    await fs.symlink(path.join(victim, 'cluster-class.yaml'), path.join(out, 'cluster-class.yaml'));
    expect((await runCli(['render', stack, '--k8s', '1.32', '--out', out], repoRoot)).code).toBe(0);
    expect((await fs.lstat(path.join(out, 'cluster-class.yaml'))).isSymbolicLink()).toBe(false);
    // A folder of someone else's files is refused, not overwritten.
    const foreign = await runCli(['render', stack, '--k8s', '1.32', '--out', victim], repoRoot);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('OUT_DIR_NOT_EMPTY');
    expect(await fs.readFile(path.join(victim, 'cluster-class.yaml'), 'utf8')).toBe('precious');
    // A failed render leaves no partial output.
    const failed = await runCli(['render', stack, '--k8s', '1.99', '--out', path.join(tmp, 'never')], repoRoot);
    expect(failed.code).toBe(1);
    await expect(fs.stat(path.join(tmp, 'never'))).rejects.toThrow();
  });

  it('--cluster feeds CSO values templating', async () => {
    const file = path.join(tmp, 'cluster.yaml');
    await fs.writeFile(file, 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: from-file\nspec: {}\n');
    const { code, stdout } = await runCli(['render', path.join(fixtures, 'tags'), '--k8s', '1.31', '--cluster', file], repoRoot);
    expect(code).toBe(0);
    expect(stdout).toContain('cluster: "from-file"');
  });

  it.each([
    ['bad-template', 'HELM_TEMPLATE_PARSE_ERROR', ':5 '],
    ['exec-error', 'HELM_TEMPLATE_FAILED', ':6:13 '],
  ])('%s: positioned error, exit 1', async (name, code, position) => {
    const result = await runCli(['render', path.join(fixtures, name)], repoRoot);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`pipeline/render/stack/__fixtures__/${name}/cluster-class/templates/cluster-class.yaml${position}`);
    expect(result.stdout).toContain(code);
  });

  it.each([
    [['render'], 'CLI_BAD_ARGUMENTS'],
    [['render', 'a', 'b'], 'CLI_BAD_ARGUMENTS'],
    [['render', path.join(fixtures, 'tags'), '--k8s', '1.20'], 'RENDER_TARGET_UNKNOWN'],
    [['render', path.join(fixtures, 'tags'), '--cluster', '/nonexistent.yaml'], 'RENDER_CLUSTER_FILE_MISSING'],
  ])('user errors exit 1: %j', async (argv, code) => {
    const result = await runCli(argv, repoRoot);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(code);
  });
});

describe('csp render on the SCS fixtures (vendored charts)', () => {
  it.each([
    ['docker/scs', [], ['cluster-class.yaml', 'cluster-addon/cni.yaml', 'cluster-addon/metrics-server.yaml']],
    ['openstack/scs', ['--k8s', '1.32'], ['cluster-class.yaml', 'cluster-addon/ccm.yaml', 'cluster-addon/cni.yaml', 'cluster-addon/csi.yaml', 'cluster-addon/metrics-server.yaml']],
  ])('%s renders', async (stack, extra, files) => {
    const out = path.join(tmp, 'scs', stack);
    const { code, stdout } = await runCli(['render', path.join(scsStacksDir, stack), ...extra, '--out', out, '--seed', 's'], repoRoot);
    expect(code, stdout).toBe(0);
    for (const f of files) expect((await fs.stat(path.join(out, f))).size).toBeGreaterThan(100);
  }, 120_000);
});

describe('integration: csp render on stacks/ after csp deps against a local chart repository', () => {
  let repo: ChartRepo;
  const cache = () => path.join(tmp, 'cache');
  beforeAll(async () => {
    repo = await startChartRepo(chartsDir);
  });
  afterAll(async () => repo.close());

  it.each([
    ['stacks/docker/scs', ['1.31', '1.32'], ['cni', 'metrics-server']],
    ['stacks/hcloud/scs', ['1.31', '1.32'], ['ccm', 'cni', 'csi', 'metrics-server']],
    ['stacks/openstack/scs', ['1.32'], ['ccm', 'cni', 'csi', 'metrics-server']],
  ])('%s', async (stack, minors, addons) => {
    const mirrors = ['https://helm.cilium.io/', 'https://kubernetes-sigs.github.io/metrics-server/', 'https://charts.hetzner.cloud/', 'https://kubernetes.github.io/cloud-provider-openstack/'].flatMap((m) => ['--mirror', `${m}=${repo.url}`]);
    await runCli(['deps', stack, '--cache', cache(), ...mirrors], repoRoot);
    for (const minor of minors) {
      const out = path.join(tmp, stack, minor);
      const { code, stdout } = await runCli(['render', stack, '--k8s', minor, '--chart-cache', cache(), '--out', out, '--seed', 's'], repoRoot);
      expect(code, stdout).toBe(0);
      const cc = await fs.readFile(path.join(out, 'cluster-class.yaml'), 'utf8');
      expect(cc).toMatch(new RegExp(`name: ${stack.split('/')[1]}-scs-1-${minor.split('.')[1]}-v0-sha\\.[a-z0-9]{7}\\n`));
      for (const a of addons) expect(kinds(await fs.readFile(path.join(out, 'cluster-addon', `${a}.yaml`), 'utf8')).length).toBeGreaterThan(1);
    }
  }, 180_000);
});
