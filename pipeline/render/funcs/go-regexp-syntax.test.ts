import { describe, expect, it } from 'vitest';
import { compileGoRegexp } from './go-regexp-syntax.js';
import { findAll, replaceAll } from './go-regexp.js';

describe('Go regexp syntax', () => {
  it.each([
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?<n>a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
    ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
  ])('rejects %s', (expr, message) => {
    expect(() => compileGoRegexp(expr)).toThrow(message);
  });

  it.each([
    ['\\s+', 'a\u000bb c', 1],
    ['(?m)^x', 'x\nx\r\nx', 3],
    ['.', 'a\rb', 3],
    ['[[:^alpha:]]', 'a1-b', 2],
  ])('%s matches with Go semantics', (expr, input, count) => {
    expect(findAll(compileGoRegexp(expr), input, -1)).toHaveLength(count);
  });

  it('matches in linear time (RE2), where a backtracking engine takes minutes', () => {
    expect(findAll(compileGoRegexp('^(a+)+$'), `${'a'.repeat(5000)}!`, -1)).toEqual([]);
    expect(findAll(compileGoRegexp('(x+x+)+y'), 'x'.repeat(5000), -1)).toEqual([]);
  });

  it('skips empty matches next to a previous match like Go', () => {
    expect(replaceAll(compileGoRegexp('a*'), 'baaac', 'X', false)).toBe('XbXcX');
  });
});
