import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOracle, runOracle, type OracleCase } from '../../testing/go-oracle/oracle.js';
import { repoRoot, scsStacksDir } from '../../testing/paths.js';
import { sampleCluster } from '../stack/sample-cluster.js';
import { renderCsoValues, type CsoTemplateData } from './cso-values.js';

const data: CsoTemplateData = sampleCluster({ provider: 'hcloud', clusterClassName: 'hcloud-scs-1-32-v1', kubernetesVersion: '1.32.5', namespace: 'ns1' });

const files = [
  path.join(scsStacksDir, 'openstack/scs/cluster-addon/ccm/overwrite.yaml'),
  path.join(scsStacksDir, 'openstack/scs/cluster-addon/csi/overwrite.yaml'),
  path.join(scsStacksDir, 'openstack/scs/cluster-addon/metrics-server/overwrite.yaml'),
  path.join(scsStacksDir, 'docker/scs/cluster-addon-values.yaml'),
  ...['cni', 'ccm', 'csi'].map((a) => path.join(repoRoot, 'stacks/hcloud/scs/cluster-addon', a, 'overwrite.yaml')),
  ...['cni', 'ccm', 'csi'].map((a) => path.join(repoRoot, 'stacks/openstack/scs/cluster-addon', a, 'overwrite.yaml')),
];

/** Inline values files: what CSO's layer does with missing keys, numbers, functions. */
const inline: [string, string][] = [
  ['missing key prints <no value>', 'values: |\n  a: "{{ .Cluster.metadata.nope }}"\n'],
  ['missing parent prints <no value>', 'values: |\n  a: "{{ .Cluster.nope.deeper }}"\n'],
  ['int64 port prints as integer', 'values: |\n  port: {{ .Cluster.spec.controlPlaneEndpoint.port }}\n  big: {{ mul .Cluster.spec.controlPlaneEndpoint.port 1000 }}\n'],
  ['sprig string and list functions', 'values: |\n  n: {{ .Cluster.metadata.name | upper | quote }}\n  cidr: {{ first .Cluster.spec.clusterNetwork.pods.cidrBlocks | quote }}\n  j: {{ .Cluster.spec.clusterNetwork.services | toJson | squote }}\n'],
  ['infra cluster index', 'values: |\n  region: {{ index .InfraCluster.spec.controlPlaneRegions 0 }}\n'],
  ['control plane fields', 'values: |\n  r: {{ .ControlPlane.spec.replicas }}\n  v: {{ .ControlPlane.spec.version }}\n'],
  ['range and with', 'values: |\n  labels:\n  {{- range $k, $v := .Cluster.metadata.labels }}\n    {{ $k }}: {{ $v }}\n  {{- end }}\n  {{- with .Cluster.spec.topology }}\n  class: {{ .class }}\n  {{- end }}\n'],
  ['slim-sprig lacks genCA (parse error)', 'values: |\n  ca: {{ genCA "x" 365 }}\n'],
  ['slim-sprig lacks semverCompare', 'values: |\n  x: {{ semverCompare ">=1.0" "1.2" }}\n'],
  ['index of a missing map fails', 'values: |\n  r: {{ index .Nope.spec 0 }}\n'],
];

/** Oracle data: unstructured integers are int64 in CSO. */
function tag(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? { $int64: String(v) } : v;
  if (Array.isArray(v)) return v.map(tag);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tag(x)]));
  return v;
}

const cases = [...files.map((f) => [path.relative(path.dirname(repoRoot), f), readFileSync(f, 'utf8')] as [string, string]), ...inline];

describe('CSO values templating (layer 3) against Go text/template + slim Sprig', () => {
  let go: { output?: string; error?: string }[] = [];
  beforeAll(async () => {
    const bound = { Cluster: tag(data.cluster), ControlPlane: tag(data.controlPlane), InfraCluster: tag(data.infraCluster) };
    const oracleCases: OracleCase[] = cases.map(([, text]) => ({ name: 'values', template: text, data: bound, funcs: 'slim' }));
    go = await runOracle(oracleCases, await buildOracle());
  }, 120_000);

  it.each(cases.map(([label, text], i) => [label, text, i] as const))('%s', (_label, text, i) => {
    const expected = go[i] ?? {};
    let got: { output?: string; error?: string };
    try {
      got = { output: renderCsoValues(text, data, 'values').expanded };
    } catch (e) {
      got = { error: (e as Error).message };
    }
    if (expected.error !== undefined) {
      expect(got.error ?? '').toContain(expected.error);
    } else {
      expect(got).toEqual({ output: expected.output });
    }
  });
});

describe('renderCsoValues result', () => {
  it('returns the values string CSO passes to helm -f -', () => {
    const r = renderCsoValues('values: |\n  cluster:\n    name: {{ .Cluster.metadata.name }}\n', data, 'overwrite.yaml');
    expect(r.values).toBe('cluster:\n  name: csp-render\n');
  });

  it.each([
    ['values is a map', 'values:\n  a: 1\n', 'CSO_VALUES_NOT_STRING'],
    ['values key missing', 'other: |\n  a: 1\n', 'CSO_VALUES_NOT_STRING'],
    ['not YAML after templating', 'values: |\n  a: 1\n{{ "x: [" }}\n', 'CSO_VALUES_NOT_YAML'],
    ['unknown function', 'values: |\n  a: {{ nofunc }}\n', 'TEMPLATE_PARSE_ERROR'],
  ])('fails like CSO when %s', (_label, text, code) => {
    expect(() => renderCsoValues(text, data, 'stack/overwrite.yaml')).toThrow(expect.objectContaining({ code }));
  });

  it('positions template errors in the values file', () => {
    let error: unknown;
    try {
      renderCsoValues('values: |\n  a: 1\n  b: {{ index .Cluster.spec.nope 3 }}\n', data, 'stacks/x/overwrite.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'TEMPLATE_EXEC_ERROR', location: { file: 'stacks/x/overwrite.yaml', line: 3 } });
  });
});
