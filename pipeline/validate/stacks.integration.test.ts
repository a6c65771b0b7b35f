import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChartRepo, type ChartRepo } from '../testing/chart-repo.js';
import { runCli } from '../testing/cli.js';
import { chartsDir, repoRoot, scsStacksDir } from '../testing/paths.js';

// Our stacks rendered with their real addon charts (served from ../shared/fixtures/charts on 127.0.0.1).
const REPOS = ['https://charts.hetzner.cloud', 'https://helm.cilium.io/', 'https://kubernetes-sigs.github.io/metrics-server/', 'https://kubernetes.github.io/cloud-provider-openstack'];
let repo: ChartRepo;
let work: string;
let cache: string;

beforeAll(async () => {
  repo = await startChartRepo(chartsDir);
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-validate-stacks-'));
  cache = path.join(work, 'charts');
  const deps = await runCli(['deps', 'stacks/docker/scs', 'stacks/hcloud/scs', 'stacks/openstack/scs', path.join(scsStacksDir, 'docker/scs'), path.join(scsStacksDir, 'openstack/scs'), '--cache', cache, ...REPOS.flatMap((u) => ['--mirror', `${u}=${repo.url}`])], repoRoot);
  // The fixtures hold the Kubernetes 1.32 chart versions only (openstack's 1.31 pins are missing): validate 1.32.
  expect(deps.stdout).toMatch(/cilium 1\.17\.4/);
}, 120_000);

afterAll(async () => {
  await repo.close();
  await fs.rm(work, { recursive: true, force: true });
});

interface Out {
  ok: boolean;
  issues: { severity: string; code: string; message: string; location?: { file: string; line?: number } }[];
  targets: { stack: string; kubernetes: string; objects: number; items: number }[];
  coreSchemas: { source: string; catalogMinor?: string };
  schemaSets: { coreSchemas: { source: string; catalogMinor?: string } }[];
}

describe('csp validate on stacks/ (integration)', () => {
  it('every stack passes against the committed catalog with no schema flag, including --standard across docker, hcloud and openstack', async () => {
    const r = await runCli(['validate', 'stacks/docker/scs', 'stacks/hcloud/scs', 'stacks/openstack/scs', '--standard', '--chart-cache', cache, '--k8s', '1.32', '--json'], repoRoot);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // Core kinds of every addon chart (cilium, CCMs, CSIs, metrics-server) and ORC's Image: real schemas only.
    expect(out.coreSchemas).toMatchObject({ source: 'catalog', catalogMinor: '1.32' });
    expect(out.issues.filter((i) => i.code === 'SCHEMA_UNKNOWN_KIND')).toEqual([]);
    expect(r.code).toBe(0);
    expect(out.targets.map((t) => `${t.stack}:${t.items}`)).toEqual(['stacks/docker/scs:5', 'stacks/hcloud/scs:5', 'stacks/openstack/scs:5']);
    expect(out.targets.every((t) => t.objects > 30)).toBe(true);
    // Issues about rendered cluster-class lines are reported at the template line a person edits.
    const template = await fs.readFile(path.join(repoRoot, 'stacks/docker/scs/cluster-class/templates/cluster-class.yaml'), 'utf8');
    const apiVersionLine = template.split('\n').indexOf('apiVersion: cluster.x-k8s.io/v1beta1') + 1;
    const deprecated = out.issues.find((i) => i.code === 'SCHEMA_DEPRECATED_VERSION' && i.message.startsWith('ClusterClass/docker'));
    expect(deprecated?.location).toMatchObject({ file: 'stacks/docker/scs/cluster-class/templates/cluster-class.yaml', line: apiVersionLine });
  }, 120_000);

  it('a stack that renames a standard variable fails --standard at the template line', async () => {
    const copy = path.join(work, 'stacks/hcloud/scs');
    await fs.cp(path.join(repoRoot, 'stacks/hcloud/scs'), copy, { recursive: true });
    const file = path.join(copy, 'cluster-class/templates/cluster-class.yaml');
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain('- name: auditLogging');
    await fs.writeFile(file, text.replace('- name: auditLogging', '- name: auditLog').replace(/\.auditLogging\b/g, '.auditLog'));
    await fs.cp(path.join(repoRoot, 'stacks/cluster-example.yaml'), path.join(work, 'stacks/cluster-example.yaml'));
    const r = await runCli(['validate', 'stacks/hcloud/scs', '--standard', '--chart-cache', cache, '--k8s', '1.32', '--json'], work);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Out;
    const codes = out.issues.filter((i) => i.severity === 'error').map((i) => i.code);
    expect(codes).toContain('STANDARD_VARIABLE_MISSING');
    expect(codes).toContain('STANDARD_EXAMPLE_FAILS');
    const fails = out.issues.find((i) => i.code === 'STANDARD_EXAMPLE_FAILS');
    expect(fails?.message).toMatch(/auditLogging/);
    expect(fails?.location?.file).toBe('stacks/cluster-example.yaml');
    const missing = out.issues.find((i) => i.code === 'STANDARD_VARIABLE_MISSING');
    expect(missing?.location?.file).toBe('stacks/hcloud/scs/cluster-class/templates/cluster-class.yaml');
    expect(text.split('\n')[(missing?.location?.line ?? 0) - 1]).toMatch(/^\s*variables:/);
  }, 120_000);

  it('every Kubernetes minor of our stacks and the SCS fixtures validates with no flag (minors the catalog lacks use the nearest)', async () => {
    const r = await runCli(['validate', 'stacks/docker/scs', 'stacks/hcloud/scs', path.join(scsStacksDir, 'docker/scs'), '--chart-cache', cache, '--json'], repoRoot);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect(out.targets.map((t) => t.kubernetes)).toEqual(['1.31', '1.32', '1.31', '1.32', '1.30']);
    expect(out.targets.every((t) => t.objects > 30)).toBe(true);
    expect(out.issues.filter((i) => i.code === 'SCHEMA_CATALOG_NEAREST_MINOR').map((i) => i.message)).toEqual([
      'the schema catalog has no Kubernetes 1.31: core kinds are checked against 1.32, the nearest it has (1.32, 1.33, 1.34)',
      'the schema catalog has no Kubernetes 1.30: core kinds are checked against 1.32, the nearest it has (1.32, 1.33, 1.34)',
    ]);
    // The OpenStack SCS fixture pins 1.30/1.31 chart versions the fixtures lack: its 1.32 release is validated.
    const openstack = await runCli(['validate', path.join(scsStacksDir, 'openstack/scs'), '--chart-cache', cache, '--k8s', '1.32', '--json'], repoRoot);
    const os132 = JSON.parse(openstack.stdout) as Out;
    expect(os132.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(os132.targets.map((t) => t.objects > 30)).toEqual([true]);
  }, 180_000);
});
