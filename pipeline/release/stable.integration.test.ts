/** Stable versioning through the ledger on a copy of the SCS openstack stack, and every refusal of bad input. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../cli/build.js';
import { planCommand } from '../cli/plan.js';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, fixtureChartCache, listTree, tempDir } from '../testing/workspace.js';
import type { TargetPlan } from './types.js';

let work: string;
let cache: string;

beforeAll(async () => {
  work = await tempDir();
  cache = await fixtureChartCache(path.join(work, 'cache'));
});
afterAll(() => fs.rm(work, { recursive: true, force: true }));

const common = (): string[] => ['--chart-cache', cache, '--ledger', 'releases'];
const build = (cwd: string, args: string[]) => runCommand(buildCommand, [...common(), '--out', 'out', ...args], cwd);
async function plan(cwd: string, args: string[]): Promise<TargetPlan[]> {
  const r = await runCommand(planCommand, [...common(), '--json', ...args], cwd);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { plan: { targets: TargetPlan[] } }).plan.targets;
}

describe('integration: stable mode over the SCS openstack stack', () => {
  let cwd: string;
  let stack: string;
  beforeAll(async () => {
    cwd = await tempDir();
    stack = await copyStack(path.join(scsStacksDir, 'openstack/scs'), path.join(cwd, 'stacks/openstack/scs'));
  });
  afterAll(() => fs.rm(cwd, { recursive: true, force: true }));

  it('releases v1 first, then has nothing to release', async () => {
    const first = await build(cwd, ['--k8s', '1.32', stack]);
    expect(first.code).toBe(0);
    expect(await fs.readdir(path.join(cwd, 'out', 'openstack-scs-1-32-v1'))).toContain('openstack-scs-1-32-cluster-addon-v1.tgz');
    const before = await listTree(path.join(cwd, 'out'));
    const second = await build(cwd, ['--k8s', '1.32', stack]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/openstack-scs-1-32-v1 \(k8s 1\.32\.5\): nothing to release/);
    expect(await listTree(path.join(cwd, 'out'))).toEqual(before);
  });

  it('an addon values change moves clusterStack and clusterAddon only, naming the file', async () => {
    const file = path.join(stack, 'cluster-addon/ccm/values.yaml');
    await fs.appendFile(file, '\n# tuned\n');
    const [target] = await plan(cwd, ['--k8s', '1.32', stack]);
    expect(target?.action).toBe('release');
    expect(target?.versions).toEqual({ clusterStack: 'v2', clusterAddon: 'v2', nodeImage: 'v1' });
    expect(target?.changedFiles).toEqual({ clusterAddon: { added: [], removed: [], modified: ['cluster-addon/ccm/values.yaml'] } });
    expect(target?.unchanged).toEqual(['clusterClass', 'nodeImage', 'stack']);
    const r = await build(cwd, ['--k8s', '1.32', stack]);
    expect(r.code).toBe(0);
    expect((await fs.readdir(path.join(cwd, 'out', 'openstack-scs-1-32-v2'))).sort()).toContain('openstack-scs-1-32-cluster-addon-v2.tgz');
  });

  it('a cluster-class-only change is a new stable release that keeps the addon version', async () => {
    await fs.appendFile(path.join(stack, 'cluster-class/values.yaml'), '\n# class tweak\n');
    const [target] = await plan(cwd, ['--k8s', '1.32', stack]);
    expect(target?.versions).toEqual({ clusterStack: 'v3', clusterAddon: 'v2', nodeImage: 'v1' });
    expect(Object.keys(target?.changedFiles ?? {})).toEqual(['clusterClass']);
    const r = await build(cwd, ['--k8s', '1.32', stack]);
    expect(r.code).toBe(0);
    expect(await fs.readdir(path.join(cwd, 'out', 'openstack-scs-1-32-v3'))).toContain('openstack-scs-1-32-cluster-addon-v2.tgz');
  });
});

interface BadCase {
  name: string;
  /** Prepares the stack copy and returns the arguments after the common ones. */
  setup(stack: string, cwd: string): Promise<string[]>;
  code: string;
  /** Expected location file suffix and whether a line is known. */
  where: RegExp;
}

const writeYaml = (file: string, from: string, to: string) => fs.readFile(file, 'utf8').then((t) => fs.writeFile(file, t.replace(from, to)));

const badCases: BadCase[] = [
  {
    name: 'stack name CSO cannot split (dash)',
    setup: async (stack) => {
      await writeYaml(path.join(stack, 'csctl.yaml'), 'clusterStackName: scs', 'clusterStackName: my-scs');
      return [stack];
    },
    code: 'SCHEMA_INVALID',
    where: /csctl\.yaml:3:21 /,
  },
  {
    name: 'provider and name too long for a Helm release name',
    setup: async (stack) => {
      await writeYaml(path.join(stack, 'csctl.yaml'), 'clusterStackName: scs', `clusterStackName: ${'s'.repeat(50)}`);
      return [stack];
    },
    code: 'RELEASE_NAME_TOO_LONG',
    where: /csctl\.yaml:3:21 /,
  },
  {
    name: 'versions.yaml minor whose charts are neither vendored nor cached',
    setup: async (stack) => [stack, '--k8s', '1.30'],
    code: 'BUILD_DEPENDENCY_MISSING',
    where: /versions\.yaml:[23]:\d+ BUILD_DEPENDENCY_MISSING Kubernetes 1\.30\.13 needs chart openstack-/,
  },
  {
    name: 'custom version that is not a cluster-stack version',
    setup: async (stack) => [stack, '--mode', 'custom', '--cluster-stack-version', '1.0.0', '--cluster-addon-version', 'v1', '--node-image-version', 'v1'],
    code: 'VERSION_INVALID',
    where: /versions\.yaml:\d+:\d+/,
  },
  {
    name: 'ClusterClass not named <release>-<chart version>',
    setup: async (stack) => {
      await writeYaml(path.join(stack, 'cluster-class/templates/cluster-class.yaml'), 'name: {{ .Release.Name }}-{{ .Chart.Version }}', 'name: my-class');
      return [stack, '--k8s', '1.32'];
    },
    code: 'CLUSTER_CLASS_NAME',
    where: /cluster-class\/templates\/cluster-class\.yaml:4:3 /,
  },
  {
    name: 'rendered ClusterClass name differs (metadata before kind hides it from the static check)',
    setup: async (stack) => {
      await writeYaml(path.join(stack, 'cluster-class/templates/cluster-class.yaml'), 'kind: ClusterClass\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Version }}\n', 'metadata:\n  name: {{ .Release.Name }}-cc\nkind: ClusterClass\n');
      return [stack, '--k8s', '1.32'];
    },
    code: 'CLUSTER_CLASS_NAME',
    where: /cluster-class\/templates\/cluster-class\.yaml(:\d+)? CLUSTER_CLASS_NAME the rendered ClusterClass is named "openstack-scs-1-32-cc", not openstack-scs-1-32-v1/,
  },
  {
    name: 'cluster-class template that does not render',
    setup: async (stack) => {
      await fs.appendFile(path.join(stack, 'cluster-class/templates/image.yaml'), '\n{{ if }}\n');
      return [stack, '--k8s', '1.32'];
    },
    code: 'HELM_TEMPLATE_PARSE_ERROR',
    where: /cluster-class\/templates\/image\.yaml:32 /,
  },
  {
    name: 'symbolic link in the stack',
    setup: async (stack) => {
      await fs.symlink('values.yaml', path.join(stack, 'cluster-class/linked-values.yaml'));
      return [stack, '--k8s', '1.32'];
    },
    code: 'STACK_SYMLINK',
    where: /cluster-class\/linked-values\.yaml/,
  },
];

describe('integration: bad input is refused before anything is written', () => {
  it.each(badCases)('$name', async (c) => {
    const cwd = await tempDir();
    const stack = await copyStack(path.join(scsStacksDir, 'openstack/scs'), path.join(cwd, 'stacks/openstack/scs'));
    const r = await build(cwd, await c.setup(stack, cwd));
    expect(r.code).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes(` ${c.code} `));
    expect(line, r.stdout + r.stderr).toBeDefined();
    expect(line).toMatch(c.where);
    expect(await listTree(path.join(cwd, 'out'))).toEqual([]);
    expect(await listTree(path.join(cwd, 'releases'))).toEqual([]);
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it('an out folder holding a different bundle under the same name is refused unless --force', async () => {
    const cwd = await tempDir();
    const stack = path.join(repoRoot, 'stacks/docker/scs');
    const dir = path.join(cwd, 'out', 'docker-scs-1-32-v1');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'metadata.yaml'), 'not this bundle\n');
    const r = await build(cwd, ['--k8s', '1.32', stack]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BUILD_OUTPUT_EXISTS docker-scs-1-32-v1 already exists/);
    expect(await listTree(path.join(cwd, 'out'))).toEqual(['docker-scs-1-32-v1/metadata.yaml']);
    expect(await fs.readFile(path.join(dir, 'metadata.yaml'), 'utf8')).toBe('not this bundle\n');
    const forced = await build(cwd, ['--k8s', '1.32', '--force', stack]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^replaced +docker-scs-1-32-v1/m);
    expect(await fs.readFile(path.join(dir, 'metadata.yaml'), 'utf8')).toMatch(/clusterStack: v1/);
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it('--dry-run decides and assembles but writes nothing', async () => {
    const cwd = await tempDir();
    const r = await build(cwd, ['--dry-run', '--k8s', '1.32', path.join(repoRoot, 'stacks/docker/scs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would-write/);
    expect(await listTree(cwd)).toEqual([]);
    await fs.rm(cwd, { recursive: true, force: true });
  });
});

describe('integration: the no-op fast path agrees with the full plan', () => {
  it('gives the same decision with and without recorded inputs, and never hides an unbuilt target', async () => {
    const cwd = await tempDir();
    const stack = path.join(repoRoot, 'stacks/docker/scs');
    expect((await build(cwd, ['--k8s', '1.32', stack])).code).toBe(0);
    const fast = await plan(cwd, [stack]);
    expect(fast.map((t) => [t.releaseName, t.action])).toEqual([['docker-scs-1-31-v1', 'release'], ['docker-scs-1-32-v1', 'none']]);
    expect((await build(cwd, [stack])).code).toBe(0);
    const [fast31, fast32] = await plan(cwd, [stack]);
    // Strip the recorded inputs: the full plan must decide the same.
    for (const file of (await fs.readdir(path.join(cwd, 'releases'))).filter((f) => f.endsWith('.yaml'))) {
      const p = path.join(cwd, 'releases', file);
      const record = JSON.parse(await fs.readFile(p, 'utf8')) as Record<string, unknown>;
      delete record.input;
      await fs.writeFile(p, JSON.stringify(record, null, 2));
    }
    const full = await plan(cwd, [stack]);
    expect(full.map((t) => [t.releaseName, t.action, t.versions])).toEqual([fast31, fast32].map((t) => [t?.releaseName, t?.action, t?.versions]));
    expect(full[0]?.why.clusterStack).toMatch(/every recorded hash matches/);
    expect(fast31?.why.clusterStack).toMatch(/stack folder hashes to/);
    await fs.rm(cwd, { recursive: true, force: true });
  });
});
