import { describe, expect, it } from 'vitest';
import { crdsDir } from '../testing/paths.js';
import { contentKey, createCheckStore } from './compiled-checks.js';
import { convertCrdSchema } from './crd-convert.js';
import { createAjv, createSchemaCatalog, gvkKey, loadCrdVersions, type CrdVersion } from './crd-schema.js';
import { loadSchemaSet } from './schema-set.js';
import { KUBERNETES_FORMATS } from './k8s-formats.js';
import { checkVariableValue } from './variables.js';

const { versions } = await loadCrdVersions([crdsDir]);
const kcpTemplate = versions.find((v) => v.kind === 'KubeadmControlPlaneTemplate' && v.served && !v.deprecated) as CrdVersion;
// A template with a typo, a wrong type and a missing field: several errors with different paths.
const broken = {
  apiVersion: `${kcpTemplate.group}/${kcpTemplate.version}`,
  kind: kcpTemplate.kind,
  metadata: { name: 'x' },
  spec: { template: { spec: { kubeadmConfigSpec: { fils: [], preKubeadmCommands: 'not-a-list' }, rolloutStrategy: { type: 7 } } } },
};

function freshErrors(entry: CrdVersion, value: unknown): unknown {
  const validate = createAjv(KUBERNETES_FORMATS).compile(convertCrdSchema(entry.openAPIV3Schema, 'strict') as object);
  validate(value);
  return validate.errors ?? [];
}

describe('contentKey', () => {
  it.each([
    ['plain JSON', { a: [1, 'x', true, null, { b: 2.5 }] }, '{"a":[1,"x",true,null,{"b":2.5}]}'],
    ['NaN is not JSON', { maximum: Number.NaN }, undefined],
    ['Infinity is not JSON', { maximum: Number.POSITIVE_INFINITY }, undefined],
    ['a Date is not plain', { default: new Date(0) }, undefined],
    ['undefined is not JSON', { a: undefined }, undefined],
  ])('%s', (_name, value, key) => {
    expect(contentKey(value)).toBe(key);
  });
});

describe('compiled checks shared within a run', () => {
  it('gives a fresh compile\'s errors, for the catalog of every minor, from one compile', () => {
    const first = createSchemaCatalog(versions);
    // Another minor's catalog: other core kinds, the same CRD objects (as loadSchemaSet builds one per minor).
    const second = createSchemaCatalog([...versions]);
    const a = first.check(kcpTemplate, 'strict');
    const b = second.check(kcpTemplate, 'strict');
    expect(b).toBe(a);
    const want = freshErrors(kcpTemplate, broken);
    expect((want as unknown[]).length).toBeGreaterThan(2);
    expect(a(broken)).toEqual(want);
    expect(b(broken)).toEqual(want);
    expect(first.compiledCount()).toBe(1);
    expect(second.compiledCount()).toBe(1);
  });

  it('the committed catalog: a provider CRD compiles once for every Kubernetes minor', async () => {
    const set = await loadSchemaSet([]);
    const [m32, m34] = [set.forMinor('1.32').catalog, set.forMinor('1.34').catalog];
    const cluster = m32.versions.get(gvkKey('cluster.x-k8s.io', 'v1beta1', 'ClusterClass')) as CrdVersion;
    expect(m34.versions.get(gvkKey('cluster.x-k8s.io', 'v1beta1', 'ClusterClass'))).toBe(cluster);
    expect(m34.check(cluster, 'strict')).toBe(m32.check(cluster, 'strict'));
    // Core kinds differ per minor: compiled per catalog.
    const pod32 = m32.versions.get(gvkKey('', 'v1', 'Pod')) as CrdVersion;
    const pod34 = m34.versions.get(gvkKey('', 'v1', 'Pod')) as CrdVersion;
    expect(m34.check(pod34, 'strict')).not.toBe(m32.check(pod32, 'strict'));
  });

  it('compiles again for another schema, even when its kind is the same', () => {
    const changed = structuredClone(kcpTemplate);
    const spec = (changed.openAPIV3Schema as { properties: { spec: { required?: string[] } } }).properties.spec;
    spec.required = [...(spec.required ?? []), 'extraField'];
    const a = createSchemaCatalog([kcpTemplate]).check(kcpTemplate, 'strict');
    const b = createSchemaCatalog([changed]).check(changed, 'strict');
    expect(b).not.toBe(a);
    expect(b(broken)).toEqual(freshErrors(changed, broken));
    expect(b(broken)).not.toEqual(a(broken));
    expect(createSchemaCatalog([kcpTemplate]).check(kcpTemplate, 'kubeconform')).not.toBe(a);
  });

  it('a store compiles schemas JSON cannot key every time, and bounds what it keeps', () => {
    const store = createCheckStore(createAjv(KUBERNETES_FORMATS), 2);
    const open = { type: 'object', maximum: Number.POSITIVE_INFINITY };
    expect(store.get(open)).not.toBe(store.get(open));
    expect(store.size()).toBe(0);
    const s1 = store.get({ type: 'string' });
    expect(store.get({ type: 'string' })).toBe(s1);
    store.get({ type: 'number' });
    store.get({ type: 'boolean' });
    expect(store.size()).toBe(2);
    expect(store.get({ type: 'string' })).not.toBe(s1);
    expect(s1(3)).toEqual(store.get({ type: 'string' })(3));
  });

  it('ClusterClass variables: equal schemas in new objects give the same errors; a changed schema others', () => {
    const schema = () => ({ type: 'object', required: ['port'], properties: { port: { type: 'integer', minimum: 1 }, host: { type: 'string', format: 'hostname' } } });
    const value = { port: 0, host: 'not a host', extra: true };
    const first = checkVariableValue(schema(), value);
    expect(first.map((e) => `${e.keyword}:${e.instancePath}`)).toEqual(expect.arrayContaining(['minimum:/port', 'format:/host']));
    expect(checkVariableValue(schema(), value)).toEqual(first);
    const narrower = { ...schema(), properties: { ...schema().properties, port: { type: 'integer', minimum: 0 } } };
    expect(checkVariableValue(narrower, value).map((e) => `${e.keyword}:${e.instancePath}`)).not.toContain('minimum:/port');
  });
});
