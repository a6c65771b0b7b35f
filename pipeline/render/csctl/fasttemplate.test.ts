import { describe, expect, it } from 'vitest';
import { csctlTags, isTextContent, parseCsctlTags, substituteCsctlTags } from './fasttemplate.js';

const tags = csctlTags({ clusterStack: 'v2', clusterAddon: 'v3', nodeImage: 'v4' });

describe('csctl << >> substitution (valyala/fasttemplate with "<< " and " >>")', () => {
  it.each([
    ['no tags', 'version: v1\n', 'version: v1\n'],
    ['cluster-class version', 'version: << .ClusterClassVersion >>', 'version: v2'],
    ['addon version', 'v: << .ClusterAddonVersion >>', 'v: v3'],
    ['node image version', 'image: ubuntu-<< .NodeImageVersion >>', 'image: ubuntu-v4'],
    ['several tags on one line', '<< .ClusterClassVersion >>-<< .ClusterAddonVersion >>', 'v2-v3'],
    ['unknown tag becomes empty', 'a<< .Unknown >>b', 'ab'],
    ['tag name is taken verbatim (inner spaces matter)', 'a<<  .ClusterClassVersion >>b', 'ab'],
    ['no space after << is plain text', 'x <<.ClusterClassVersion>> y', 'x <<.ClusterClassVersion>> y'],
    ['heredoc without space is plain text', 'cat <<EOF\nhi\nEOF\n', 'cat <<EOF\nhi\nEOF\n'],
    ['bash here-string is plain text', 'sed <<<"${hex}"', 'sed <<<"${hex}"'],
    ['Helm braces are untouched', '{{ .Values.x }} << .ClusterClassVersion >>', '{{ .Values.x }} v2'],
    ['end tag searched after the start tag', ' >> << .NodeImageVersion >>', ' >> v4'],
    ['empty tag', '<<  >>', ''],
    ['tag across lines', '<< .Cluster\nClassVersion >>', ''],
  ])('%s', (_label, input, expected) => {
    expect(substituteCsctlTags(input, tags)).toBe(expected);
  });

  it('reports tags with line and column', () => {
    const { tags: found } = parseCsctlTags('a\n  x: << .ClusterAddonVersion >>\n', 'f.yaml');
    expect(found).toEqual([{ tag: '.ClusterAddonVersion', offset: 7, line: 2, column: 6 }]);
  });

  it.each([
    ['start tag without end', 'name: << .ClusterClassVersion\n', 1, 7],
    ['second tag unclosed', '<< .NodeImageVersion >>\nfoo: << bar', 2, 6],
  ])('fails like csctl on %s, positioned', (_label, input, line, column) => {
    let error: unknown;
    try {
      substituteCsctlTags(input, tags, 'stack/cluster-class/Chart.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CSCTL_TAG_UNCLOSED', location: { file: 'stack/cluster-class/Chart.yaml', line, column } });
  });

  it.each([
    ['plain text', Buffer.from('hello << x >>'), true],
    ['UTF-8 text', Buffer.from('größe: 1'), true],
    ['NUL byte', Buffer.from([0x61, 0x00, 0x62]), false],
    ['gzip header', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]), false],
    ['empty', Buffer.alloc(0), true],
  ])('text detection: %s', (_label, bytes, expected) => {
    expect(isTextContent(bytes)).toBe(expected);
  });
});
