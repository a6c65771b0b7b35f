/** Lint bench: loading and checking every stack against just reading and parsing the same YAML files. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkCompatibility } from '../constraints/index.js';
import { discoverStacks, loadStack } from '../stack/index.js';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { compare, type BenchFigure } from './harness.js';

/** `csp lint` work over stacks/ and the SCS fixtures vs a plain read + YAML parse of their YAML files. */
export async function lintBench(): Promise<BenchFigure[]> {
  const dirs = [...(await discoverStacks(path.join(repoRoot, 'stacks'))), path.join(scsStacksDir, 'docker/scs'), path.join(scsStacksDir, 'openstack/scs')];
  const yamlFiles: string[] = [];
  for (const dir of dirs) {
    for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.ya?ml$/.test(entry.name) && !entry.parentPath.includes('/templates')) yamlFiles.push(path.join(entry.parentPath, entry.name));
    }
  }
  const lint = async () => {
    for (const dir of dirs) {
      const { stack } = await loadStack(dir, { cwd: repoRoot });
      if (stack) checkCompatibility(stack);
    }
  };
  const parseOnly = async () => {
    for (const file of yamlFiles) parseAllDocuments(await fs.readFile(file, 'utf8'));
  };
  return [await compare(`lint ${dirs.length} stacks`, lint, `read+parse of their ${yamlFiles.length} YAML files`, parseOnly, { note: 'loader + schemas + rules over plain YAML parsing' })];
}
