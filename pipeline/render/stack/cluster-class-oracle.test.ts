/**
 * Proof that every cluster-class chart (stacks/ and the SCS fixtures) renders byte-equal to the Go
 * reference renderer: per template, with the chart's partials, as CSO renders it for each target.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverStacks, loadStack, type Stack } from '../../stack/index.js';
import { repoRoot, scsStacksDir } from '../../testing/paths.js';
import { csctlTags } from '../csctl/index.js';
import { loadChart, renderChart } from '../helm/index.js';
import { buildOracle, runOracle, type OracleCase, type OracleChartResult } from '../../testing/go-oracle/oracle.js';
import { materializeChart } from './materialize.js';
import { releasePrefix } from './version.js';

interface ChartCase {
  label: string;
  dir: string;
  chartName: string;
  releaseName: string;
  namespace: string;
  kubeVersion?: string;
  templates: { name: string; text: string }[];
  go?: OracleChartResult;
}

const VERSION = 'v7';
const NAMESPACE = 'cluster-stacks';
const cases: ChartCase[] = [];
let work = '';

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-cc-oracle-'));
  const dirs = [...(await discoverStacks(path.join(repoRoot, 'stacks'))), path.join(scsStacksDir, 'docker/scs'), path.join(scsStacksDir, 'openstack/scs')];
  for (const dir of dirs) {
    const { stack } = await loadStack(dir, { cwd: repoRoot });
    if (!stack) throw new Error(`cannot load ${dir}`);
    for (const target of stack.targets) await addCase(stack, target);
  }
  // Every Helm-only function and context object, in one synthetic chart.
  const funcsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'helm-funcs-chart');
  const funcsTemplates = (await listFiles(path.join(funcsDir, 'templates'))).map(async (f) => ({ name: `helm-funcs/templates/${f}`, text: await fs.readFile(path.join(funcsDir, 'templates', f), 'utf8') }));
  cases.push({ label: 'helm-funcs chart', dir: funcsDir, chartName: 'helm-funcs', releaseName: 'funcs', namespace: 'ns', kubeVersion: 'v1.32.5', templates: await Promise.all(funcsTemplates) });
  const oracleCases: OracleCase[] = cases.map((c) => ({
    name: c.label,
    template: '',
    chart: {
      chartYaml: '',
      valuesYaml: '',
      templates: c.templates,
      releaseName: c.releaseName,
      namespace: c.namespace,
      kubeVersion: c.kubeVersion,
    },
  }));
  for (const [i, c] of cases.entries()) {
    const chart = oracleCases[i]?.chart;
    if (!chart) continue;
    chart.chartYaml = await fs.readFile(path.join(c.dir, 'Chart.yaml'), 'utf8');
    chart.valuesYaml = await fs.readFile(path.join(c.dir, 'values.yaml'), 'utf8').catch(() => '');
  }
  const results = await runOracle(oracleCases, await buildOracle());
  results.forEach((r, i) => {
    const c = cases[i];
    if (c) c.go = r.chart;
  });
  console.log(`cluster-class oracle corpus: ${cases.length} charts, ${cases.reduce((n, c) => n + c.templates.length, 0)} templates`);
}, 180_000);

afterAll(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

async function addCase(stack: Stack, target: Stack['targets'][number]): Promise<void> {
  const prefix = releasePrefix(stack, target);
  const label = `${stack.displayDir} k8s ${target.major}.${target.minor}`;
  const into = path.join(work, String(cases.length));
  const made = await materializeChart({
    stack,
    chart: stack.clusterClass,
    target,
    tags: csctlTags({ clusterStack: VERSION, clusterAddon: VERSION, nodeImage: VERSION }),
    into,
    rename: { name: `${prefix}-cluster-class`, version: VERSION },
  });
  const templates: ChartCase['templates'] = [];
  for (const rel of await listFiles(made.dir)) {
    if (rel.startsWith('templates/')) templates.push({ name: `${made.name}/${rel}`, text: await fs.readFile(path.join(made.dir, rel), 'utf8') });
  }
  cases.push({ label, dir: made.dir, chartName: made.name, releaseName: prefix, namespace: NAMESPACE, templates });
}

describe('cluster-class charts (and a Helm-functions chart) against the Go reference renderer (Helm-like chart mode)', () => {
  it('covers every cluster-class chart of stacks/ and the SCS fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const c of cases) expect(c.go?.error, c.label).toBeUndefined();
  });

  it('renders each chart with its partials, template by template, byte-equal to Go', async () => {
    let compared = 0;
    for (const c of cases) {
      const result = renderChart(await loadChart(c.dir), { releaseName: c.releaseName, namespace: c.namespace, kubeVersion: c.kubeVersion });
      expect(result.chart).toMatchObject({ name: c.chartName, version: c.kubeVersion ? '1.2.3' : VERSION });
      const goDocs = c.go?.documents ?? {};
      const tsDocs: Record<string, string[]> = {};
      for (const m of result.manifests) (tsDocs[m.source || m.template] ??= []).push(m.content);
      expect(Object.keys(tsDocs).sort(), c.label).toEqual(Object.keys(goDocs).sort());
      for (const [name, docs] of Object.entries(goDocs)) {
        // Helm sorts documents by kind across the chart; within one template compare as a sorted list.
        expect([...(tsDocs[name] ?? [])].sort(), `${c.label} ${name}`).toEqual([...docs].sort());
        compared += docs.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('names the ClusterClass <release>-<version> as CSO expects', () => {
    for (const c of cases.filter((x) => x.kubeVersion === undefined)) {
      const docs = Object.values(c.go?.documents ?? {}).flat();
      expect(docs.some((d) => /^kind: ClusterClass$/m.test(d) && d.includes(`name: ${c.releaseName}-${VERSION}\n`)), c.label).toBe(true);
    }
  });
});
