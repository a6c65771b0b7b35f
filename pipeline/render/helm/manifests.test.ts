/** releaseutil.SplitManifests and kind sorting (pure). */
import { describe, expect, it } from 'vitest';
import { trimSpace } from '../funcs/text.js';
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

  // The regexp form splitManifests replaces (same leftmost-first semantics as Go's regexp.Split).
  function splitByRegexp(bigFile: string): string[] {
    const text = trimSpace(bigFile);
    const pieces: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of text.matchAll(/(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/g)) {
      end = m.index;
      pieces.push(text.slice(beg, end));
      beg = m.index + m[0].length;
    }
    if (end !== text.length) pieces.push(text.slice(beg));
    return pieces.filter((d) => d !== '').map((d) => trimSpace(d));
  }

  it('matches the regexp split on generated text of separators, blanks and dashes', () => {
    const alphabet = ['\n', ' ', '\t', '-', '---', '\n---', 'a', '#', '\r\n', '\f'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = Math.floor(next() * 24);
      for (let k = 0; k < len; k++) text += alphabet[Math.floor(next() * alphabet.length)];
      expect(splitManifests(text), JSON.stringify(text)).toEqual(splitByRegexp(text));
    }
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
