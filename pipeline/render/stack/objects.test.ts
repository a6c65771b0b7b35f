import { describe, expect, it } from 'vitest';
import { assignTemplateLines, manifestsToObjects, stackPathOf, templateDocumentLines } from './objects.js';

describe('templateDocumentLines', () => {
  it.each([
    ['one document', 'apiVersion: v1\nkind: A\n', [1]],
    ['leading template comment block', '{{- /*\ncomment: with colon\n*/ -}}\napiVersion: v1\nkind: A\n', [4]],
    ['leading --- and two documents', '---\napiVersion: v1\n---\n# c\nkind: B\n', [2, 5]],
    ['action lines are not YAML starts', '{{- if .Values.x }}\napiVersion: v1\n{{- end }}\n', [2]],
    ['comment-only piece counts no document', 'a: 1\n---\n# only a comment\n', [1]],
    ['quoted keys', '"a": 1\n', [1]],
    ['indented --- in a block scalar does not split', 'a: |\n  ---\n  b\nc: 1\n', [1]],
  ])('%s', (_label, source, expected) => {
    expect(templateDocumentLines(source)).toEqual(expected);
  });
});

describe('assignTemplateLines', () => {
  const obj = (file: string) => ({ source: { file }, doc: {} });
  it.each([
    ['counts match: lines set', 'a: 1\n---\nb: 2\n', 2, [1, 3]],
    ['template rendered fewer objects (a conditional): no guess', 'a: 1\n---\nb: 2\n', 1, [undefined]],
    ['generated documents (range): no guess', 'a: 1\n', 3, [undefined, undefined, undefined]],
  ])('%s', (_label, source, count, expected) => {
    const objects = [...Array.from({ length: count }, () => obj('t.yaml')), obj('other.yaml')];
    assignTemplateLines(objects, 't.yaml', source);
    expect(objects.map((o) => (o.source as { line?: number }).line)).toEqual([...expected, undefined]);
  });
});

describe('manifestsToObjects', () => {
  it('parses each manifest, keeps offsets into the text and maps Helm paths to stack paths', () => {
    const manifests = [
      { source: 'c/templates/a.yaml', template: 'c/templates/a.yaml', content: 'kind: A\nmetadata:\n  name: a' },
      { source: 'c/templates/a.yaml', template: 'c/templates/a.yaml', content: '# only a comment' },
      { source: 'c/crds/x.yaml', template: 'c/crds/x.yaml', content: 'kind: X\n---\nkind: Y\n' },
    ];
    const text = manifests.map((m) => `---\n# Source: ${m.source}\n${m.content}\n`).join('');
    const objects = manifestsToObjects(manifests, text, 'out.yaml', (p) => stackPathOf(p, 'c', 'cluster-addon/x'));
    expect(objects.map((o) => [o.doc.kind, o.source.file, text.slice(o.rendered?.offset ?? -1).split('\n')[0]])).toEqual([
      ['A', 'cluster-addon/x/templates/a.yaml', 'kind: A'],
      ['X', 'cluster-addon/x/crds/x.yaml', 'kind: X'],
      ['Y', 'cluster-addon/x/crds/x.yaml', 'kind: Y'],
    ]);
  });
});
