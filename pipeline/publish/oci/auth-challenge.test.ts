import { describe, expect, it } from 'vitest';
import { coversScopes, mergeScopes, parseChallenge } from './auth-challenge.js';
import { nextLink } from './manifests.js';

describe('parseChallenge', () => {
  it.each([
    [
      'Bearer realm="http://127.0.0.1:1/token",service="svc",scope="repository:a/b:pull,push"',
      { scheme: 'bearer', params: { realm: 'http://127.0.0.1:1/token', service: 'svc', scope: 'repository:a/b:pull,push' } },
    ],
    [
      'Bearer realm="https://auth.example/token", service="reg", scope="repository:a:pull repository:b:pull", error="insufficient_scope"',
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a:pull repository:b:pull', error: 'insufficient_scope' } },
    ],
    ['Basic realm="csp-test"', { scheme: 'basic', params: { realm: 'csp-test' } }],
    ['basic realm=plain', { scheme: 'basic', params: { realm: 'plain' } }],
    ['Negotiate', { scheme: 'other', params: {} }],
    ['Bearer realm="with \\"quote\\""', { scheme: 'bearer', params: { realm: 'with "quote"' } }],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  it('returns null without a header', () => expect(parseChallenge(null)).toBeNull());
});

describe('scopes', () => {
  it.each([
    [['repository:a:push', 'repository:a:pull'], ['repository:a:pull,push']],
    [['repository:b:pull repository:a:pull'], ['repository:a:pull', 'repository:b:pull']],
    [['repository:a:pull', 'repository:a:pull'], ['repository:a:pull']],
    [['registry:catalog:*'], ['registry:catalog:*']],
  ])('mergeScopes(%j)', (input, expected) => expect(mergeScopes(input)).toEqual(expected));

  it.each([
    [['repository:a:pull,push'], ['repository:a:pull'], true],
    [['repository:a:pull'], ['repository:a:pull,push'], false],
    [['repository:a:*'], ['repository:a:push'], true],
    [['repository:a:pull,push'], ['repository:a:pull,push', 'repository:b:pull'], false],
    [[], [], true],
  ])('coversScopes(%j, %j) = %s', (have, want, expected) => expect(coversScopes(have, want)).toBe(expected));
});

describe('nextLink', () => {
  it.each([
    ['</v2/a/tags/list?n=2&last=b>; rel="next"', '/v2/a/tags/list?n=2&last=b'],
    ['<https://r.example/v2/a/tags/list?last=b>; rel=next', 'https://r.example/v2/a/tags/list?last=b'],
    ['</x>; rel="prev", </y>; rel="next"', '/y'],
    ['</x>; rel="prev"', null],
    [null, null],
  ])('%s', (header, expected) => expect(nextLink(header)).toBe(expected));
});
