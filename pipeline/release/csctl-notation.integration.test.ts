/**
 * Stacks written in csctl's notation (`<< .ClusterClassVersion >>`, `<< .ClusterAddonVersion >>`,
 * `<< .NodeImageVersion >>` in any file) in both addon conventions: csp build ships the substituted files that
 * render and validate saw, and no bundle file keeps a tag (checked with the real tar and gzip).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildCommand } from '../cli/build.js';
import { repoRoot } from '../testing/paths.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, fixtureChartCache, listTree, tempDir } from '../testing/workspace.js';

let work: string;
let cache: string;

beforeAll(async () => {
  work = await tempDir();
  cache = await fixtureChartCache(path.join(work, 'cache'));
});
afterAll(() => fs.rm(work, { recursive: true, force: true }));

async function edit(file: string, change: (text: string) => string): Promise<void> {
  await fs.writeFile(file, change(await fs.readFile(file, 'utf8')));
}

/** Unpacks every .tgz of a bundle folder with the system tar and returns every file's text. */
async function bundleTexts(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await fs.readdir(dir)) {
    if (!name.endsWith('.tgz')) {
      out.set(name, await fs.readFile(path.join(dir, name), 'utf8'));
      continue;
    }
    const into = path.join(dir, '..', `${name}.x`);
    await fs.mkdir(into, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(dir, name), '-C', into]);
    for (const rel of await listTree(into)) {
      if (rel.endsWith('.tgz')) continue; // vendored upstream charts are not csctl input
      out.set(`${name}/${rel}`, await fs.readFile(path.join(into, rel), 'utf8'));
    }
  }
  return out;
}

/**
 * The old-convention render fixture with a cluster-class chart that passes csp build's validation (the
 * fixture's minimal ClusterClass has no template references): stacks/docker/scs's.
 */
async function oldConventionStack(into: string): Promise<string> {
  const stack = await copyStack(path.join(repoRoot, 'pipeline/render/stack/__fixtures__/old-convention'), into);
  await fs.rm(path.join(stack, 'cluster-class'), { recursive: true });
  await copyStack(path.join(repoRoot, 'stacks/docker/scs/cluster-class'), path.join(stack, 'cluster-class'));
  return stack;
}

const build = (cwd: string, stack: string) => runCommand(buildCommand, ['--chart-cache', cache, '--out', 'out', '--ledger', 'releases', stack], cwd);

describe('integration: csp build on stacks in csctl notation', () => {
  it('new convention: tags in Chart.yaml, values and overwrite.yaml are substituted in the bundle', async () => {
    const cwd = await tempDir();
    const stack = await copyStack(path.join(repoRoot, 'stacks/docker/scs'), path.join(cwd, 'stacks/docker/scs'));
    await edit(path.join(stack, 'cluster-addon/metrics-server/Chart.yaml'), (t) => t.replace('version: v1', 'version: << .ClusterAddonVersion >>'));
    await edit(path.join(stack, 'cluster-class/values.yaml'), () => 'csctl:\n  classVersion: "<< .ClusterClassVersion >>"\n  nodeImage: "<< .NodeImageVersion >>"\n');
    await fs.writeFile(path.join(stack, 'cluster-addon/metrics-server/overwrite.yaml'), 'values: |\n  commonLabels:\n    addon-version: "<< .ClusterAddonVersion >>"\n');
    const r = await build(cwd, 'stacks/docker/scs');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    for (const minor of ['1-31', '1-32']) {
      const dir = path.join(cwd, 'out', `docker-scs-${minor}-v1`);
      const texts = await bundleTexts(dir);
      const metadata = parseYaml(texts.get('metadata.yaml') ?? '') as { versions: { clusterStack: string; components: { clusterAddon: string; nodeImage: string } } };
      const withTag = [...texts].filter(([, text]) => text.includes('<< ')).map(([name]) => name);
      expect(withTag).toEqual([]);
      const addonArchive = `docker-scs-${minor}-cluster-addon-${metadata.versions.components.clusterAddon}.tgz`;
      const addonChart = parseYaml(texts.get(`${addonArchive}/metrics-server/Chart.yaml`) ?? '') as { version: string };
      expect(addonChart.version).toBe(metadata.versions.components.clusterAddon);
      expect(texts.get(`${addonArchive}/metrics-server/overwrite.yaml`)).toContain(`addon-version: "${metadata.versions.components.clusterAddon}"`);
      const classArchive = `docker-scs-${minor}-cluster-class-${metadata.versions.clusterStack}.tgz`;
      expect(texts.get(`${classArchive}/docker-scs-${minor}-cluster-class/values.yaml`)).toBe(`csctl:\n  classVersion: "${metadata.versions.clusterStack}"\n  nodeImage: "${metadata.versions.components.nodeImage}"\n`);
    }
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it('old convention: tags in the umbrella chart and cluster-addon-values.yaml are substituted', async () => {
    const cwd = await tempDir();
    const stack = await oldConventionStack(path.join(cwd, 'stacks/docker/fixture'));
    await edit(path.join(stack, 'cluster-addon/Chart.yaml'), (t) => t.replace('version: v1', 'version: << .ClusterAddonVersion >>'));
    await edit(path.join(stack, 'cluster-addon-values.yaml'), (t) => `${t.trimEnd()}\n  stackVersion: "<< .ClusterClassVersion >>"\n`);
    const r = await build(cwd, 'stacks/docker/fixture');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const [name] = (await fs.readdir(path.join(cwd, 'out'))).filter((n) => n.startsWith('docker-fixture-1-32-'));
    const texts = await bundleTexts(path.join(cwd, 'out', String(name)));
    expect([...texts].filter(([, text]) => text.includes('<< ')).map(([n]) => n)).toEqual([]);
    const metadata = parseYaml(texts.get('metadata.yaml') ?? '') as { versions: { clusterStack: string; components: { clusterAddon: string } } };
    expect(texts.get('cluster-addon-values.yaml')).toContain(`stackVersion: "${metadata.versions.clusterStack}"`);
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it('old convention without cluster-addon-values.yaml is refused before anything is written', async () => {
    const cwd = await tempDir();
    const stack = await oldConventionStack(path.join(cwd, 'stacks/docker/fixture'));
    await fs.rm(path.join(stack, 'cluster-addon-values.yaml'));
    const r = await build(cwd, 'stacks/docker/fixture');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stacks/docker/fixture/cluster-addon/Chart.yaml:1:1');
    expect(r.stdout).toContain('ADDON_VALUES_MISSING');
    expect(await listTree(path.join(cwd, 'out'))).toEqual([]);
    await fs.rm(cwd, { recursive: true, force: true });
  });
});
