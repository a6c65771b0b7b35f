/** In-place scalar edits: only the scalar's bytes change; quotes, comments and layout stay. */
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.js';
import { editMatchingScalars, editScalars } from './yaml-edit.js';

const text = `# versions
- kubernetes: 1.32.5 # the csctl target

  occm: "2.32.0"
  cinder_csi: '2.32.0'
- {kubernetes: v1.31.9, occm: 2.31.3}
`;

describe('editScalars', () => {
  it.each([
    [[0, 'kubernetes'], '1.32.14', '- kubernetes: 1.32.14 # the csctl target'],
    [[0, 'occm'], '2.32.3', '  occm: "2.32.3"'],
    [[0, 'cinder_csi'], '2.32.2', "  cinder_csi: '2.32.2'"],
    [[1, 'kubernetes'], 'v1.31.14', '- {kubernetes: v1.31.14, occm: 2.31.3}'],
  ] as const)('%j → %s keeps everything else', (at, value, line) => {
    const out = editScalars(text, [{ path: [...at], value }]);
    const changed = out.split('\n').filter((l, i) => l !== text.split('\n')[i]);
    expect(changed).toEqual([line]);
  });

  it('the same value leaves the text byte-identical', () => {
    expect(editScalars(text, [{ path: [0, 'occm'], value: '2.32.0' }, { path: [1, 'occm'], value: '2.31.3' }])).toBe(text);
  });

  it('refuses a path that is not a scalar', () => {
    expect(() => editScalars(text, [{ path: [0], value: 'x' }])).toThrow(/no scalar/);
  });

  it('quotes a value that would not stay a plain string', () => {
    expect(editScalars('a: b\n', [{ path: ['a'], value: 'x: y' }])).toBe('a: "x: y"\n');
  });
});

describe('editMatchingScalars and unifiedDiff', () => {
  it('renames image names carrying the old version and shows them as a unified diff', () => {
    const values = 'images:\n  controlPlane:\n    name: ubuntu-capi-image-v1.32.5\n  worker:\n    name: ubuntu-capi-image-v1.32.5\nother: v1.32.5-keep\n';
    const out = editMatchingScalars(values, (v) => (v.endsWith('-v1.32.5') ? v.replace('1.32.5', '1.32.14') : undefined));
    expect(out).toBe(values.replaceAll('image-v1.32.5', 'image-v1.32.14'));
    expect(unifiedDiff('values.yaml', values, out)).toBe(
      ['--- a/values.yaml', '+++ b/values.yaml', '@@ -1,7 +1,7 @@', ' images:', '   controlPlane:', '-    name: ubuntu-capi-image-v1.32.5', '+    name: ubuntu-capi-image-v1.32.14', '   worker:', '-    name: ubuntu-capi-image-v1.32.5', '+    name: ubuntu-capi-image-v1.32.14', ' other: v1.32.5-keep', ' '].join('\n'),
    );
  });
});
