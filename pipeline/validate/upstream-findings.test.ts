import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../testing/paths.js';
import { loadSchemaSet, objectsFromYaml, validateTarget, type RenderedObject } from './index.js';
import { isUpstreamObject } from './upstream-findings.js';

// Real helm template output of hcloud-csi with the chart's full-values.yaml: probe timings under exec (unknown fields).
const full = fs.readFileSync(path.join(fixturesDir, 'helm-golden/hcloud-csi-2.22.1/full.yaml'), 'utf8');

function addonObjects(templateDir: string, text: string): RenderedObject[] {
  return objectsFromYaml('csi.yaml', text).objects.filter((o) => o.doc.kind !== 'ServiceMonitor').map((o) => ({ ...o, source: { ...o.source, file: `${templateDir}/x.yaml` } }));
}

async function run(templateDir: string, text: string) {
  const { catalog } = (await loadSchemaSet([])).forMinor('1.32');
  const target = { kubernetes: '1.32', kubernetesVersion: '1.32.5', clusterClass: { name: 'cc', releaseName: '', chartVersion: '', objects: [] }, addons: [{ name: 'csi', releaseName: 'csi', chartVersion: '2.22.1', objects: addonObjects(templateDir, text) }] };
  return validateTarget(target, catalog).issues.filter((i) => i.code.startsWith('SCHEMA_'));
}

describe('findings in upstream charts', () => {
  it.each<[string, boolean]>([
    ['cluster-addon/csi/charts/hcloud-csi/templates/node/daemonset.yaml', true],
    ['cluster-addon/csi/templates/storageclass.yaml', false],
    ['cluster-class/templates/cluster-class.yaml', false],
  ])('%s is upstream: %s', (file, expected) => {
    expect(isUpstreamObject({ doc: {}, source: { file, line: 1 } } as unknown as RenderedObject)).toBe(expected);
  });

  it('an unknown field the apiserver drops is a positioned warning in an upstream chart, an error in our own templates', async () => {
    const upstream = await run('cluster-addon/csi/charts/hcloud-csi/templates', full);
    expect(upstream.length).toBe(12);
    expect(upstream.every((i) => i.severity === 'warning' && i.code === 'SCHEMA_UNKNOWN_FIELD' && i.message.startsWith('upstream chart: '))).toBe(true);
    expect(upstream.every((i) => i.location?.line !== undefined)).toBe(true);
    const own = await run('cluster-addon/csi/templates', full);
    expect(own.map((i) => i.severity)).toEqual(Array(12).fill('error'));
  });

  it('what the apiserver rejects stays an error in an upstream chart', async () => {
    const broken = full.replace(/containerPort: (\d+)/, 'containerPort: "$1x"');
    const issues = await run('cluster-addon/csi/charts/hcloud-csi/templates', broken);
    expect(issues.filter((i) => i.severity === 'error').map((i) => `${i.code}:${i.path}`)).toEqual(['SCHEMA_WRONG_TYPE:/spec/template/spec/containers/2/ports/0/containerPort']);
  });
});
