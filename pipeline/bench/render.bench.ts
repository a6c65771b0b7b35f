/**
 * Render bench: csp's Helm renderer against the Go reference renderer (Go 1.19 text/template + Sprig) on the
 * same cluster-class charts in the same run. Go times itself inside its process (no start-up), per render of
 * the whole chart (Chart.yaml and values, parse, execute, split, YAML head of each document); csp's timing
 * covers the same from in-memory files (loadChartFiles + renderChart, no disk I/O). Both sides get warm-up
 * renders and are reported per template. Goal: ≤ 2× Go.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { csctlTags } from '../render/csctl/index.js';
import { relaxQuotedScalarIndent } from '../render/funcs/yaml-relax.js';
import { parseSimpleYamlRelaxed } from '../render/funcs/yaml-fast.js';
import { loadChart, renderChart, type ChartFile } from '../render/helm/index.js';
import { loadChartFiles } from '../render/helm/load.js';
import { buildOracle, runOracle, type OracleCase } from '../testing/go-oracle/oracle.js';
import { materializeChart } from '../render/stack/materialize.js';
import { discoverStacks, loadStack } from '../stack/index.js';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import type { BenchFigure } from './harness.js';

const ROUNDS = 5;
const PER_ROUND = 10;
const VERSION = 'v1';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function templatesOf(dir: string, name: string): Promise<{ name: string; text: string }[]> {
  const files = (await fs.readdir(path.join(dir, 'templates'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const out = await Promise.all(files.map(async (e) => {
    const rel = path.relative(path.join(dir, 'templates'), path.join(e.parentPath, e.name)).split(path.sep).join('/');
    return { name: `${name}/templates/${rel}`, text: await fs.readFile(path.join(e.parentPath, e.name), 'utf8') };
  }));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** One figure per cluster-class chart of stacks/ and the SCS fixtures: ms per template, TS vs Go. */
export async function renderBench(): Promise<BenchFigure[]> {
  const dirs = [...(await discoverStacks(path.join(repoRoot, 'stacks'))), path.join(scsStacksDir, 'docker/scs'), path.join(scsStacksDir, 'openstack/scs')];
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-render-bench-'));
  try {
    const charts: { label: string; dir: string; release: string; templates: { name: string; text: string }[] }[] = [];
    for (const [i, dir] of dirs.entries()) {
      const { stack } = await loadStack(dir, { cwd: repoRoot });
      const target = stack?.targets[stack.targets.length - 1];
      if (!stack || !target) continue;
      const release = `${stack.provider}-${stack.name}-${target.major}-${target.minor}`;
      const made = await materializeChart({
        stack, chart: stack.clusterClass, target, into: path.join(work, String(i)),
        tags: csctlTags({ clusterStack: VERSION, clusterAddon: VERSION, nodeImage: VERSION }),
        rename: { name: `${release}-cluster-class`, version: VERSION },
      });
      charts.push({ label: path.relative(repoRoot, dir), dir: made.dir, release, templates: await templatesOf(made.dir, made.name) });
    }
    const cases: OracleCase[] = await Promise.all(charts.map(async (c) => ({
      name: c.label,
      template: '',
      chart: {
        chartYaml: await fs.readFile(path.join(c.dir, 'Chart.yaml'), 'utf8'),
        valuesYaml: await fs.readFile(path.join(c.dir, 'values.yaml'), 'utf8').catch(() => ''),
        templates: c.templates, releaseName: c.release, namespace: 'default', repeat: PER_ROUND,
      },
    })));
    const binary = await buildOracle();
    // The chart's files in memory, so each timed render parses Chart.yaml and values.yaml like Go does.
    const files: ChartFile[][] = await Promise.all(charts.map(async (c) => {
      const chart = await loadChart(c.dir);
      const read = (name: string) => fs.readFile(path.join(c.dir, name)).then((data) => [{ name, data }], () => []);
      return [...(await read('Chart.yaml')), ...(await read('values.yaml')), ...chart.templates, ...chart.files];
    }));
    const once = (i: number) => renderChart(loadChartFiles(files[i] ?? [], charts[i]?.dir ?? ''), { releaseName: charts[i]?.release ?? '', namespace: 'default' });
    charts.forEach((_, i) => {
      for (let w = 0; w < 3; w++) once(i);
    });
    const goMs: number[][] = charts.map(() => []);
    const tsMs: number[][] = charts.map(() => []);
    const slowDocs: number[] = charts.map(() => 0);
    const docs: number[] = charts.map(() => 0);
    // Alternate Go and TypeScript rounds so load from other processes hits both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      const go = await runOracle(cases, binary);
      go.forEach((r, i) => goMs[i]?.push(...(r.chart?.timings ?? []).map((ns) => ns / 1e6)));
      charts.forEach((_, i) => {
        for (let r = 0; r < PER_ROUND; r++) {
          const start = performance.now();
          const result = once(i);
          tsMs[i]?.push(performance.now() - start);
          if (round === 0 && r === 0) {
            // Documents the fast YAML reader leaves to the yaml package (slow path).
            docs[i] = result.manifests.length;
            slowDocs[i] = result.manifests.filter((m) => !parseSimpleYamlRelaxed(m.content, relaxQuotedScalarIndent)).length;
          }
        }
      });
    }
    const figures: BenchFigure[] = charts.map((c, i) => {
      const n = Math.max(1, c.templates.length);
      const ms = median(tsMs[i] ?? []) / n;
      const baselineMs = median(goMs[i] ?? []) / n;
      return {
        name: `render ${c.label} cluster-class (${c.templates.length} templates), per template`,
        ms, baselineMs, baseline: 'Go text/template + Sprig (in-process timing)',
        ratio: baselineMs > 0 ? ms / baselineMs : Infinity, goal: 2,
        note: `median of ${ROUNDS * PER_ROUND} renders each; ${slowDocs[i] ?? 0} of ${docs[i] ?? 0} output documents needed the yaml package`,
      };
    });
    return figures;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
