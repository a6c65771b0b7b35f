/**
 * Validate bench: schema-checking ≥ 10,000 rendered objects against parsing them alone (goal ≤ 1.5×), and
 * the one-off compile time of every schema against reading and parsing the CRD files it comes from.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../core/errors.js';
import { crdsDir, fixturesDir } from '../testing/paths.js';
import { coreSchemaVersions, createSchemaCatalog, loadCrdVersions, objectsFromYaml, validateObjects } from '../validate/index.js';
import { compare, type BenchFigure } from './harness.js';

const validateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../validate/__fixtures__');

/** A rendered stream of at least `count` objects: the demo cluster-class chart and real hcloud-csi output, repeated (also the whole-process validate bench's input). */
export async function renderedStream(count: number): Promise<{ text: string; objects: number }> {
  const chart = await fs.readFile(path.join(validateDir, 'class-chart.yaml'), 'utf8');
  const csi = await fs.readFile(path.join(fixturesDir, 'helm-golden/hcloud-csi-2.22.1/default.yaml'), 'utf8');
  const unit = `${chart}\n${csi}\n`;
  const perUnit = objectsFromYaml('unit.yaml', unit).objects.length;
  const copies = Math.ceil(count / perUnit);
  const parts: string[] = [];
  for (let i = 0; i < copies; i++) parts.push(unit.replace(/name: (docker-demo-1-32-v1|hcloud-csi)/g, `name: $1-${i}`));
  return { text: parts.join('---\n'), objects: copies * perUnit };
}

export async function validateBench(): Promise<BenchFigure[]> {
  const { versions } = await loadCrdVersions([crdsDir]);
  const catalog = createSchemaCatalog([...coreSchemaVersions(), ...versions]);
  const { text, objects } = await renderedStream(10_000);
  // Warm: compile the schemas the stream uses once, outside the measured runs.
  const first = objectsFromYaml('rendered.yaml', text);
  const issues = validateObjects(first.objects, catalog);
  if (hasErrors(issues)) throw new Error(`bench input is not valid: ${issues.find((i) => i.severity === 'error')?.message}`);
  const figures: BenchFigure[] = [];
  figures.push(
    await compare(
      `parse+validate ${objects} objects`,
      () => validateObjects(objectsFromYaml('rendered.yaml', text).objects, catalog),
      'parse only',
      () => objectsFromYaml('rendered.yaml', text),
      { runs: 3, goal: 1.5, note: `${issues.length} warnings (deprecated v1beta1) located per run` },
    ),
  );
  const crdFiles = (await fs.readdir(crdsDir, { recursive: true })).filter((f) => f.endsWith('.yaml')).length;
  figures.push(
    await compare(
      'compile every schema (strict)',
      () => {
        const fresh = createSchemaCatalog([...coreSchemaVersions(), ...versions]);
        for (const v of fresh.versions.values()) fresh.check(v, 'strict');
      },
      `read+parse ${crdFiles} CRD files`,
      () => loadCrdVersions([crdsDir]),
      { runs: 3, note: `${catalog.versions.size} schemas; compiled once per run of csp validate` },
    ),
  );
  return figures;
}
