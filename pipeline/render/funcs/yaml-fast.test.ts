import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { parseSimpleYaml, parseSimpleYamlRelaxed } from './yaml-fast.js';
import { relaxQuotedScalarIndent } from './yaml-relax.js';
import { splitManifests } from '../helm/manifests.js';
import { fixturesDir, repoRoot } from '../../testing/paths.js';

/** What the yaml package gives under Helm's options (1.1) and objects.ts's (1.2 core, unique keys). */
function reference(text: string): { v11: unknown; v12: unknown; offset: number } | undefined {
  const a = parseDocument(text, { uniqueKeys: false, version: '1.1' });
  const b = parseAllDocuments(text);
  if (a.errors.length > 0 || !Array.isArray(b) || b.length !== 1 || (b[0]?.errors.length ?? 1) > 0) return undefined;
  const d = b[0];
  return { v11: a.toJS(), v12: d?.toJS(), offset: d?.contents?.range[0] ?? d?.range[0] ?? -1 };
}

// [yaml text, whether the fast path takes it]
const cases: [string, boolean][] = [
  ['kind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: pre-install,post-install', true],
  ['# Source: x\n# more\napiVersion: v1\nkind: Secret', true],
  ['a:\n- b\n- c: 1\n  d: 2\n-\n  - x\n  - w\ne: f', true], ['a:\n- y', false], ['n: 1', false],
  ['a:\n  - "q\\"uo\\\\te\\n"\n  - \'it\'\'s\'\n  - "x" # c\nb: \'\'', true],
  ['a: |\n  foo\n\n  bar\n\nb: |-\n    x\n     y\nc: | # c\n  z', true],
  ['a: |\n  x\n   \n  y\n', true],
  ['a: |\n\nb: 1', true],
  ['cidr: 10.0.0.0/16\nip: 0.0.0.0\nv: v1.28.0\nhash: 8bfad5cb331480a7\nm: -5\nz: 0\nurl: http://x:80/y', true],
  ['a: [x, "y", \'z\', 1, [b]]\nb: { k: v, "q": \'true\' }\nc: []\nd: {}', true],
  ['a: "one\n  two\n\n  three"\nb: 1', true],
  ['a: true\nb: false\nc: null\nd: ~\ne:\nf: -foo', true],
  ['"quoted key": 1\n\'other\': 2', true],
  // Left to the yaml package.
  ['a: 1.5', false], ['a: 1.28.0.1e5', true], ['a: 0777', false], ['a: 0x1F', false], ['a: 1:20', false], ['a: 2001-12-14', false],
  ['a: yes', false], ['a: No', false], ['a: True', false], ['a: .inf', false], ['a: 12345678901234567', false],
  ['a: &x 1\nb: *x', false], ['a: !!str 1', false], ['<<: {a: 1}', false], ['a: >\n  folded', false], ['a: |+\n  keep\n', false],
  ['a: 1\na: 2', false], ['a: b: c', false], ['a: b #c', false], ['a:\n  multi\n  line', false], ['a: "x\n y\\\n z"', false],
  ['- a\n- b', false], ['just a scalar', false], ['# only a comment', false], ['a:\tb', false], ['a: 1\r\nb: 2', false],
  ['a: 1\n---\nb: 2', false], ['__proto__: x', false], ['a: [x, ]', false], ['a: |\n    \n  x', false], ['a: "x" y', false],
  // Invalid YAML never takes the fast path.
  ['a: 1\n b: 2', false], ['a:\n  b: 1\n c: 2', false], ['a: "open', false], ['- a\nb: 1', false], ['a:\n  - x\n  y: 1', false],
  ['a: "x\ny"', false], ['a: [x', false], ['a: {k v}', false],
];

describe('parseSimpleYaml', () => {
  it.each(cases)('%j (fast path: %s)', (text, fast) => {
    const got = parseSimpleYaml(text);
    expect(got !== undefined).toBe(fast);
    if (!got) return;
    const ref = reference(text);
    expect(ref).toBeDefined();
    expect(got.doc).toEqual(ref?.v11);
    expect(got.doc).toEqual(ref?.v12);
    expect(JSON.stringify(got.doc)).toBe(JSON.stringify(ref?.v12));
    expect(got.offset).toBe(ref?.offset);
  });
});

describe('parseSimpleYamlRelaxed', () => {
  const relax = (t: string) => relaxQuotedScalarIndent(t);
  it.each([
    ['a:\n  b: "x\n y"\nc: 1', true],
    ['a:\n- "x\ny"', true],
    ['a: "x\n y"', false],
  ] as const)('%j (relaxed: %s)', (text, relaxed) => {
    const got = parseSimpleYamlRelaxed(text, relax);
    const plain = parseDocument(text, { uniqueKeys: false, version: '1.1' });
    expect(plain.errors.length > 0).toBe(relaxed);
    expect(got?.relaxed).toBe(relaxed);
    const ref = parseDocument(relaxed ? relax(text) : text, { uniqueKeys: false, version: '1.1' });
    expect(ref.errors).toEqual([]);
    expect(got?.doc).toEqual(ref.toJS());
  });
});

/** Every `.yaml` file under `dir` (small ones), recursively. */
function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => fs.statSync(f).size < 200_000);
}

describe('parseSimpleYaml against the yaml package on real and mutated manifests', () => {
  // Real Helm output (hcloud-csi golden files) and the stacks' own YAML, plus seeded random edits of each
  // document: whenever the fast path answers, the yaml package must accept the text and read the same.
  const files = [...yamlFiles(path.join(fixturesDir, 'helm-golden')), ...yamlFiles(path.join(repoRoot, 'stacks'))];
  const edits = [' ', ':', ': ', '-', '- ', '"', "'", '#', ' #', '\n', '|', '|-', '>', '{', '}', '[', ']', ',', 'y', '0', '.', '1', '\\', 'e5', '&a', '*a', '!', '?', 'no', '\n  ', '\n- '];
  it.each(files.map((f) => [path.relative(repoRoot, f), f]))('%s', (_name, file) => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let fastCount = 0;
    for (const doc of splitManifests(fs.readFileSync(file, 'utf8'))) {
      const variants = [doc];
      for (let m = 0; m < 12; m++) {
        let d = doc;
        const at = Math.floor(next() * (d.length + 1));
        const op = next();
        if (op < 0.5) d = d.slice(0, at) + edits[Math.floor(next() * edits.length)] + d.slice(at);
        else if (op < 0.8) d = d.slice(0, at) + d.slice(at + 1 + Math.floor(next() * 3));
        else d = `${d.slice(0, at)}\n ${d.slice(at)}`;
        variants.push(d);
      }
      for (const text of variants) {
        const got = parseSimpleYaml(text);
        if (!got) continue;
        fastCount++;
        const ref = reference(text);
        expect(ref, JSON.stringify(text)).toBeDefined();
        expect(JSON.stringify(got.doc), JSON.stringify(text)).toBe(JSON.stringify(ref?.v11));
        expect(JSON.stringify(got.doc), JSON.stringify(text)).toBe(JSON.stringify(ref?.v12));
        expect(got.offset).toBe(ref?.offset);
      }
    }
    // Helm's own output is what the fast path is for; other inputs may all fall back.
    if (file.includes('helm-golden') && !file.endsWith('values.yaml')) expect(fastCount).toBeGreaterThan(0);
  });
});
