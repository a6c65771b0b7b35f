import { describe, expect, it } from 'vitest';
import { checkImportGraph, findCycles, importsOf, readPipelineSources } from './import-graph.js';
import { repoRoot } from './paths.js';

const main = 'pipeline/cli/main.ts';

/** A tiny program: main imports `imports`, plus the other files given. */
function graph(files: Record<string, string>): Map<string, string> {
  return new Map(Object.entries({ [main]: `import { x } from '../release/index.js';\n`, ...files }));
}

describe('checkImportGraph', () => {
  it.each([
    ['clean: stage index, earlier stage, core', { 'pipeline/release/index.ts': `import { a } from '../version/index.js';\nimport { E } from '../core/errors.js';\n`, 'pipeline/version/index.ts': '' }, []],
    [
      'deep import into another stage',
      { 'pipeline/release/index.ts': `import { a } from '../version/plan.js';\n`, 'pipeline/version/plan.ts': '' },
      ['pipeline/release/index.ts imports pipeline/version/plan.ts: import another stage only through pipeline/version/index.ts'],
    ],
    [
      'earlier stage importing a later one',
      { 'pipeline/release/index.ts': `import { a } from '../publish/index.js';\n`, 'pipeline/publish/index.ts': '' },
      ['pipeline/release/index.ts imports pipeline/publish/index.ts: release comes before publish, so it may not import it'],
    ],
    [
      'program importing test support',
      { 'pipeline/release/index.ts': `import { a } from '../testing/paths.js';\n`, 'pipeline/testing/paths.ts': '' },
      ['pipeline/release/index.ts imports test support pipeline/testing/paths.ts'],
    ],
    [
      'circle inside a stage',
      { 'pipeline/release/index.ts': `import { a } from './a.js';\n`, 'pipeline/release/a.ts': `export { b } from './b.js';\n`, 'pipeline/release/b.ts': `import { a } from './a.js';\n` },
      ['import circle: pipeline/release/a.ts -> pipeline/release/b.ts'],
    ],
    [
      'dynamic import counts',
      { 'pipeline/release/index.ts': `const m = await import('../publish/index.js');\n`, 'pipeline/publish/index.ts': '' },
      ['pipeline/release/index.ts imports pipeline/publish/index.ts: release comes before publish, so it may not import it'],
    ],
    [
      'tests may reach into testing/ and other stages\u2019 fixtures, not their internals',
      {
        'pipeline/release/index.ts': '',
        'pipeline/release/x.test.ts': `import { p } from '../testing/paths.js';\nimport { f } from '../publish/__fixtures__/release.js';\nimport { g } from '../publish/oci/client.js';\n`,
      },
      ['pipeline/release/x.test.ts imports pipeline/publish/oci/client.ts: import another stage only through pipeline/publish/index.ts'],
    ],
    ['type-only circles are no circle at run time', { 'pipeline/release/index.ts': `import type { A } from './a.js';\nexport type B = 1;\n`, 'pipeline/release/a.ts': `import type { B } from './index.js';\n` }, []],
  ])('%s', (_name, files, want) => {
    expect(checkImportGraph(graph(files as Record<string, string>))).toEqual(want);
  });

  it('reads multi-line and re-export forms', () => {
    const edges = importsOf('pipeline/a/b.ts', `import {\n  x,\n  y,\n} from '../c/index.js';\nexport * from './d.js';\nexport type { T } from '../e/index.js';\n`);
    expect(edges).toEqual([
      { from: 'pipeline/a/b.ts', to: 'pipeline/c/index.ts', typeOnly: false },
      { from: 'pipeline/a/b.ts', to: 'pipeline/a/d.ts', typeOnly: false },
      { from: 'pipeline/a/b.ts', to: 'pipeline/e/index.ts', typeOnly: true },
    ]);
  });

  it('finds self-loops and separate circles', () => {
    const cycles = findCycles(new Map([['a', ['a']], ['b', ['c']], ['c', ['b']], ['d', ['b']]]));
    expect(cycles).toEqual([['a'], ['b', 'c']]);
  });
});

describe('the repository', () => {
  it('keeps the stage order, imports stages through index.ts and has no import circles', () => {
    const sources = readPipelineSources(repoRoot);
    expect(sources.size).toBeGreaterThan(200);
    expect(checkImportGraph(sources)).toEqual([]);
  });
});
