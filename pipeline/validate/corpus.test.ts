import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../core/errors.js';
import { crdsDir } from '../testing/paths.js';
import { corpus, type CorpusCase } from './__fixtures__/corpus.js';
import { loadCatalog, objectsFromYaml, validateTarget, type SchemaCatalog } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const chartText = fs.readFileSync(path.join(here, '__fixtures__/class-chart.yaml'), 'utf8');
const clusterText = fs.readFileSync(path.join(here, '__fixtures__/cluster.yaml'), 'utf8');
let catalog: SchemaCatalog;

beforeAll(async () => {
  catalog = (await loadCatalog([crdsDir])).catalog;
});

/** Applies a corpus edit; the snippet must occur exactly once so the case cannot silently stop breaking anything. */
export function applyCase(c: CorpusCase): { chart: string; cluster: string; line: number } {
  const base = c.target === 'chart' ? chartText : clusterText;
  expect(base.split(c.find).length - 1, `"${c.name}": snippet must occur once`).toBe(1);
  const edited = base.replace(c.find, () => c.replace);
  const line = edited.split('\n').findIndex((l) => l.includes('# HERE')) + 1;
  expect(line).toBeGreaterThan(0);
  return { chart: c.target === 'chart' ? edited : chartText, cluster: c.target === 'cluster' ? edited : clusterText, line };
}

function run(chart: string, cluster: string) {
  const objects = objectsFromYaml('chart.yaml', chart);
  const clusterObjects = objectsFromYaml('cluster.yaml', cluster);
  expect([...objects.issues, ...clusterObjects.issues]).toEqual([]);
  return validateTarget(
    { kubernetes: '1.32', kubernetesVersion: '1.32.5', clusterClass: { name: 'demo-cluster-class', releaseName: 'docker-demo-1-32', chartVersion: 'v1', objects: objects.objects }, addons: [] },
    catalog,
    { cluster: clusterObjects.objects[0] },
  );
}

describe('bad-input corpus', () => {
  it('has at least 20 cases and a valid base', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    const result = run(chartText, clusterText);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.items.map((i) => i.id)).toEqual(['infrastructureCluster', 'controlPlane', 'controlPlaneMachineInfrastructure', 'md-0/bootstrap', 'md-0/infrastructure']);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { chart, cluster, line } = applyCase(c);
    const result = run(chart, cluster);
    expect(hasErrors(result.issues)).toBe(true);
    const file = c.target === 'chart' ? 'chart.yaml' : 'cluster.yaml';
    const found = result.issues.filter((i) => i.code === c.code);
    expect(found.map((i) => `${i.location?.file}:${i.location?.line}`), JSON.stringify(result.issues.map((i) => [i.code, i.location?.line, i.message]), null, 1)).toContain(`${file}:${line}`);
    for (const i of found) expect(i.message.length).toBeGreaterThan(10);
  });
});
