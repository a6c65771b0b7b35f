/** releaseutil.SplitManifests and kind sorting (pure). */
import { describe, expect, it } from 'vitest';
import { INSTALL_ORDER, sortByKind, sortManifests, splitManifests } from './manifests.js';

describe('splitManifests', () => {
  it.each<[string, string, string[]]>([
    ['single document', 'a: 1\n', ['a: 1']],
    ['leading separator', '---\na: 1', ['a: 1']],
    ['separator with trailing text starts the next document', 'a: 1\n--- b: 2\n', ['a: 1', 'b: 2']],
    ['empty documents at the edges dropped', '\n---\na: 1\n---\nb: 2\n---\n', ['a: 1', 'b: 2']],
    ['blank lines between separators still leave a bare --- document', 'a: 1\n---\n\n---\nb: 2', ['a: 1', '---\nb: 2']],
    // Go's Split: the first match eats the newline after `---`, so a directly following `---` stays a document.
    ['back-to-back separators leave a bare --- document (Go regexp quirk)', 'a: 1\n---\n---\nb: 2', ['a: 1', '---\nb: 2']],
    ['indented --- does not split', 'a: |\n  x\n  ---\n  y\n', ['a: |\n  x\n  ---\n  y']],
    ['--- inside a line does not split', 'a: b---c\n', ['a: b---c']],
    ['whitespace before the newline is eaten', 'a: 1   \n---\nb: 2', ['a: 1', 'b: 2']],
    ['comment-only document kept', '# c\n---\nb: 2', ['# c', 'b: 2']],
    ['four dashes split too', 'a: 1\n----\nb: 2', ['a: 1', '-\nb: 2']],
  ])('%s', (_name, input, want) => {
    expect(splitManifests(input)).toEqual(want);
  });
});

describe('sortByKind', () => {
  it('orders known kinds by InstallOrder, unknown kinds last and alphabetical, otherwise stable', () => {
    const input = ['Deployment:a', 'Foo:b', 'Service:c', 'Bar:d', 'Namespace:e', 'Foo:f', 'Deployment:g', 'ServiceAccount:h'].map((s) => {
      const [kind, id] = s.split(':');
      return { kind: kind as string, id: id as string };
    });
    expect(sortByKind(input).map((m) => `${m.kind}:${m.id}`)).toEqual(['Namespace:e', 'ServiceAccount:h', 'Service:c', 'Deployment:a', 'Deployment:g', 'Bar:d', 'Foo:b', 'Foo:f']);
  });

  it('ranks every InstallOrder kind by its position', () => {
    const shuffled = [...INSTALL_ORDER].reverse().map((kind) => ({ kind }));
    expect(sortByKind(shuffled).map((m) => m.kind)).toEqual([...INSTALL_ORDER]);
  });
});

describe('sortManifests', () => {
  it('walks files in path order, skips partials and blank files, separates hooks', () => {
    const files = new Map([
      ['c/templates/z.yaml', 'kind: Service\nmetadata:\n  name: z'],
      ['c/templates/a.yaml', 'kind: Service\nmetadata:\n  name: a\n---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,post-upgrade'],
      ['c/templates/_p.tpl', 'kind: Service'],
      ['c/templates/blank.yaml', '  \n\n'],
    ]);
    const { manifests, hooks } = sortManifests(files);
    expect(manifests.map((m) => `${m.name} ${m.resourceName}`)).toEqual(['c/templates/a.yaml a', 'c/templates/z.yaml z']);
    expect(hooks.map((h) => h.kind)).toEqual(['Job']);
  });
});
