/**
 * Start-up cost: `csp --help` and `csp <command> --help` must not load any package or stage. The static
 * import graph of cli/ is walked from main.ts; a stage or a package may only be reached through a dynamic
 * `import()` inside a command's run (see docs/performance.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cliDir = path.dirname(fileURLToPath(import.meta.url));
const pipelineDir = path.dirname(cliDir);

/** Specifiers of the static imports and re-exports that survive compilation (type-only ones are erased). */
export function staticImports(source: string): string[] {
  const out: string[] = [];
  const re = /^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[4]) {
      out.push(m[4]);
      continue;
    }
    if (m[1]) continue;
    out.push(m[3] ?? '');
  }
  return out;
}

function reachable(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(fs.readFileSync(file, 'utf8'))) {
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  }
  return { files: [...files].map((f) => path.relative(pipelineDir, f)).sort(), packages: [...packages].sort() };
}

describe('start-up', () => {
  it.each([
    ["import { a } from './a.js';", ['./a.js']],
    ["import type { a } from './a.js';", []],
    ["import { type a, b } from 'yaml';", ['yaml']],
    ["export { x } from '../x/index.js';", ['../x/index.js']],
    ["import './side.js';", ['./side.js']],
    ["const m = await import('execa');", []],
  ])('staticImports(%j)', (source, expected) => {
    expect(staticImports(source)).toEqual(expected);
  });

  it('the CLI entry statically reaches no package, no stage and no command: only the one that runs is loaded', () => {
    const { files, packages } = reachable(path.join(cliDir, 'main.ts'));
    expect(packages).toEqual([]);
    expect(files.filter((f) => !f.startsWith('cli/') && !f.startsWith('core/'))).toEqual([]);
    expect(files).toContain('cli/command-loaders.ts');
    expect(files).not.toContain('cli/build.ts');
    expect(files).not.toContain('cli/commands.ts');
  });

  it.each([
    ['release/index.ts', /^(@sigstore|sigstore|@octokit|execa)/, 'csp plan and build load no signing, GitHub or process library'],
    ['publish/index.ts', /^(@sigstore|sigstore)/, 'an unsigned csp publish loads no sigstore'],
    ['publish/index.ts', /^yaml$/, 'csp publish starts its uploads before it loads a YAML parser (the ledger loads during the upload)'],
  ])('%s statically reaches no %s (%s)', (entry, forbidden) => {
    const { packages } = reachable(path.join(pipelineDir, entry));
    expect(packages.filter((p) => forbidden.test(p))).toEqual([]);
  });
});
