import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchemaSources } from './schema-store.js';
import { fixturesDir, repoRoot } from '../testing/paths.js';
import { stripDescriptions } from './catalog.js';
import { updateCatalog, type CatalogPins } from './catalog-files.js';
import { pickMinor, readSchemaCatalog } from './catalog-load.js';
import { createSchemaCatalog } from './crd-schema.js';
import { objectsFromYaml } from './read-objects.js';
import { validateObjects } from './validate-objects.js';

const catalogDir = path.join(repoRoot, 'schemas/catalog');
const FROM = ['k8s-openapi', 'crds', 'crds-extra'].map((d) => path.join(fixturesDir, d));

async function pins(): Promise<CatalogPins> {
  const { sources, issues } = await loadSchemaSources(path.join(repoRoot, 'schemas/sources.yaml'));
  expect(issues).toEqual([]);
  return { kubernetes: sources?.catalog?.kubernetes ?? [], providers: sources?.providers ?? [] };
}

describe('the committed schema catalog', () => {
  it('is exactly what the pinned sources in ../shared/fixtures generate (byte for byte)', async () => {
    const result = await updateCatalog({ pins: await pins(), from: FROM, out: catalogDir, check: true });
    expect(result.issues).toEqual([]);
    expect(result.origin?.kubernetes.map((k) => k.minor)).toEqual(['1.32', '1.33', '1.34']);
    expect(result.origin?.providers.map((p) => `${p.name}-${p.version}`)).toEqual(['cluster-api-v1.14.0', 'cluster-api-provider-hetzner-v1.1.8', 'cluster-api-provider-openstack-v0.14.7', 'openstack-resource-controller-v2.6.0']);
    // Budget: at most 3 MB in the repository.
    expect(result.bytes).toBeLessThan(3 * 1024 * 1024);
  });

  it('stores each distinct definition once across minors', () => {
    const definitions = JSON.parse(fs.readFileSync(path.join(catalogDir, 'kubernetes/definitions.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const indexes = ['1.32', '1.33', '1.34'].map((m) => JSON.parse(fs.readFileSync(path.join(catalogDir, `kubernetes/v${m}.json`), 'utf8')) as Record<string, string>);
    const stored = Object.values(definitions).reduce((n, v) => n + Object.keys(v).length, 0);
    const referenced = indexes.reduce((n, i) => n + Object.keys(i).length, 0);
    expect(stored).toBeLessThan(referenced / 2);
    for (const index of indexes) for (const [name, id] of Object.entries(index)) expect(definitions[name]?.[id], name).toBeDefined();
    expect(fs.readFileSync(path.join(catalogDir, 'kubernetes/definitions.json'), 'utf8')).not.toContain('"description":"');
  });

  it('reports a changed, missing or extra file, and writes nothing when a pinned source is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-catalog-'));
    try {
      const p = await pins();
      const written = await updateCatalog({ pins: p, from: FROM, out: dir });
      expect(written.written.sort()).toEqual(fs.readdirSync(catalogDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).sort());
      fs.appendFileSync(path.join(dir, 'kubernetes/v1.33.json'), ' ');
      fs.rmSync(path.join(dir, 'providers/cluster-api-v1.14.0.json'));
      fs.writeFileSync(path.join(dir, 'providers/old-v0.0.1.json'), '[]');
      const stale = await updateCatalog({ pins: p, from: FROM, out: dir, check: true, show: (f) => path.relative(dir, f) });
      expect(stale.issues.map((i) => `${i.code}:${i.location?.file}`).sort()).toEqual(['CATALOG_STALE:kubernetes/v1.33.json', 'CATALOG_STALE:providers/cluster-api-v1.14.0.json', 'CATALOG_STALE:providers/old-v0.0.1.json']);
      const missing = await updateCatalog({ pins: { ...p, kubernetes: [...p.kubernetes, { minor: '1.35' }] }, from: FROM, out: dir });
      expect(missing.issues.map((i) => i.code)).toEqual(['CATALOG_SOURCE_MISSING']);
      expect(missing.written).toEqual([]);
      const rewritten = await updateCatalog({ pins: p, from: FROM, out: dir });
      expect([...rewritten.written].sort()).toEqual(['kubernetes/v1.33.json', 'providers/cluster-api-v1.14.0.json']);
      expect(rewritten.removed).toEqual(['providers/old-v0.0.1.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stripDescriptions', () => {
  it.each<[string, unknown, unknown]>([
    ['drops the keyword', { type: 'string', description: 'x' }, { type: 'string' }],
    ['keeps a property named description', { properties: { description: { type: 'string', description: 'd' } } }, { properties: { description: { type: 'string' } } }],
    ['keeps data', { default: { description: 'kept' }, enum: ['description'] }, { default: { description: 'kept' }, enum: ['description'] }],
    ['recurses into items and branches', { items: { description: 'a', anyOf: [{ description: 'b', type: 'integer' }] } }, { items: { anyOf: [{ type: 'integer' }] } }],
  ])('%s', (_name, input, expected) => {
    expect(stripDescriptions(input)).toEqual(expected);
  });
});

describe('reading the catalog', () => {
  it.each<[string[], string | undefined, string | undefined]>([
    [['1.32', '1.33', '1.34'], '1.33', '1.33'],
    [['1.32', '1.33', '1.34'], '1.31', '1.32'],
    [['1.32', '1.33', '1.34'], '1.36', '1.34'],
    [['1.32', '1.34'], '1.33', '1.34'],
    [['1.32', '1.33', '1.34'], undefined, '1.34'],
    [[], '1.32', undefined],
  ])('pickMinor(%j, %s) = %s', (minors, wanted, expected) => {
    expect(pickMinor(minors, wanted)).toBe(expected);
  });

  it('gives each minor its own core kinds plus every provider, with a note for a minor it lacks', async () => {
    const { catalog, issues } = await readSchemaCatalog(catalogDir);
    expect(issues).toEqual([]);
    const c = catalog as NonNullable<typeof catalog>;
    const v131 = c.entriesFor('1.31');
    expect(v131.minor).toBe('1.32');
    expect(v131.issues.map((i) => `${i.severity}:${i.code}`)).toEqual(['note:SCHEMA_CATALOG_NEAREST_MINOR']);
    expect(v131.provenance.kubernetes?.source).toBe('swagger-v1.32.json');
    expect(c.entriesFor('1.34').issues).toEqual([]);
    const kinds = (minor: string) => new Set(c.entriesFor(minor).entries.map((e) => `${e.group}/${e.version}/${e.kind}`));
    for (const k of ['/v1/ConfigMap', 'apps/v1/DaemonSet', 'cluster.x-k8s.io/v1beta2/ClusterClass', 'infrastructure.cluster.x-k8s.io/v1beta1/OpenStackMachineTemplate', 'openstack.k-orc.cloud/v1alpha1/Image', 'infrastructure.cluster.x-k8s.io/v1beta1/HCloudMachineTemplate']) {
      expect(kinds('1.32').has(k), k).toBe(true);
    }
    // A kind served only from a later minor is absent in earlier ones.
    const only134 = [...kinds('1.34')].filter((k) => !kinds('1.32').has(k));
    expect(only134.length).toBeGreaterThan(0);
    // The catalog validates strictly: an unknown field in a ConfigMap fails with its path.
    const schemas = createSchemaCatalog(c.entriesFor('1.32').entries);
    const { objects } = objectsFromYaml('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndatta: {}\n');
    expect(validateObjects(objects, schemas).map((i) => `${i.code}:${i.path}`)).toEqual(['SCHEMA_UNKNOWN_FIELD:/datta']);
  });

  it('a duplicate list-map key in a CRD object is an error (the apiserver refuses it)', async () => {
    const { catalog } = await readSchemaCatalog(catalogDir);
    const schemas = createSchemaCatalog((catalog as NonNullable<typeof catalog>).entriesFor('1.32').entries);
    const ref = (kind: string) => `{templateRef: {apiVersion: x/v1, kind: ${kind}, name: t}}`;
    const text = `apiVersion: cluster.x-k8s.io/v1beta2\nkind: ClusterClass\nmetadata: {name: c}\nspec:\n  controlPlane: ${ref('CP')}\n  infrastructure: ${ref('IC')}\n  availabilityGates:\n    - {conditionType: A}\n    - {conditionType: B}\n    - {conditionType: A}\n`;
    const { objects } = objectsFromYaml('x.yaml', text);
    expect(validateObjects(objects, schemas).map((i) => `${i.severity}:${i.code}:${i.path}`)).toEqual(['error:SCHEMA_DUPLICATE_KEY:/spec/availabilityGates/2']);
  });

  it('a missing catalog is an error, not an empty catalog', async () => {
    const { catalog, issues } = await readSchemaCatalog(path.join(os.tmpdir(), 'csp-no-such-catalog'));
    expect(catalog).toBeUndefined();
    expect(issues.map((i) => i.code)).toEqual(['SCHEMA_CATALOG_UNREADABLE']);
  });
});
