import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { crdsDir } from '../testing/paths.js';
import { loadCatalog, objectsFromYaml, validateTarget, type SchemaCatalog } from './index.js';
import type { JsonObject } from './types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const chartText = fs.readFileSync(path.join(fixtures, 'class-chart.yaml'), 'utf8');
const clusterText = fs.readFileSync(path.join(fixtures, 'cluster.yaml'), 'utf8');
let catalog: SchemaCatalog;

beforeAll(async () => {
  catalog = (await loadCatalog([crdsDir])).catalog;
});

function edit(text: string, find: string, replace: string): string {
  expect(text.split(find)).toHaveLength(2);
  return text.replace(find, () => replace);
}

function run(chart = chartText, cluster: string | null = clusterText) {
  const objects = objectsFromYaml('chart.yaml', chart).objects;
  const target = { kubernetes: '1.32', kubernetesVersion: '1.32.5', clusterClass: { name: 'c', releaseName: 'docker-demo-1-32', chartVersion: 'v1', objects }, addons: [] };
  return validateTarget(target, catalog, cluster === null ? {} : { cluster: objectsFromYaml('cluster.yaml', cluster).objects[0] });
}

const specOf = (doc: JsonObject, ...keys: string[]): unknown => keys.reduce<unknown>((n, k) => (n as JsonObject | undefined)?.[k], doc);
const item = (r: ReturnType<typeof run>, id: string) => r.items.find((i) => i.id === id)?.doc as JsonObject;
const errors = (r: ReturnType<typeof run>) => r.issues.filter((i) => i.severity === 'error');

describe('topology dry-run', () => {
  it('an enabledIf that prints <no value> for an unset variable only warns and names it (CAPI disables the patch)', () => {
    const chart = edit(chartText, "enabledIf: '{{ if and .oidcConfig .oidcConfig.clientID }}true{{ end }}'", "enabledIf: '{{ and .oidcConfig (eq .oidcConfig.clientID \"kubectl\") }}'");
    const r = run(chart, null);
    expect(errors(r)).toEqual([]);
    const warned = r.issues.filter((i) => i.code === 'DRY_RUN_ENABLED_IF');
    expect(warned.length).toBeGreaterThan(0);
    for (const w of warned) {
      expect(w.severity).toBe('warning');
      expect(w.message).toContain('because oidcConfig is unset');
    }
    expect(r.items.find((i) => i.id === 'controlPlane')?.enabled).not.toContain('oidc');
  });

  it('defaults variables and applies every enabled patch in order', () => {
    const r = run();
    expect(errors(r)).toEqual([]);
    const api = specOf(item(r, 'controlPlane'), 'spec', 'template', 'spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'apiServer') as JsonObject;
    expect(api.extraArgs).toEqual({ 'enable-admission-plugins': 'NodeRestriction', 'oidc-client-id': 'kubectl', 'oidc-username-claim': 'preferred_username', 'audit-log-path': '/var/log/kubernetes/audit/audit.log' });
    expect(api.certSANs).toEqual(['localhost', 'api.example.com']);
    expect(r.items.find((i) => i.id === 'controlPlane')?.enabled).toEqual(['oidc', 'auditLogging', 'certSANs']);
  });

  it('generates a Cluster from defaults and examples when none is given', () => {
    const r = run(chartText, null);
    expect(errors(r)).toEqual([]);
    expect(r.cluster?.source.file).toBe('<generated Cluster for docker-demo-1-32-v1>');
    expect(specOf(item(r, 'md-0/infrastructure'), 'spec', 'template', 'spec', 'customImage')).toBe('kindest/node:v1.32.5');
    expect(r.items.find((i) => i.id === 'controlPlane')?.enabled).toEqual(['auditLogging']);
  });

  it('MachineDeployment overrides win for worker items only', () => {
    const cluster = edit(clusterText, '          replicas: 1\n', '          replicas: 1\n          variables:\n            overrides:\n              - name: imageName\n                value: registry.example/node:v1.32.5\n');
    const r = run(chartText, cluster);
    expect(errors(r)).toEqual([]);
    expect(specOf(item(r, 'md-0/infrastructure'), 'spec', 'template', 'spec', 'customImage')).toBe('registry.example/node:v1.32.5');
    expect(specOf(item(r, 'controlPlaneMachineInfrastructure'), 'spec', 'template', 'spec', 'customImage')).toBe('kindest/node:v1.32.5');
  });

  it('builtin variables carry Cluster and MachineDeployment facts', () => {
    const chart = edit(chartText, '              valueFrom:\n                variable: imageName', '              valueFrom:\n                template: \'{{ .builtin.cluster.name }}-{{ with .builtin.machineDeployment }}{{ .topologyName }}{{ else }}cp{{ end }}\'');
    const r = run(chart);
    expect(errors(r)).toEqual([]);
    expect(specOf(item(r, 'md-0/infrastructure'), 'spec', 'template', 'spec', 'customImage')).toBe('demo-md-0');
    expect(specOf(item(r, 'controlPlaneMachineInfrastructure'), 'spec', 'template', 'spec', 'customImage')).toBe('demo-cp');
  });

  it('a failing add names the patch and the variable values it read', () => {
    const chart = edit(chartText, 'extraArgs/audit-log-path', 'extraArgz/x/audit-log-path');
    const failed = run(chart).issues.find((i) => i.code === 'DRY_RUN_PATCH_FAILED');
    expect(failed?.message).toMatch(/dry-run controlPlane: patch "auditLogging" .*missing path.*\[variables: auditLogging=true\]/);
  });

  it('a schema failure after patching points at the patch operation with the variable values', () => {
    const chart = edit(chartText, "template: '{{ concat (list \"localhost\") .certSANs | toJson }}'", "template: '{{ first .certSANs }}'");
    const r = run(chart);
    const failed = r.issues.find((i) => i.code === 'SCHEMA_WRONG_TYPE');
    expect(failed?.message).toMatch(/certSANs must be array \(set by patch "certSANs"\) \[variables: certSANs=\["api.example.com"\]\]/);
    expect(failed?.location?.line).toBe(chart.split('\n').findIndex((l) => l.includes("template: '{{ first .certSANs }}'")) - 2);
    // The patched template's own position (the deepest node that exists before patching) is the related location.
    const lines = chart.split('\n');
    const kcp = lines.indexOf('kind: KubeadmControlPlaneTemplate');
    expect(failed?.related?.[0]?.line).toBeGreaterThan(kcp);
    expect(failed?.related?.[0]?.line).toBeLessThan(lines.indexOf('kind: DockerMachineTemplate'));
  });

  it('a variable that is unset at run time fails the patch', () => {
    const chart = edit(chartText, "enabledIf: '{{ if and .oidcConfig .oidcConfig.clientID }}true{{ end }}'", "enabledIf: '{{ if .oidcConfig }}true{{ end }}'");
    const cluster = edit(clusterText, '          clientID: kubectl\n', '');
    const missing = run(chart, cluster).issues.find((i) => i.code === 'DRY_RUN_VARIABLE_MISSING');
    expect(missing?.message).toMatch(/reads variable oidcConfig.clientID, which is not set/);
  });

  it('a required variable without default must be set', () => {
    const chart = edit(chartText, '    - name: imageName\n      required: false', '    - name: imageName\n      required: true');
    const cluster = edit(clusterText, '      - name: imageName\n        value: kindest/node:v1.32.5\n', '');
    expect(run(chart, cluster).issues.map((i) => i.code)).toContain('CLUSTER_VARIABLE_REQUIRED');
  });

  it('later patches see what earlier patches added', () => {
    const chart = edit(chartText, '              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/extraArgs/audit-log-path\n              value: /var/log/kubernetes/audit/audit.log',
      '              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/extraArgs/oidc-client-id\n              value: replaced');
    const r = run(chart);
    expect(specOf(item(r, 'controlPlane'), 'spec', 'template', 'spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'apiServer', 'extraArgs', 'oidc-client-id')).toBe('replaced');
  });

  it('a v1beta2 Cluster names its class with classRef', () => {
    const cluster = edit(clusterText, '    class: docker-demo-1-32-v1', '    classRef:\n      name: docker-demo-1-32-v1').replace('cluster.x-k8s.io/v1beta1', 'cluster.x-k8s.io/v1beta2');
    const r = run(chartText, cluster);
    expect(r.issues.map((i) => i.code)).not.toContain('CLUSTER_CLASS_MISMATCH');
    expect(r.items).toHaveLength(5);
  });
});
