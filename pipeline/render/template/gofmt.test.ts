import { describe, expect, it } from 'vitest';
import { formatFloat } from './go-float.js';
import { goQuote } from './go-strconv.js';
import { goSprint, goSprintf, goSprintln } from './gofmt.js';
import { GoNumber } from './values.js';
import type { GoValue } from './values.js';

// Expected strings were produced by Go 1.19's fmt (the oracle in pipeline/testing/go-oracle).
describe('goSprintf', () => {
  it.each([
    ['%v', 1e6, '1e+06'],
    ['%v', 1234567, '1.234567e+06'],
    ['%v', 0.0001, '0.0001'],
    ['%v', 0.00001, '1e-05'],
    ['%g', 100000, '100000'],
    ['%.2f', 2.675, '2.67'],
    ['%.0f', 2.5, '2'],
    ['%.0f', 3.5, '4'],
    ['%e', 0, '0.000000e+00'],
    ['%08.3f', -3.14159, '-003.142'],
    ['%+.3e', 12345.678, '+1.235e+04'],
    ['%x', 255n, 'ff'],
    ['%#o', 8n, '010'],
    ['%U', 0x1f600n, 'U+1F600'],
    ['%q', 'a\nb', '"a\\nb"'],
    ['%-5s|', 'ab', 'ab   |'],
    ['%5.1q', 'hello', '  "h"'],
    ['%.3g', 0.00012345, '0.000123'],
    ['%G', 1e-10, '1E-10'],
    ['%#.0f', 3, '3.'],
    ['%x', 'é', 'c3a9'],
    ['%d', 'x', '%!d(string=x)'],
    ['%s', null, '%!s(<nil>)'],
    ['%v', [1, 'a', null], '[1 a <nil>]'],
    ['%v', { b: 1, a: [true] }, 'map[a:[true] b:1]'],
    ['%T', new GoNumber('int64', 5n), 'int64'],
  ] as [string, GoValue, string][])('%s of %o', (format, arg, want) => {
    expect(goSprintf(format, arg)).toBe(want);
  });

  it('reports missing and extra operands like Go', () => {
    expect(goSprintf('%s %d', 'a')).toBe('a %!d(MISSING)');
    expect(goSprintf('x', 1n, 'y', null)).toBe('x%!(EXTRA int=1, string=y, <nil>)');
    expect(goSprintf('%!')).toBe('%!!(MISSING)');
    expect(goSprintf('%')).toBe('%!(NOVERB)');
    expect(goSprintf('%*d', 4n, 7n)).toBe('   7');
  });
});

describe('goSprint and goSprintln', () => {
  it.each([
    [[1n, 2n], '1 2'],
    [['a', 'b'], 'ab'],
    [[1n, 'a', 2n], '1a2'],
    [[1.5, 2.5], '1.5 2.5'],
    [[null], '<nil>'],
  ] as [GoValue[], string][])('Sprint %o', (args, want) => {
    expect(goSprint(...args)).toBe(want);
  });

  it('Sprintln always separates and ends with a newline', () => {
    expect(goSprintln('a', 'b', 1n)).toBe('a b 1\n');
  });
});

describe('formatFloat and goQuote', () => {
  it.each([
    [1e21, 'g', -1, '1e+21'],
    [123456789, 'f', -1, '123456789'],
    [0.1 + 0.2, 'g', -1, '0.30000000000000004'],
    [1 / 3, 'e', 3, '3.333e-01'],
    [-0, 'g', -1, '-0'],
    [Infinity, 'f', 2, '+Inf'],
    [0.1, 'g', -1, '0.1'],
  ] as [number, string, number, string][])('formatFloat(%d, %s, %d)', (x, f, prec, want) => {
    expect(formatFloat(x, f, prec)).toBe(want);
  });

  it.each([
    ['plain', '"plain"'],
    ['tab\there "q" \\', '"tab\\there \\"q\\" \\\\"'],
    ['\u0001\u007f', '"\\x01\\x7f"'],
    ['é😀', '"é😀"'],
    ['\u200b', '"\\u200b"'],
  ])('goQuote(%j)', (s, want) => {
    expect(goQuote(s)).toBe(want);
  });
});
