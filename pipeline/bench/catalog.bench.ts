/**
 * Schema catalog bench (issue 12): loading the committed catalog and compiling, lazily, the schemas of one
 * stack build against only reading the catalog's files; and parse+validate of ≥ 10,000 rendered objects with
 * the real Kubernetes core schemas (catalog, 1.32) against parsing them alone (goal ≤ 1.5×).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../core/errors.js';
import { fixturesDir } from '../testing/paths.js';
import { DEFAULT_CATALOG_DIR, createSchemaCatalog, loadSchemaSet, objectsFromYaml, readSchemaCatalog, validateObjects } from '../validate/index.js';
import { compare, type BenchFigure } from './harness.js';

const validateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../validate/__fixtures__');

/** One stack's worth of rendered objects: the demo cluster-class chart plus real hcloud-csi and full Deployment/DaemonSet output. */
async function stackText(): Promise<string> {
  const chart = await fs.readFile(path.join(validateDir, 'class-chart.yaml'), 'utf8');
  const csi = await fs.readFile(path.join(fixturesDir, 'helm-golden/hcloud-csi-2.22.1/example-prod.yaml'), 'utf8');
  // ServiceMonitor is a Prometheus CRD the catalog does not hold.
  return `${chart}\n${csi.split(/^---$/m).filter((d) => !/^kind: ServiceMonitor$/m.test(d)).join('---')}\n`;
}

async function catalogFileNames(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
}

export async function catalogBench(): Promise<BenchFigure[]> {
  const unit = await stackText();
  const stack = objectsFromYaml('stack.yaml', unit).objects;
  const files = await catalogFileNames(DEFAULT_CATALOG_DIR);
  const figures: BenchFigure[] = [];
  figures.push(
    await compare(
      `catalog load + lazy compile for one stack (${stack.length} objects)`,
      async () => {
        const set = await loadSchemaSet([]);
        validateObjects(stack, set.forMinor('1.32').catalog);
      },
      `read+JSON.parse ${files.length} catalog files`,
      async () => {
        for (const f of files) JSON.parse(await fs.readFile(f, 'utf8'));
      },
      { runs: 5, note: 'per csp validate/build run: the catalog is read once, each kind compiled on first use' },
    ),
  );
  const { catalog } = await readSchemaCatalog(DEFAULT_CATALOG_DIR);
  if (!catalog) throw new Error('schemas/catalog is unreadable');
  const schemas = createSchemaCatalog(catalog.entriesFor('1.32').entries);
  const perUnit = stack.length;
  const copies = Math.ceil(10_000 / perUnit);
  const parts: string[] = [];
  for (let i = 0; i < copies; i++) parts.push(unit.replace(/name: (docker-demo-1-32-v1|hcloud-csi)/g, `name: $1-${i}`));
  const text = parts.join('---\n');
  const first = objectsFromYaml('rendered.yaml', text);
  const issues = validateObjects(first.objects, schemas);
  if (hasErrors(issues)) throw new Error(`bench input is not valid: ${issues.find((i) => i.severity === 'error')?.message}`);
  figures.push(
    await compare(
      `parse+validate ${first.objects.length} objects (real core schemas, catalog 1.32)`,
      () => validateObjects(objectsFromYaml('rendered.yaml', text).objects, schemas),
      'parse only',
      () => objectsFromYaml('rendered.yaml', text),
      { runs: 3, goal: 1.5, note: `${issues.length} warnings (deprecated v1beta1) located per run` },
    ),
  );
  return figures;
}
