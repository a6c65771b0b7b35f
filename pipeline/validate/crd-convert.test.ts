import { describe, expect, it } from 'vitest';
import { convertCrdSchema, toKubeconformSchema, toStrictSchema } from './crd-convert.js';
import { createSchemaCatalog, type CrdVersion } from './crd-schema.js';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['port', 'name'],
      properties: {
        name: { type: 'string', default: 'x' },
        port: { 'x-kubernetes-int-or-string': true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        typed: { type: 'object', properties: { a: { type: 'string' } } },
        maybe: { type: 'string', nullable: true },
        cidr: { type: 'string', format: 'cidr' },
        uid: { type: 'string', format: 'uuid' },
        size: { type: 'integer', format: 'int32' },
        embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        count: { type: 'integer', minimum: 1, exclusiveMinimum: true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      },
    },
  },
};
const entry: CrdVersion = { group: 'g.io', version: 'v1', kind: 'K', served: true, deprecated: false, file: 'k.yaml', openAPIV3Schema: schema };
const catalog = createSchemaCatalog([entry]);
const obj = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'g.io/v1', kind: 'K', metadata: { name: 'n' }, spec: { port: 80, name: 'n', ...spec }, ...extra });
const errorsOf = (mode: 'strict' | 'kubeconform', value: unknown) => catalog.check(entry, mode)(value).map((e) => `${e.keyword}:${e.instancePath}`);

describe('CRD schema conversion', () => {
  it.each<[string, unknown, string[], string[]]>([
    ['valid object', obj({}), [], []],
    ['int-or-string takes a string', obj({ port: 'http' }), [], []],
    ['int-or-string rejects a bool (kubeconform ignores x-kubernetes-*)', obj({ port: true }), ['type:/spec/port'], []],
    ['unknown field in a typed object', obj({ typed: { a: 'x', b: 1 } }), ['additionalProperties:/spec/typed'], ['additionalProperties:/spec/typed']],
    ['preserve-unknown-fields lets anything in', obj({ free: { any: { thing: 1 } } }), [], []],
    ['nullable accepts null (strict only)', obj({ maybe: null }), [], ['type:/spec/maybe']],
    ['cidr format asserted by the apiserver, not kubeconform', obj({ cidr: '10.0.0.0/33' }), ['format:/spec/cidr'], []],
    ['uuid format in both', obj({ uid: 'nope' }), ['format:/spec/uid'], ['format:/spec/uid']],
    ['int32 format is not a string check', obj({ size: 3 }), [], []],
    ['embedded resource metadata is checked', obj({ embedded: { apiVersion: 'v1', kind: 'X', metadata: { nam: 'x' } } }), ['additionalProperties:/spec/embedded/metadata'], []],
    ['exclusiveMinimum as OpenAPI boolean', obj({ count: 1 }), ['exclusiveMinimum:/spec/count'], ['exclusiveMinimum:/spec/count']],
    ['list-type set means unique items', obj({ tags: ['a', 'a'] }), ['uniqueItems:/spec/tags'], []],
    ['required field with a default may be missing (defaulted first)', { apiVersion: 'g.io/v1', kind: 'K', spec: { port: 1 } }, [], ['required:/spec']],
    ['unknown root field', obj({}, { extra: 1 }), ['additionalProperties:'], []],
    ['metadata typo', { ...obj({}), metadata: { name: 'n', lables: {} } }, ['additionalProperties:/metadata'], []],
  ])('%s', (_name, value, strict, kubeconform) => {
    expect(errorsOf('strict', value)).toEqual(strict);
    expect(errorsOf('kubeconform', value)).toEqual(kubeconform);
  });

  it('compiles each GVK and mode once', () => {
    const fresh = createSchemaCatalog([entry]);
    expect(fresh.compiledCount()).toBe(0);
    fresh.check(entry, 'strict')(obj({}));
    fresh.check(entry, 'strict')(obj({}));
    expect(fresh.compiledCount()).toBe(1);
    fresh.check(entry, 'kubeconform');
    expect(fresh.compiledCount()).toBe(2);
  });

  it('kubeconform transforms: int-or-string format → oneOf, root left open', () => {
    const out = toKubeconformSchema({ type: 'object', properties: { p: { type: 'string', format: 'int-or-string' } } }) as Record<string, unknown>;
    expect(out.additionalProperties).toBeUndefined();
    expect((out.properties as Record<string, unknown>).p).toEqual({ oneOf: [{ type: 'string' }, { type: 'integer' }] });
    expect(convertCrdSchema({}, 'strict')).toEqual(toStrictSchema({}));
  });
});
