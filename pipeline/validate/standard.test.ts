import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkClusterClass } from './class-check.js';
import { objectsFromYaml } from './read-objects.js';
import { checkStandard, incompatibility, signature, type StandardProvider } from './standard.js';
import type { RenderedObject } from './types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const chart = objectsFromYaml('chart.yaml', fs.readFileSync(path.join(fixtures, 'class-chart.yaml'), 'utf8')).objects;
const example = objectsFromYaml('cluster-example.yaml', fs.readFileSync(path.join(fixtures, 'cluster.yaml'), 'utf8')).objects[0] as RenderedObject;

function storageClass(name: string, isDefault: boolean): RenderedObject {
  return { source: { file: 'csi.yaml' }, doc: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations: { 'storageclass.kubernetes.io/is-default-class': String(isDefault) } }, provisioner: 'x' } };
}

function provider(name: string, over: Partial<StandardProvider> = {}): StandardProvider {
  const classObject = chart.find((o) => o.doc.kind === 'ClusterClass') as RenderedObject;
  const { model, variables } = checkClusterClass({ classObject, objects: chart });
  return { provider: name, model, variables, classObjects: chart, addonObjects: [], loadBalancers: [], hasCsi: false, stackFile: `${name}/stack.yaml`, ...over };
}

describe('variable signatures', () => {
  it.each<[string, unknown, unknown, string | undefined]>([
    ['same scalar', 'string', { type: 'string' }, undefined],
    ['other scalar', 'integer', { type: 'string' }, 'value is string, expected integer'],
    ['array of strings', ['string'], { type: 'array', items: { type: 'string' } }, undefined],
    ['array of integers', ['string'], { type: 'array', items: { type: 'integer' } }, '[] is integer, expected string'],
    ['object with extra fields is compatible', { a: 'string' }, { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } }, undefined],
    ['object missing a field', { a: 'string', b: 'string' }, { type: 'object', properties: { a: { type: 'string' } } }, 'b is missing'],
    ['object expected', { a: 'string' }, { type: 'string' }, 'value is string, expected an object'],
  ])('%s', (_name, expected, schema, why) => {
    expect(incompatibility(expected, signature(schema))).toBe(why);
  });
});

describe('checkStandard', () => {
  it('reports missing and incompatible standard variables of a class', () => {
    const issues = checkStandard({ providers: [provider('docker')] });
    expect(issues.map((i) => `${i.code}:${i.message.match(/"(\w+)"/)?.[1]}`)).toEqual([
      'STANDARD_VARIABLE_MISSING:controlPlaneMachineSize',
      'STANDARD_VARIABLE_MISSING:workerMachineSize',
      'STANDARD_VARIABLE_MISSING:networkMTU',
      'STANDARD_VARIABLE_INCOMPATIBLE:oidcConfig',
    ]);
    expect(issues[3]?.message).toMatch(/issuerURL|groupsClaim/);
    expect(issues.every((i) => i.location?.file === 'chart.yaml')).toBe(true);
  });

  it('runs the example Cluster on each provider with only the class changed', () => {
    const renamed = structuredClone(example);
    (renamed.doc.spec as { topology: { class: string } }).topology.class = 'some-other-class';
    expect(checkStandard({ providers: [provider('docker')], example: renamed }).filter((i) => i.code === 'STANDARD_EXAMPLE_FAILS')).toEqual([]);
    const broken = structuredClone(example);
    (broken.doc.spec as { topology: { variables: { name: string }[] } }).topology.variables.push({ name: 'flavor' });
    const fails = checkStandard({ providers: [provider('docker')], example: broken }).filter((i) => i.code === 'STANDARD_EXAMPLE_FAILS');
    expect(fails).toHaveLength(1);
    expect(fails[0]?.message).toMatch(/\[docker\].*CLUSTER_VARIABLE_UNDEFINED.*"flavor"/);
  });

  it.each<[string, StandardProvider[], string[]]>([
    ['declared classes rendered with the right default', [provider('a', { hasCsi: true, standard: { storageClasses: [{ name: 'default', default: true }] }, addonObjects: [storageClass('default', true)] })], []],
    ['declared class not rendered', [provider('a', { hasCsi: true, standard: { storageClasses: [{ name: 'fast' }] }, addonObjects: [storageClass('default', true)] })], ['a:STANDARD_STORAGECLASS_MISSING']],
    ['default flag differs', [provider('a', { hasCsi: true, standard: { storageClasses: [{ name: 'default', default: true }] }, addonObjects: [storageClass('default', false)] })], ['a:STANDARD_STORAGECLASS_DEFAULT']],
    ['a name only one provider declares', [
      provider('a', { hasCsi: true, standard: { storageClasses: [{ name: 'default', default: true }, { name: 'a-ssd' }] }, addonObjects: [storageClass('default', true), storageClass('a-ssd', false)] }),
      provider('b', { hasCsi: true, standard: { storageClasses: [{ name: 'default', default: true }] }, addonObjects: [storageClass('default', true)] }),
    ], ['b:STANDARD_STORAGECLASS_NOT_COMMON']],
    ['providers without CSI are not checked', [provider('a', { standard: { storageClasses: [{ name: 'x' }] } })], []],
    ['annotation keys mapped by every provider with load balancers', [
      provider('a', { loadBalancers: ['octavia'], standard: { loadBalancerAnnotations: { 'load-balancer.scs.cloud/internal': 'x', 'load-balancer.scs.cloud/hostname': 'y' } } }),
      provider('b', { loadBalancers: ['hcloud'], standard: { loadBalancerAnnotations: { 'load-balancer.scs.cloud/internal': 'z' } } }),
      provider('c', { loadBalancers: [] }),
    ], ['b:STANDARD_ANNOTATION_UNMAPPED']],
  ])('%s', (_name, providers, expected) => {
    const issues = checkStandard({ providers }).filter((i) => !i.code.startsWith('STANDARD_VARIABLE'));
    expect(issues.map((i) => `${/^\[(\w+)\]/.exec(i.message)?.[1]}:${i.code}`)).toEqual(expected);
  });
});
