/**
 * `csp build` and `csp plan` end to end on real stacks, checked against the CSO contract with real tools
 * (tar, gzip, sha256sum) and against csctl's hashes of the same folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildCommand } from '../cli/build.js';
import { planCommand } from '../cli/plan.js';
import { readRecord } from '../ledger/index.js';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { parseClusterClassName, parseReleaseName } from '../version/index.js';
import { computeStackHashes, parseVersion } from '../version/index.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, fixtureChartCache, listTree, tempDir } from '../testing/workspace.js';
import type { TargetPlan } from './types.js';

let work: string;
let cache: string;

beforeAll(async () => {
  work = await tempDir();
  cache = await fixtureChartCache(path.join(work, 'cache'));
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const sh = (cmd: string, args: string[], cwd?: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8' });

async function build(cwd: string, args: string[], env: Record<string, string> = {}, now?: () => Date) {
  return runCommand(buildCommand, ['--chart-cache', cache, '--out', 'out', '--ledger', 'releases', ...args], cwd, env, now);
}

async function plan(cwd: string, args: string[]): Promise<{ code: number; targets: TargetPlan[]; stdout: string }> {
  const r = await runCommand(planCommand, ['--chart-cache', cache, '--ledger', 'releases', '--json', ...args], cwd);
  return { code: r.code, stdout: r.stdout, targets: (JSON.parse(r.stdout) as { plan: { targets: TargetPlan[] } }).plan.targets };
}

describe('integration: csp build stacks/docker/scs', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await tempDir();
    const r = await build(cwd, [path.join(repoRoot, 'stacks/docker/scs')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  afterAll(() => fs.rm(cwd, { recursive: true, force: true }));

  it.each(['1.31', '1.32'])('writes exactly the CSO asset names for Kubernetes %s', async (minor) => {
    const prefix = `docker-scs-${minor.replace('.', '-')}`;
    const dir = path.join(cwd, 'out', `${prefix}-v1`);
    expect(parseReleaseName(`${prefix}-v1`)).toMatchObject({ provider: 'docker', name: 'scs', version: { major: 1, channel: 'stable' } });
    expect(await fs.readdir(dir).then((l) => l.sort())).toEqual(
      ['SHA256SUMS', 'clusteraddon.yaml', `${prefix}-cluster-addon-v1.tgz`, `${prefix}-cluster-class-v1.tgz`, 'hashes.json', 'metadata.yaml', 'sbom.cdx.json'].sort(),
    );
    const metadata = parseYaml(await fs.readFile(path.join(dir, 'metadata.yaml'), 'utf8')) as { versions: { clusterStack: string; kubernetes: string; components: Record<string, string> } };
    for (const v of [metadata.versions.clusterStack, metadata.versions.components.clusterAddon, metadata.versions.components.nodeImage]) expect(parseVersion(v, 'dot')).toBeDefined();
    expect(metadata.versions.kubernetes).toMatch(new RegExp(`^v${minor.replace('.', '\\.')}\\.\\d+$`));
    // sha256sum checks every asset; gzip and tar read both archives.
    expect(sh('sha256sum', ['-c', 'SHA256SUMS'], dir)).toMatch(/metadata\.yaml: OK/);
    const chart = `${prefix}-cluster-class-v1.tgz`;
    sh('gzip', ['-t', chart], dir);
    const chartYaml = parseYaml(sh('tar', ['-xzOf', chart, `${prefix}-cluster-class/Chart.yaml`], dir)) as { name: string; version: string };
    expect(chartYaml).toMatchObject({ name: `${prefix}-cluster-class`, version: 'v1' });
    expect(parseClusterClassName(`${chartYaml.name.replace(/-cluster-class$/, '')}-${chartYaml.version}`)).toBeDefined();
    const listing = sh('tar', ['-tvzf', `${prefix}-cluster-addon-v1.tgz`], dir).trim().split('\n');
    expect(listing.every((l) => /^[d-]rw/.test(l))).toBe(true); // directories and regular files only
    expect(listing.some((l) => / cni\/charts\/cilium-1\.17\.4\.tgz$/.test(l))).toBe(true);
    expect(listing.some((l) => / metrics-server\/Chart\.yaml$/.test(l))).toBe(true);
    const hashes = JSON.parse(await fs.readFile(path.join(dir, 'hashes.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(hashes)).toEqual(['clusterStack', 'clusterAddonDir', 'clusterAddonValues', 'clusterClassDir']);
    const sbom = JSON.parse(await fs.readFile(path.join(dir, 'sbom.cdx.json'), 'utf8')) as { specVersion: string; components: { type: string; name: string; version: string; hashes?: { content: string }[] }[] };
    expect(sbom.specVersion).toBe('1.5');
    expect(sbom.components.map((c) => `${c.name}@${c.version}`)).toEqual(expect.arrayContaining([`kubernetes@${metadata.versions.kubernetes}`, 'cilium@1.17.4', 'metrics-server@3.12.2', `${prefix}-cluster-class@v1`]));
    // Container images come from the rendered charts; cilium pins digests, metrics-server only a tag.
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'container', name: 'quay.io/cilium/cilium', version: 'v1.17.4', hashes: [{ alg: 'SHA-256', content: expect.stringMatching(/^[0-9a-f]{64}$/) }] }));
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'container', name: 'registry.k8s.io/metrics-server/metrics-server' }));
    const cilium = sbom.components.find((c) => c.name === 'cilium');
    expect(cilium?.hashes?.[0]?.content).toBe(sh('sha256sum', [path.join(cache, 'by-name/cilium/1.17.4.tgz')]).split(' ')[0]);
  });

  it('stores every bundle in an OCI image layout with CSO titles and media types', async () => {
    const layout = path.join(cwd, 'out', 'oci-layout');
    expect(JSON.parse(await fs.readFile(path.join(layout, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(await fs.readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name'])).toEqual(['docker-scs-1-31-v1', 'docker-scs-1-32-v1']);
    const desc = index.manifests[1];
    const manifestBytes = await fs.readFile(path.join(layout, 'blobs/sha256', desc?.digest.slice(7) ?? ''));
    expect(`sha256:${sh('sha256sum', [path.join(layout, 'blobs/sha256', desc?.digest.slice(7) ?? '')]).split(' ')[0]}`).toBe(desc?.digest);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { artifactType: string; layers: { mediaType: string; digest: string; annotations: Record<string, string> }[] };
    expect(manifest.artifactType).toBe('application/vnd.scs.cluster-stacks.v1');
    const byTitle = Object.fromEntries(manifest.layers.map((l) => [l.annotations['org.opencontainers.image.title'], l]));
    expect(byTitle['metadata.yaml']?.mediaType).toBe('application/vnd.scs.metadata.layer.v1+yaml');
    expect(byTitle['docker-scs-1-32-cluster-class-v1.tgz']?.mediaType).toBe('application/vnd.scs.cluster-class.v1.tar+gzip');
    expect(byTitle['docker-scs-1-32-cluster-addon-v1.tgz']?.mediaType).toBe('application/vnd.scs.cluster-addon.layer.v1.tar+gzip');
    // skopeo reads the layout independently: same manifest bytes, and every blob verifies when copied out.
    const raw = execFileSync('skopeo', ['inspect', '--raw', `oci:${layout}:docker-scs-1-32-v1`]);
    expect(raw.equals(manifestBytes)).toBe(true);
    const copied = path.join(cwd, 'skopeo-copy');
    sh('skopeo', ['copy', '--quiet', `oci:${layout}:docker-scs-1-32-v1`, `dir:${copied}`]);
    expect((await fs.readdir(copied)).filter((f) => /^[0-9a-f]{64}$/.test(f)).sort()).toEqual([...new Set([...manifest.layers.map((l) => l.digest.slice(7)), '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'])].sort());
    const onDisk = await fs.readFile(path.join(cwd, 'out/docker-scs-1-32-v1/metadata.yaml'));
    expect(await fs.readFile(path.join(layout, 'blobs/sha256', byTitle['metadata.yaml']?.digest.slice(7) ?? ''))).toEqual(onDisk);
  });

  it('records each release in the ledger, valid against the schema', async () => {
    const { record, issues } = await readRecord(path.join(cwd, 'releases', 'docker-scs-1-32-v1.yaml'));
    expect(issues).toEqual([]);
    expect(record?.versions).toEqual({ clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' });
    expect(Object.keys(record?.sourceFiles ?? {})).toContain('cluster-addon/cni/charts/cilium-1.17.4.tgz');
    expect(Object.keys(record?.sourceFiles ?? {})).not.toContain('versions.yaml');
  });

  it('is a no-op when run again: nothing to release, nothing rewritten', async () => {
    const before = await fs.stat(path.join(cwd, 'out/docker-scs-1-32-v1/metadata.yaml'));
    const r = await build(cwd, [path.join(repoRoot, 'stacks/docker/scs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 nothing-to-release/);
    expect((await fs.stat(path.join(cwd, 'out/docker-scs-1-32-v1/metadata.yaml'))).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('integration: reproducibility', () => {
  it('gives byte-identical bundles across clocks, modes and mtimes', async () => {
    const digests: string[] = [];
    for (const [i, mode] of [0o644, 0o600].entries()) {
      const cwd = await tempDir();
      const stack = await copyStack(path.join(repoRoot, 'stacks/docker/scs'), path.join(cwd, 'stacks/docker/scs'));
      for (const f of await listTree(stack)) {
        await fs.chmod(path.join(stack, f), mode);
        await fs.utimes(path.join(stack, f), new Date(1e12 + i * 1e9), new Date(1e12 + i * 7e9));
      }
      const r = await build(cwd, ['--mode', 'hash', '--k8s', '1.32'], {}, () => new Date(Date.UTC(2020 + i * 6, i, 1)));
      expect(r.code).toBe(0);
      const out = path.join(cwd, 'out');
      const files = (await listTree(out)).filter((f) => !f.startsWith('oci-layout/'));
      digests.push(sh('sha256sum', files, out) + (await fs.readFile(path.join(out, 'oci-layout/index.json'), 'utf8')));
      await fs.rm(cwd, { recursive: true, force: true });
    }
    expect(digests[0]).toMatch(/docker-scs-1-32-v0-sha-[a-z0-9]{7}\/docker-scs-1-32-cluster-class-v0-sha\.[a-z0-9]{7}\.tgz/);
    expect(digests[1]).toBe(digests[0]);
  });

  it('hashes a csctl-layout folder exactly as csctl does (SCS docker fixture)', async () => {
    const cwd = await tempDir();
    const fixture = path.join(scsStacksDir, 'docker/scs');
    const { targets, code } = await plan(cwd, ['--mode', 'hash', fixture]);
    expect(code).toBe(0);
    const expected = await computeStackHashes(fixture);
    expect(targets).toHaveLength(1);
    expect(targets[0]?.hashes).toEqual(expected);
    expect(targets[0]?.versions.clusterStack).toBe(`v0-sha.${expected.clusterStack.slice(0, 7)}`);
    await fs.rm(cwd, { recursive: true, force: true });
  });
});
