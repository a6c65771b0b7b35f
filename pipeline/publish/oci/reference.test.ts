import { describe, expect, it } from 'vitest';
import { formatReference, isLoopbackHost, parseReference, referrersTag } from './reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['127.0.0.1:5000/kaas/cluster-stacks:openstack-scs-1-30-v1', { registry: '127.0.0.1:5000', repository: 'kaas/cluster-stacks', tag: 'openstack-scs-1-30-v1' }],
    ['oci://registry.scs.community/kaas/cluster-stacks', { registry: 'registry.scs.community', repository: 'kaas/cluster-stacks' }],
    [`localhost/a@${D}`, { registry: 'localhost', repository: 'a', digest: D }],
    [`ghcr.io/o/r:v1@${D}`, { registry: 'ghcr.io', repository: 'o/r', tag: 'v1', digest: D }],
    ['[::1]:5000/a/b-c_d.e:V_1.2-3', { registry: '[::1]:5000', repository: 'a/b-c_d.e', tag: 'V_1.2-3' }],
  ])('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
    expect(formatReference(parseReference(input))).toBe(input.replace(/^oci:\/\//, ''));
  });

  it.each([
    ['kaas/cluster-stacks:v1', /not a registry host/],
    ['cluster-stacks', /no registry host/],
    ['ghcr.io/Upper/case', /repository name/],
    ['ghcr.io/a:-bad', /valid tag/],
    ['ghcr.io/a@sha256:1234', /sha256 digest/],
    ['ghcr.io/', /repository name/],
    ['ghcr.io/a//b', /repository name/],
    ['oci://user:s3cr3t-pw@ghcr.io/kaas/x:v1', /"oci:\/\/\*\*\*@ghcr\.io\/kaas\/x:v1": credentials do not belong/],
  ])('refuses %s', (input, why) => {
    expect(() => parseReference(input)).toThrow(why);
    try {
      parseReference(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'OCI_REFERENCE_INVALID', exitCode: 1 });
      expect(String((error as Error).message)).not.toContain('s3cr3t');
    }
  });
});

describe('isLoopbackHost and referrersTag', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['localhost', true],
    ['[::1]:443', true],
    ['registry.scs.community', false],
    ['127.example.com', false],
  ])('%s loopback=%s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));

  it('builds the fallback tag sha256-<hex>', () => {
    expect(referrersTag(D)).toBe(`sha256-${'a'.repeat(64)}`);
  });
});
