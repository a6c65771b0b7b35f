import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkClusterClass } from './class-check.js';
import { objectsFromYaml } from './read-objects.js';
import type { StandardVariable } from '../stack/index.js';
import { checkStandard, incompatibility, signature, STANDARD_VARIABLES, type StandardProvider } from './standard.js';
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
    ['any object for an object without fields', 'object', { type: 'object', properties: { a: { type: 'string' } } }, undefined],
    ['object without fields is no scalar', 'object', { type: 'string' }, 'value is string, expected object'],
    ['array without item type', signature({ type: 'array' }), { type: 'array', items: { type: 'integer' } }, undefined],
    ['declared object field', signature({ type: 'object', properties: { a: { type: 'integer' } } }), { type: 'object', properties: { a: { type: 'string' } } }, 'a is string, expected integer'],
  ])('%s', (_name, expected, schema, why) => {
    expect(incompatibility(expected, signature(schema))).toBe(why);
  });
});

/** The variables the fixture class defines, declared as the class defines them. */
const fixtureInterface: Record<string, StandardVariable> = {
  imageName: { type: 'string' },
  auditLogging: { type: 'boolean' },
  oidcConfig: { type: 'object', properties: { clientID: { type: 'string' }, issuerURL: { type: 'string' } } },
  certSANs: { type: 'array', items: { type: 'string' } },
};

function declaring(name: string, variables: Record<string, StandardVariable>, over: Partial<StandardProvider> = {}): StandardProvider {
  return provider(name, { standard: { variables }, ...over });
}

const codes = (issues: { code: string; message: string }[]): string[] => issues.map((i) => `${/^\[(\w+)\]/.exec(i.message)?.[1]}:${i.code}:${/"(\w+)"/.exec(i.message)?.[1] ?? ''}`);

describe('declared standard variables', () => {
  it.each<[string, StandardProvider[], string[]]>([
    ['class exposes the declared interface', [declaring('a', fixtureInterface)], []],
    ['declared variable missing from the ClusterClass', [declaring('a', { ...fixtureInterface, workerMachineSize: { type: 'string' } })], ['a:STANDARD_VARIABLE_MISSING:workerMachineSize']],
    ['type mismatch', [declaring('a', { ...fixtureInterface, auditLogging: { type: 'string' } })], ['a:STANDARD_VARIABLE_INCOMPATIBLE:auditLogging']],
    ['object field the class lacks', [declaring('a', { oidcConfig: { type: 'object', properties: { groupsClaim: { type: 'string' } } } })], ['a:STANDARD_VARIABLE_INCOMPATIBLE:oidcConfig']],
    ['array item type mismatch', [declaring('a', { certSANs: { type: 'array', items: { type: 'integer' } } })], ['a:STANDARD_VARIABLE_INCOMPATIBLE:certSANs']],
    ['declared required, class optional', [declaring('a', { imageName: { type: 'string', required: true } })], ['a:STANDARD_VARIABLE_REQUIRED:imageName']],
    ['only declared variables are checked', [declaring('a', { imageName: { type: 'string' } })], []],
    ['providers declaring the same interface', [declaring('a', fixtureInterface), declaring('b', { ...fixtureInterface })], []],
    ['a provider declares a different type', [
      declaring('a', fixtureInterface),
      declaring('b', fixtureInterface),
      declaring('c', { ...fixtureInterface, certSANs: { type: 'string' } }),
    ], ['c:STANDARD_INTERFACE_DIFFERS:certSANs', 'c:STANDARD_VARIABLE_INCOMPATIBLE:certSANs']],
    ['a provider lacks a variable the others declare', [
      declaring('a', fixtureInterface),
      declaring('b', { imageName: { type: 'string' } }),
      declaring('c', fixtureInterface),
    ], ['b:STANDARD_INTERFACE_DIFFERS:auditLogging', 'b:STANDARD_INTERFACE_DIFFERS:certSANs', 'b:STANDARD_INTERFACE_DIFFERS:oidcConfig']],
    ['a provider declares a variable the others do not', [
      declaring('a', { imageName: { type: 'string' } }),
      declaring('b', { imageName: { type: 'string' }, auditLogging: { type: 'boolean' } }),
      declaring('c', { imageName: { type: 'string' } }),
    ], ['b:STANDARD_INTERFACE_DIFFERS:auditLogging']],
    ['on a tie, the provider that lacks a variable is reported', [
      declaring('a', { imageName: { type: 'string' } }),
      declaring('b', { imageName: { type: 'string' }, auditLogging: { type: 'boolean' } }),
    ], ['a:STANDARD_INTERFACE_DIFFERS:auditLogging']],
    ['required differs between two providers', [
      declaring('a', { imageName: { type: 'string' } }),
      declaring('b', { imageName: { type: 'string', required: true } }),
    ], ['b:STANDARD_INTERFACE_DIFFERS:imageName', 'b:STANDARD_VARIABLE_REQUIRED:imageName']],
    ['object fields in another order are the same interface', [
      declaring('a', { oidcConfig: { type: 'object', properties: { clientID: { type: 'string' }, issuerURL: { type: 'string' } } } }),
      declaring('b', { oidcConfig: { type: 'object', properties: { issuerURL: { type: 'string' }, clientID: { type: 'string' } } } }),
    ], []],
  ])('%s', (_name, providers, expected) => {
    expect(codes(checkStandard({ providers }))).toEqual(expected);
  });

  it('names the stack.yaml entry of a provider whose declaration differs', () => {
    const locations = { 'b/stack.yaml#': { file: 'b/stack.yaml', line: 1, column: 1 }, 'b/stack.yaml#/standard/variables/certSANs': { file: 'b/stack.yaml', line: 12, column: 7 } };
    const issues = checkStandard({ providers: [declaring('a', fixtureInterface), declaring('b', { ...fixtureInterface, certSANs: { type: 'array' } }, { locations })] });
    const differs = issues.filter((i) => i.code === 'STANDARD_INTERFACE_DIFFERS');
    expect(differs.map((i) => i.location)).toEqual([{ file: 'b/stack.yaml', line: 12, column: 7 }]);
    expect(differs[0]?.message).toContain(`as ${JSON.stringify(['any'])}; a declares it as ${JSON.stringify(['string'])}`);
  });

  it('falls back to the built-in interface only for a stack without stack.yaml, with a note', () => {
    const issues = checkStandard({ providers: [provider('docker', { stackFile: 'stacks/docker/scs/stack.yaml' })] });
    expect(issues[0]).toMatchObject({ severity: 'note', code: 'STANDARD_VARIABLES_BUILTIN', location: { file: 'stacks/docker/scs' } });
    const missing = Object.keys(STANDARD_VARIABLES).filter((name) => !chart.some((o) => o.doc.kind === 'ClusterClass' && JSON.stringify(o.doc).includes(`"name":"${name}"`)));
    expect(missing.length).toBeGreaterThan(0);
    expect(issues.filter((i) => i.code === 'STANDARD_VARIABLE_MISSING').map((i) => /"(\w+)"/.exec(i.message)?.[1])).toEqual(missing);
    expect(issues.find((i) => i.code === 'STANDARD_VARIABLE_INCOMPATIBLE')?.message).toMatch(/built-in standard variable "oidcConfig": (groupsClaim|usernamePrefix|groupsPrefix) is missing/);
  });

  it('warns when a stack.yaml declares no variables, and compares it as declaring none', () => {
    const locations = { 'b/stack.yaml#': { file: 'b/stack.yaml', line: 1, column: 1 } };
    const issues = checkStandard({ providers: [declaring('a', { imageName: { type: 'string' } }), provider('b', { stackFile: 'b/stack.yaml', locations })] });
    expect(codes(issues)).toEqual(['b:STANDARD_VARIABLES_UNDECLARED:', 'b:STANDARD_INTERFACE_DIFFERS:imageName']);
    expect(issues[0]?.severity).toBe('warning');
  });
});

describe('checkStandard', () => {

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
