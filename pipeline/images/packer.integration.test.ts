/**
 * Real Debian Packer 1.6.6 runs (integration): file/null builds for artifact parsing edge cases, `packer
 * validate` of every recipe target, and a recording runner for the cloud builds that only run in Actions.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLog } from '../core/log.js';
import { run, type Run, type RunOptions } from '../core/run.js';
import { repoRoot } from '../testing/paths.js';
import { buildImages } from './build.js';
import { artifactsBy, BUILDER_IDS } from './machine-readable.js';
import { lastRunBuilds } from './manifest.js';
import { runPacker } from './packer.js';
import { planImages } from './plan.js';
import { listRecipes, loadRecipe } from './recipe.js';
import type { Recipe } from './types.js';
import { validateRecipes } from './validate-recipes.js';

const lines: string[] = [];
const log = createLog({ write: (l) => lines.push(l), secrets: ['s3cret-hcloud-token-value'] });
let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-packer-'));
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const template = {
  builders: [
    { type: 'file', name: 'one', content: 'hello, world', target: 'out/one.txt' },
    { type: 'file', name: 'two', content: 'second', target: 'out/two, with comma.txt' },
    { type: 'null', name: 'nothing', communicator: 'none' },
    { type: 'file', name: 'broken', source: '/nonexistent/csp-test', target: 'out/broken.txt' },
  ],
  'post-processors': [[
    { type: 'checksum', checksum_types: ['sha256'], output: 'out/{{.BuildName}}.sha256' },
    { type: 'manifest', output: 'out/manifest.json', strip_path: true },
  ]],
};

describe('packer build -machine-readable (file and null builders)', () => {
  it('exits 1 for the failing build and still reports the others\' artifacts, selected by builder-id', async () => {
    await fs.writeFile(path.join(work, 't.json'), JSON.stringify(template));
    const res = await runPacker({ args: ['build', 't.json'], cwd: work, timeoutMs: 60_000, label: 'test' }, { run, log });
    expect(res.exitCode).toBe(1);
    expect(res.report.errorCount).toBe(1);
    expect(res.report.errors).toEqual([{ build: 'broken', message: expect.stringContaining('/nonexistent/csp-test') }]);
    const files = artifactsBy(res.report, [BUILDER_IDS.file]);
    expect(files.map((a) => [a.build, a.id, a.files])).toEqual([
      ['one', 'File', ['out/one.txt']],
      ['two', 'File', ['out/two, with comma.txt']],
    ]);
    // Post-processor artifacts share the list; the first one is not the builder's.
    const one = res.report.artifacts.filter((a) => a.build === 'one');
    expect(one.length).toBeGreaterThan(1);
    expect(one.some((a) => a.builderId === 'packer.post-processor.checksum' && a.files.includes('out/one.sha256'))).toBe(true);
    expect(artifactsBy(res.report, [BUILDER_IDS.null], 'nothing')).toMatchObject([{ id: 'Null', files: [] }]);
    expect(res.report.artifacts.every((a) => a.complete)).toBe(true);
    // Progress lines were logged with the build label.
    expect(lines.some((l) => l.startsWith('[test] ==> one:'))).toBe(true);
  });

  it('reads only the last run from a manifest appended across runs', async () => {
    const res = await runPacker({ args: ['build', '-only', 'one', 't.json'], cwd: work, timeoutMs: 60_000, label: 'again' }, { run, log });
    expect(res.exitCode).toBe(0);
    const text = await fs.readFile(path.join(work, 'out/manifest.json'), 'utf8');
    const all = (JSON.parse(text) as { builds: unknown[] }).builds;
    expect(all.length).toBe(4);
    const last = lastRunBuilds(text);
    expect(last.map((b) => b.name)).toEqual(['one']);
  });

  it('stops Packer on abort and reports a non-zero exit', async () => {
    await fs.writeFile(path.join(work, 'slow.json'), JSON.stringify({ builders: [{ type: 'null', ssh_host: '127.0.0.1', ssh_port: 9, ssh_username: 'x', ssh_password: 'x', ssh_timeout: '60s' }] }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const started = Date.now();
    const res = await runPacker({ args: ['build', 'slow.json'], cwd: work, timeoutMs: 60_000, label: 'slow', signal: controller.signal }, { run, log });
    expect(res.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(res.report.uiErrors.join('\n')).toMatch(/Cancelling build|cancelled/i);
  });
});

describe('packer validate of every recipe target', () => {
  it('passes for all targets with Debian\'s Packer (openstack syntax-only without credentials)', async () => {
    const imagesDir = path.join(repoRoot, 'images');
    const recipes: Recipe[] = [];
    for (const name of await listRecipes(imagesDir)) {
      const loaded = await loadRecipe(imagesDir, name);
      expect(loaded.issues).toEqual([]);
      recipes.push(loaded.recipe as Recipe);
    }
    const result = await validateRecipes(recipes, path.join(work, 'validate'), { run, log });
    expect(result.issues).toEqual([]);
    expect(result.checked.map((c) => `${c.recipe}/${c.target} ${c.mode}`)).toEqual([
      'debian-12/local full', 'ubuntu-2404/qemu full', 'ubuntu-2404/openstack syntax-only', 'ubuntu-2404/hcloud full',
    ]);
  });
});

describe('cloud builds as recorded argument lists', () => {
  it('runs packer init (Packer >= 1.7) and build per image, parses the hcloud snapshot, never prints the token', async () => {
    const calls: { command: string; args: string[]; env?: Record<string, string> }[] = [];
    const fake: Run = async (command: string, args: string[], options: RunOptions) => {
      calls.push({ command, args, env: options.env });
      if (args[0] === 'version') return { command, args, exitCode: 0, stdout: 'Packer v1.9.5\n', stderr: '' };
      if (args[0] === 'init') return { command, args, exitCode: 0, stdout: '', stderr: '' };
      const out = [
        '1,,ui,say,==> hcloud.hcloud: token s3cret-hcloud-token-value in use',
        '1,hcloud,artifact-count,2',
        '1,hcloud,artifact,0,builder-id,packer.post-processor.manifest',
        '1,hcloud,artifact,0,id,',
        '1,hcloud,artifact,0,end',
        '1,hcloud,artifact,1,builder-id,hcloud.builder',
        '1,hcloud,artifact,1,id,123456789',
        '1,hcloud,artifact,1,string,A snapshot was created: \'x\' (ID: 123456789)',
        '1,hcloud,artifact,1,end',
      ].join('\n');
      for (const l of out.split('\n')) options.onStdoutLine?.(l);
      return { command, args, exitCode: 0, stdout: out, stderr: '' };
    };
    const ubuntu = (await loadRecipe(path.join(repoRoot, 'images'), 'ubuntu-2404')).recipe as Recipe;
    const { plan } = planImages([{ stack: 's', provider: 'hcloud', kubernetes: ['1.32.5'], recipe: 'ubuntu-2404' }], { 'ubuntu-2404': ubuntu }, []);
    const ledger = path.join(work, 'ledger');
    const result = await buildImages({ items: plan.items, imagesDir: path.join(repoRoot, 'images'), ledgerDir: ledger, workDir: path.join(work, 'w'), timeoutMs: 60_000, parallel: 2 }, { run: fake, log, now: () => new Date('2026-12-06T10:00:00Z') });
    expect(calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['version', 'init -machine-readable', 'build -machine-readable']);
    const build = calls[2]?.args ?? [];
    expect(build).toEqual(['build', '-machine-readable', '-only', 'hcloud', '-var-file', expect.stringMatching(/\.vars\.json$/), path.join(repoRoot, 'images/ubuntu-2404/hcloud.json')]);
    const vars = JSON.parse(await fs.readFile(build[5] as string, 'utf8')) as Record<string, string>;
    expect(vars).toMatchObject({ kubernetes_semver: 'v1.32.5', kubernetes_series: 'v1.32', image_name: plan.items[0]?.name, rebuild_key: plan.items[0]?.key, base_image: 'ubuntu-24.04' });
    expect(result.built[0]?.record).toMatchObject({ location: { snapshotId: '123456789' }, packer: { version: '1.9.5', plugins: { hcloud: '1.6.1' } }, buildDate: '2026-12-06T10:00:00.000Z' });
    expect(lines.join('\n')).not.toContain('s3cret-hcloud-token-value');
  });
});
