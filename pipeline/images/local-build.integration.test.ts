/**
 * The whole node-image chain with one real build (integration, ~4 min on 2 cores; CI runs it once):
 * csp images plan → build (debootstrap base, Packer 1.6.6 qemu builder under TCG) → record → publish to a
 * loopback docker-registry → csp build renders the ORC Image into the OpenStack cluster-class with URL and
 * sha256 = the registry digest and validates it against the ORC CRD → a second plan builds nothing, and the
 * nodeImage version moves only when the image set changes.
 * CSP_IMAGE_WORK=DIR keeps base disks between runs (developers); CI uses a fresh temp folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildCommand } from '../cli/build.js';
import { imagesCommand } from '../cli/images.js';
import { planCommand } from '../cli/plan.js';
import { crdsDir, fixturesDir, repoRoot } from '../testing/paths.js';
import { startRegistry, type TestRegistry } from '../testing/registry/start-registry.js';
import { skopeoRawManifest } from '../testing/registry/skopeo.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, fixtureChartCache, tempDir } from '../testing/workspace.js';
import type { ImageRecord } from './types.js';

let work: string;
let imageWork: string;
let registry: TestRegistry;
let cache: string;
const stackDir = () => path.join(work, 'stacks/openstack/scs');
const common = () => ['--images', path.join(repoRoot, 'images'), '--ledger', path.join(work, 'releases'), '--work', imageWork];

beforeAll(async () => {
  work = await tempDir('csp-images-chain-');
  imageWork = process.env.CSP_IMAGE_WORK ?? path.join(work, 'image-work');
  cache = await fixtureChartCache(path.join(work, 'charts'));
  await copyStack(path.join(repoRoot, 'stacks/openstack/scs'), stackDir());
  // The test stack uses the local Debian recipe and one Kubernetes target (one real build).
  const stackYaml = path.join(stackDir(), 'stack.yaml');
  await fs.writeFile(stackYaml, (await fs.readFile(stackYaml, 'utf8'))
    .replace('recipe: ubuntu-2404', 'recipe: debian-12\n  target: local')
    .replace('name: ubuntu\n    version: "24.04"', 'name: debian\n    version: "12"')
    .replace('minimum: "6.8"', 'minimum: "6.1"')
    .replace('version: "1.7"', 'version: "1.6"'));
  const versions = path.join(stackDir(), 'versions.yaml');
  const text = await fs.readFile(versions, 'utf8');
  await fs.writeFile(versions, text.slice(0, text.indexOf('- kubernetes: 1.31')) + text.slice(text.indexOf('- kubernetes: 1.32')));
  registry = await startRegistry({ auth: 'none' });
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

async function imagePlan(): Promise<{ builds: number; matrix: { include: { name: string }[] } }> {
  const r = await runCommand(imagesCommand, ['plan', stackDir(), '--json', ...common()], work);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { builds: number; matrix: { include: { name: string }[] } };
}

async function records(): Promise<ImageRecord[]> {
  const dir = path.join(work, 'releases/images');
  return Promise.all((await fs.readdir(dir)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as ImageRecord));
}

describe('local node image chain', () => {
  it('plans one image, builds it for real, records and publishes it, and renders it into the cluster-class', async () => {
    const first = await imagePlan();
    expect(first.builds).toBe(1);
    const name = first.matrix.include[0]?.name ?? '';
    expect(name).toMatch(/^debian-12-kube-v1\.32\.5-[0-9a-f]{8}$/);

    const built = await runCommand(imagesCommand, ['build', stackDir(), ...common()], work);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toContain(`[${name}] ==> local:`);
    const [record] = await records();
    expect(record).toMatchObject({ name, format: 'qcow2', builder: 'qemu', kubernetes: '1.32.5', packer: { version: '1.6.6', plugins: {} } });
    const disk = record?.location.file ?? '';
    expect(execFileSync('sha256sum', [disk], { encoding: 'utf8' }).split(' ')[0]).toBe(record?.sha256);
    expect(execFileSync('qemu-img', ['info', '--output=json', disk], { encoding: 'utf8' })).toContain('"format": "qcow2"');

    const repo = `${registry.host}/node-images`;
    const published = await runCommand(imagesCommand, ['publish', '--repository', `oci://${repo}`, '--json', ...common()], work);
    expect(published.code, published.stderr).toBe(0);
    const [after] = await records();
    const digest = `sha256:${record?.sha256}`;
    expect(after?.published).toEqual({ repository: repo, tag: name, digest, url: `http://${registry.host}/v2/node-images/blobs/${digest}`, mediaType: 'application/vnd.scs.csp.node-image.disk.qcow2' });
    // The registry's own view: the tag's manifest names the disk blob by that digest, and the blob URL serves it.
    const manifest = JSON.parse((await skopeoRawManifest(`${repo}:${name}`)).toString('utf8')) as { artifactType: string; layers: { digest: string; size: number; annotations: Record<string, string> }[] };
    expect(manifest.artifactType).toBe('application/vnd.scs.csp.node-image.v1');
    expect(manifest.layers).toEqual([{ mediaType: 'application/vnd.scs.csp.node-image.disk.qcow2', digest, size: record?.size, annotations: { 'org.opencontainers.image.title': `${name}.qcow2` } }]);
    const head = await fetch(after?.published?.url ?? '', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toBe(digest);

    // csp build: the release tree carries the ORC Image; build validates it against the ORC CRD.
    const orcCrds = path.join(fixturesDir, 'crds-extra');
    const build = await runCommand(buildCommand, [stackDir(), '--chart-cache', cache, '--out', 'out', '--ledger', 'releases', '--crds', crdsDir, '--crds', orcCrds, '--json'], work);
    expect(build.code, build.stderr).toBe(0);
    const releaseDir = path.join(work, 'out', 'openstack-scs-1-32-v1');
    const chartTgz = path.join(releaseDir, 'openstack-scs-1-32-cluster-class-v1.tgz');
    const listing = execFileSync('tar', ['-tzf', chartTgz], { encoding: 'utf8' });
    expect(listing).toContain('templates/csp-node-image.yaml');
    const orcText = execFileSync('tar', ['-xzOf', chartTgz, 'openstack-scs-1-32-cluster-class/templates/csp-node-image.yaml'], { encoding: 'utf8' });
    const orc = parseAllDocuments(orcText)[0]?.toJS() as { kind: string; metadata: { name: string }; spec: { resource: { content: { diskFormat: string; download: { url: string; hash: { algorithm: string; value: string } } } } } };
    expect(orc.kind).toBe('Image');
    expect(orc.metadata.name).toBe(name);
    expect(orc.spec.resource.content).toEqual({ diskFormat: 'qcow2', download: { url: after?.published?.url, hash: { algorithm: 'sha256', value: digest.slice(7) } } });
    const values = execFileSync('tar', ['-xzOf', chartTgz, 'openstack-scs-1-32-cluster-class/values.yaml'], { encoding: 'utf8' });
    expect(values).toMatch(new RegExp(`nodeImageName: "?${name}"?\\n`));
    const cspo = await fs.readFile(path.join(releaseDir, 'node-images.yaml'), 'utf8');
    expect(cspo).toContain(after?.published?.url);

    // Packer wrote nothing into the recipe (its files are the rebuild key).
    const stray = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all', 'images'], { cwd: repoRoot, encoding: 'utf8' });
    expect(stray.split('\n').filter((l) => l.startsWith('??') || l.startsWith('!!'))).toEqual([]);
    // Nothing to build the second time; the release is unchanged too.
    expect((await imagePlan()).builds).toBe(0);
    const again = await runCommand(planCommand, [stackDir(), '--chart-cache', cache, '--ledger', 'releases', '--json'], work);
    expect(JSON.parse(again.stdout).plan.targets[0].action).toBe('none');

    // A new image for the same patch (new key, URL and hash): the nodeImage version moves, and says why.
    const newer: ImageRecord = { ...(after as ImageRecord), key: createHash('sha256').update('other').digest('hex'), buildDate: '2099-01-01T00:00:00.000Z' };
    newer.name = `debian-12-kube-v1.32.5-${newer.key.slice(0, 8)}`;
    newer.published = { ...(after?.published as NonNullable<ImageRecord['published']>), digest: `sha256:${'e'.repeat(64)}`, url: `http://${registry.host}/v2/node-images/blobs/sha256:${'e'.repeat(64)}` };
    await fs.writeFile(path.join(work, 'releases/images', `${newer.name}.json`), JSON.stringify(newer));
    const moved = JSON.parse((await runCommand(planCommand, [stackDir(), '--chart-cache', cache, '--ledger', 'releases', '--json'], work)).stdout) as { plan: { targets: { action: string; versions: Record<string, string>; why: Record<string, string> }[] } };
    expect(moved.plan.targets[0]?.action).toBe('release');
    expect(moved.plan.targets[0]?.versions.nodeImage).toBe('v2');
  }, 1_800_000);
});
