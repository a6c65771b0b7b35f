import { describe, expect, it } from 'vitest';
import { classNameMatches, selectorMatches } from './class-model.js';
import { correspondingLine, mapIssuesToTemplates } from './template-lines.js';

const template = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ .Release.Name }}-x', 'data:', '  a: "1"', '  b: {{ .Values.b }}', '  a: "1"'];
const rendered = ['---', '# Source: c/templates/cm.yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: rel-x', 'data:', '  a: "1"', '  b: 2', '  a: "1"'];

describe('rendered line → template line', () => {
  it.each<[string, number, number | undefined]>([
    ['literal line', 2, 0],
    ['another literal line', 3, 1],
    ['templated value: same key and indent', 5, 3],
    ['templated value further down', 8, 6],
    ['second identical literal line takes the second occurrence', 9, 7],
    ['comment header has no counterpart', 1, undefined],
  ])('%s', (_name, index, expected) => {
    expect(correspondingLine(rendered, index, template)).toBe(expected);
  });

  it('rewrites issue locations and keeps the rendered one as related', () => {
    const issues = [{ severity: 'error' as const, code: 'X', message: 'm', location: { file: 'out.yaml', line: 9, column: 6 }, related: [{ file: 'chart/templates/cm.yaml' }] }];
    const mapped = mapIssuesToTemplates(issues, new Map([['out.yaml', rendered.join('\n')]]), (f) => (f === 'chart/templates/cm.yaml' ? template.join('\n') : undefined));
    expect(mapped[0]?.location).toEqual({ file: 'chart/templates/cm.yaml', line: 7, column: 6 });
    expect(mapped[0]?.related).toEqual([{ file: 'out.yaml', line: 9, column: 6 }]);
    expect(mapIssuesToTemplates(issues, new Map(), () => undefined)).toEqual(issues);
  });
});

describe('patch selectors (CAPI matchesSelector)', () => {
  const kcp = { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlaneTemplate' };
  const md = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DockerMachineTemplate' };
  it.each<[string, unknown, Parameters<typeof selectorMatches>[1], boolean]>([
    ['control plane', { ...kcp, matchResources: { controlPlane: true } }, { ...kcp, role: 'controlPlane' }, true],
    ['controlPlane: false is no filter', { ...kcp, matchResources: { controlPlane: false } }, { ...kcp, role: 'controlPlane' }, false],
    ['apiVersion must match exactly', { ...kcp, apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', matchResources: { controlPlane: true } }, { ...kcp, role: 'controlPlane' }, false],
    ['CP machine infrastructure via controlPlane', { ...md, matchResources: { controlPlane: true } }, { ...md, role: 'controlPlaneMachineInfrastructure' }, true],
    ['worker class by name', { ...md, matchResources: { machineDeploymentClass: { names: ['default-worker'] } } }, { ...md, role: 'machineDeploymentInfrastructure', workerClass: 'default-worker' }, true],
    ['worker class prefix*', { ...md, matchResources: { machineDeploymentClass: { names: ['default-*'] } } }, { ...md, role: 'machineDeploymentInfrastructure', workerClass: 'default-worker' }, true],
    ['worker class not listed', { ...md, matchResources: { machineDeploymentClass: { names: ['gpu'] } } }, { ...md, role: 'machineDeploymentInfrastructure', workerClass: 'default-worker' }, false],
    ['infrastructure cluster flag does not select workers', { ...md, matchResources: { infrastructureCluster: true } }, { ...md, role: 'machineDeploymentInfrastructure', workerClass: 'w' }, false],
  ])('%s', (_name, selector, target, expected) => {
    expect(selectorMatches(selector, target)).toBe(expected);
  });

  it.each<[string, string, boolean]>([['*', 'x', true], ['*-gpu', 'a-gpu', true], ['a*', 'b', false], ['exact', 'exact', true]])('name %s ~ %s', (p, n, e) => {
    expect(classNameMatches(p, n)).toBe(e);
  });
});
