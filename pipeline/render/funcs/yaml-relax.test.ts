import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { relaxQuotedScalarIndent } from './yaml-relax.js';

describe('relaxQuotedScalarIndent', () => {
  it.each([
    ['under-indented double-quoted continuation (SCS openstack cluster-class)', 'a:\n  b:\n    description: "URL of the\ndis cover public\nemp ty path"\n  c: 1\n', { a: { b: { description: 'URL of the dis cover public emp ty path' }, c: 1 } }],
    ['single-quoted with escaped quote', "k: 'it''s\nnext'\n", { k: "it's next" }],
    ['sequence item', '- "a\nb"\n- c\n', ['a b', 'c']],
    ['escaped double quote does not close', 'k: "x \\" y\nz"\n', { k: 'x " y z' }],
  ])('%s', (_label, text, expected) => {
    expect(() => parse(text)).toThrow();
    expect(parse(relaxQuotedScalarIndent(text))).toEqual(expected);
  });

  it.each([
    ['block scalar content with quotes stays', 'k: |\n  say "hi\n  there\nn: 1\n'],
    ['plain scalar with a quote inside', 'cmd: echo "a b"\nx: it\'s\n'],
    ['already valid multi-line quoted scalar', 'k: "a\n  b"\n'],
    ['comment with a quote', '# don"t\nk: v\n'],
  ])('leaves valid YAML unchanged: %s', (_label, text) => {
    expect(relaxQuotedScalarIndent(text)).toBe(text);
  });
});
