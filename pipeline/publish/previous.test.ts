/**
 * `--previous-from`: the previous release of a line read from a real docker-registry and from the fake GitHub
 * when releases/ has none, giving the same versions as the ledger would; unreachable sources exit 2.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../cli/build.js';
import { planCommand } from '../cli/plan.js';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { publishGithubRelease } from './github/index.js';
import { openRepository } from './oci/repository.js';
import { captureLog } from '../testing/github-fake/harness.js';
import { startFakeGithub, type FakeGithub } from '../testing/github-fake/server.js';
import { repoRoot } from '../testing/paths.js';
import { sampleArtifact } from './oci/__fixtures__/sample-artifact.js';
import { freePort, startRegistry, type TestRegistry } from '../testing/registry/start-registry.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, fixtureChartCache, listTree, tempDir } from '../testing/workspace.js';
import { latestReleaseName, parsePreviousSource, type PreviousSource } from './previous.js';
import type { TargetPlan } from '../release/index.js';

const line = { provider: 'docker', stack: 'scs', major: 1, minor: 32, channel: 'stable' };

describe('latestReleaseName', () => {
  it.each<[string, string[], string | undefined, string | undefined]>([
    ['none of the line', ['docker-scs-1-31-v4', 'openstack-scs-1-32-v2', 'latest'], undefined, undefined],
    ['major numerically (v10 > v9)', ['docker-scs-1-32-v9', 'docker-scs-1-32-v10', 'docker-scs-1-32-v2'], undefined, 'docker-scs-1-32-v10'],
    ['other channels and unparsable names skipped', ['docker-scs-1-32-v1', 'docker-scs-1-32-v0-sha-abcdefg', 'docker-scs-1-32-v7-x', 'sha256-0a1b'], undefined, 'docker-scs-1-32-v1'],
    ['the exact name wins when present', ['docker-scs-1-32-v1', 'docker-scs-1-32-v2'], 'docker-scs-1-32-v1', 'docker-scs-1-32-v1'],
    ['latest when the exact name is absent', ['docker-scs-1-32-v1', 'docker-scs-1-32-v2'], 'docker-scs-1-32-v5', 'docker-scs-1-32-v2'],
  ])('%s', (_name, names, exact, expected) => {
    expect(latestReleaseName(names, line, exact)).toBe(expected);
  });
});

describe('parsePreviousSource', () => {
  it.each<[string, PreviousSource]>([
    ['oci://127.0.0.1:5000/stacks', { kind: 'oci', registry: '127.0.0.1:5000', repository: 'stacks' }],
    ['oci://registry.scs.community/kaas/cluster-stacks', { kind: 'oci', registry: 'registry.scs.community', repository: 'kaas/cluster-stacks' }],
    ['github:SovereignCloudStack/cluster-stacks', { kind: 'github', owner: 'SovereignCloudStack', repo: 'cluster-stacks' }],
  ])('%s', (text, expected) => {
    expect(parsePreviousSource(text)).toEqual(expected);
  });

  it.each(['oci://127.0.0.1:5000/stacks:docker-scs-1-32-v1', 'github:acme', 'https://github.com/acme/stacks', 'oci://stacks'])('refuses %s (exit 1)', (text) => {
    expect(() => parsePreviousSource(text)).toThrow(expect.objectContaining({ exitCode: 1 }) as Error);
  });
});

const TOKEN = 'ghp_previousFromTestToken00001';

describe('integration: --previous-from an OCI registry and GitHub', () => {
  let cwd: string;
  let cache: string;
  let stack: string;
  let registry: TestRegistry;
  let github: FakeGithub;
  /** What the ledger path decides for the changed stack: the reference for the remote paths. */
  let fromLedger: TargetPlan;
  const releases = ['docker-scs-1-32-v1', 'docker-scs-1-32-v2'];

  const common = () => ['--chart-cache', cache, '--k8s', '1.32'];
  async function plan(args: string[], env: Record<string, string> = {}): Promise<TargetPlan> {
    const r = await runCommand(planCommand, [...common(), '--json', ...args, stack], cwd, env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const targets = (JSON.parse(r.stdout) as { plan: { targets: TargetPlan[] } }).plan.targets;
    expect(targets).toHaveLength(1);
    return targets[0]!;
  }

  beforeAll(async () => {
    cwd = await tempDir();
    cache = await fixtureChartCache(path.join(cwd, 'cache'));
    stack = await copyStack(path.join(repoRoot, 'stacks/docker/scs'), path.join(cwd, 'stacks/docker/scs'));
    [registry, github] = await Promise.all([startRegistry({ auth: 'none' }), startFakeGithub({ token: TOKEN })]);
    // v1 as it is, v2 after an addon change (both recorded in releases/), then a cluster-class-only change.
    const build = (args: string[]) => runCommand(buildCommand, [...common(), '--ledger', 'releases', '--out', 'out', ...args, stack], cwd);
    expect((await build([])).code).toBe(0);
    await fs.appendFile(path.join(stack, 'cluster-addon/cni/values.yaml'), '\n# tuned\n');
    expect((await build([])).code).toBe(0);
    await fs.appendFile(path.join(stack, 'cluster-class/values.yaml'), '\n# class tweak\n');
    fromLedger = await plan(['--ledger', 'releases']);

    const repo = await openRepository(`${registry.host}/stacks`, { http: createHttp({ retries: 0 }), log: createLog() });
    const conn = { owner: 'acme', repo: 'stacks', baseUrl: github.apiUrl, log: captureLog().log, retryBaseMs: 1, minWriteIntervalMs: 0, token: TOKEN };
    for (const name of releases) {
      const dir = path.join(cwd, 'out', name);
      const files = [
        { name: 'metadata.yaml', mediaType: 'application/vnd.scs.metadata.layer.v1+yaml', bytes: await fs.readFile(path.join(dir, 'metadata.yaml')) },
        { name: 'hashes.json', mediaType: 'application/vnd.scs.hashes.layer.v1+yaml', bytes: await fs.readFile(path.join(dir, 'hashes.json')) },
      ];
      const artifact = sampleArtifact(files);
      expect((await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: name })).status).toBe('pushed');
      await publishGithubRelease({ ...conn, tag: name, files: files.map((f) => ({ name: f.name, path: path.join(dir, f.name) })) });
    }
    // Another line's newer release and a tag CSO cannot parse must not be picked.
    const other = sampleArtifact();
    await repo.publish({ manifest: other.manifest, blobs: other.blobs, tag: 'docker-scs-1-31-v9' });
    await repo.publish({ manifest: other.manifest, blobs: other.blobs, tag: 'latest' });
  });
  afterAll(async () => {
    await Promise.all([registry?.stop(), github?.close()]);
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it('the ledger path decides v3 and keeps the addon and node-image versions', () => {
    expect(fromLedger.previous?.name).toBe('docker-scs-1-32-v2');
    expect(fromLedger.versions.clusterStack).toBe('v3');
    expect(fromLedger.unchanged).toEqual(expect.arrayContaining(['clusterAddon', 'nodeImage']));
  });

  it('with an empty ledger, finds v2 in the registry and decides the same versions', async () => {
    const target = await plan(['--ledger', 'empty', '--previous-from', `oci://${registry.host}/stacks`]);
    expect(target.previous).toEqual({ name: 'docker-scs-1-32-v2', versions: fromLedger.previous?.versions, source: `oci://${registry.host}/stacks:docker-scs-1-32-v2` });
    expect(target.action).toBe('release');
    expect(target.releaseName).toBe('docker-scs-1-32-v3');
    expect(target.versions).toEqual(fromLedger.versions);
    expect(target.why).toEqual(fromLedger.why);
    expect(target.unchanged).toEqual(['clusterAddon', 'nodeImage']);
  });

  it('with an empty ledger, finds v2 on GitHub (anonymously) and decides the same versions', async () => {
    const start = github.requests.length;
    const target = await plan(['--ledger', 'empty', '--previous-from', 'github:acme/stacks'], { GITHUB_API_URL: github.apiUrl });
    expect(target.previous).toEqual({ name: 'docker-scs-1-32-v2', versions: fromLedger.previous?.versions, source: 'github:acme/stacks@docker-scs-1-32-v2' });
    expect(target.versions).toEqual(fromLedger.versions);
    expect(target.unchanged).toEqual(['clusterAddon', 'nodeImage']);
    expect(github.requests.slice(start).every((r) => !r.authorization)).toBe(true);
    expect(github.violations).toEqual([]);
  });

  it('says in the text output where the previous release was read', async () => {
    const r = await runCommand(planCommand, [...common(), '--ledger', 'empty', '--previous-from', `oci://${registry.host}/stacks`, stack], cwd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`release    docker-scs-1-32-v3 (k8s 1.32.5)`);
    expect(r.stdout).toContain(`  previous release read from oci://${registry.host}/stacks:docker-scs-1-32-v2`);
  });

  it('tries sources in order: an empty repository first, then GitHub', async () => {
    const target = await plan(['--ledger', 'empty', '--previous-from', `oci://${registry.host}/empty`, '--previous-from', 'github:acme/stacks'], { GITHUB_API_URL: github.apiUrl });
    expect(target.previous?.source).toBe('github:acme/stacks@docker-scs-1-32-v2');
  });

  it('nothing found anywhere is a first release', async () => {
    const target = await plan(['--ledger', 'empty', '--previous-from', `oci://${registry.host}/empty`]);
    expect(target.previous).toBeUndefined();
    expect(target.versions).toEqual({ clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' });
  });

  it('csp build writes v3 with the kept addon archive', async () => {
    const r = await runCommand(buildCommand, [...common(), '--ledger', 'fresh', '--out', 'out-remote', '--previous-from', `oci://${registry.host}/stacks`, stack], cwd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await listTree(path.join(cwd, 'out-remote', 'docker-scs-1-32-v3'))).toContain(`docker-scs-1-32-cluster-addon-${fromLedger.versions.clusterAddon}.tgz`);
    // A ledger folder csp creates carries the output marker, so no stack walk ever hashes it.
    expect(await listTree(path.join(cwd, 'fresh'))).toEqual(['.csp-output', 'docker-scs-1-32-v3.yaml']);
  });

  it('an unreachable registry exits 2 with the source and line named', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const r = await runCommand(planCommand, [...common(), '--ledger', 'empty', '--previous-from', `oci://${dead}/stacks`, stack], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`PREVIOUS_UNREACHABLE cannot look up the previous release of docker-scs-1-32 in oci://${dead}/stacks: GET http://${dead}/v2/stacks/tags/list failed`));
  });

  it('a line the ledger knows never reaches the sources', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const target = await plan(['--ledger', 'releases', '--previous-from', `oci://${dead}/stacks`]);
    expect(target.versions).toEqual(fromLedger.versions);
    expect(target.previous?.record).toBe(fromLedger.previous?.record);
  });
});
