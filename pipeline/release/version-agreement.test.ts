/**
 * `csp render` and `csp build` name the same version for every target: render's default is the hash-mode
 * version `csp plan --mode hash` (hence build) decides from the per-target tree, and a custom version is
 * carried unchanged by both.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCommand } from '../cli/plan.js';
import { renderCommand } from '../cli/render.js';
import { repoRoot } from '../testing/paths.js';
import { runCommand } from '../testing/run-command.js';
import { fixtureChartCache, tempDir } from '../testing/workspace.js';
import type { TargetPlan } from './index.js';

let work: string;
let cache: string;

beforeAll(async () => {
  work = await tempDir();
  cache = await fixtureChartCache(path.join(work, 'cache'));
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const stacks = ['stacks/docker/scs', 'stacks/openstack/scs', 'stacks/hcloud/scs', 'pipeline/render/stack/__fixtures__/tags'];

async function planned(stack: string, args: string[]): Promise<Record<string, string>> {
  const r = await runCommand(planCommand, [stack, '--chart-cache', cache, '--ledger', path.join(work, 'no-ledger'), '--json', ...args], repoRoot);
  expect(r.stderr).not.toMatch(/error/i);
  const targets = (JSON.parse(r.stdout) as { plan: { targets: TargetPlan[] } }).plan.targets;
  return Object.fromEntries(targets.map((t) => [t.kubernetesVersion, t.versions.clusterStack]));
}

async function rendered(stack: string, args: string[]): Promise<Record<string, string>> {
  const r = await runCommand(renderCommand, [stack, '--chart-cache', cache, '--json', ...args], repoRoot);
  const targets = (JSON.parse(r.stdout) as { targets: { kubernetesVersion: string; version: string; clusterClass: { chart: string; releaseName: string } }[] }).targets;
  for (const t of targets) expect(t.clusterClass.chart).toBe(`${t.clusterClass.releaseName}-cluster-class-${t.version}`);
  return Object.fromEntries(targets.map((t) => [t.kubernetesVersion, t.version]));
}

describe('csp render and csp build agree on versions', () => {
  it.each(stacks)('%s: hash mode, every target', async (stack) => {
    const plan = await planned(stack, ['--mode', 'hash']);
    expect(Object.keys(plan).length).toBeGreaterThan(0);
    for (const v of Object.values(plan)) expect(v).toMatch(/^v0-sha\.[a-z0-9]{7}$/);
    expect(await rendered(stack, [])).toEqual(plan);
  });

  it('custom mode: the given version on every target', async () => {
    const stack = stacks[0]!;
    const custom = ['--cluster-stack-version', 'v2-custom.1', '--cluster-addon-version', 'v2-custom.1', '--node-image-version', 'v2-custom.1'];
    const plan = await planned(stack, ['--mode', 'custom', ...custom]);
    expect(Object.values(plan).every((v) => v === 'v2-custom.1')).toBe(true);
    expect(await rendered(stack, ['--version', 'v2-custom.1'])).toEqual(plan);
  });
});
