/**
 * The Swagger 2.0 import on the real Kubernetes documents (../shared/fixtures/k8s-openapi, 1.32–1.34): every
 * definition converts and every kind compiles; real `helm template` output passes; mutated objects fail at
 * the right JSON path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../testing/paths.js';
import { createSchemaCatalog, type SchemaCatalog } from './crd-schema.js';
import { convertOpenApiDocuments, openApiCatalogEntries, parseOpenApiDocument, type OpenApiDocument } from './k8s-openapi.js';
import { objectsFromYaml } from './read-objects.js';
import { validateObjects } from './validate-objects.js';

const MINORS = ['1.32', '1.33', '1.34'] as const;
const goldenDir = path.join(fixturesDir, 'helm-golden/hcloud-csi-2.22.1');

function swagger(minor: string): OpenApiDocument {
  const file = path.join(fixturesDir, `k8s-openapi/swagger-v${minor}.json`);
  const { document, issues } = parseOpenApiDocument(file, fs.readFileSync(file, 'utf8'));
  expect(issues).toEqual([]);
  return document as OpenApiDocument;
}

const catalogs = new Map<string, SchemaCatalog>();
function catalogOf(minor: string): SchemaCatalog {
  let catalog = catalogs.get(minor);
  if (!catalog) {
    catalog = createSchemaCatalog(openApiCatalogEntries(convertOpenApiDocuments([swagger(minor)])));
    catalogs.set(minor, catalog);
  }
  return catalog;
}

function check(minor: string, text: string): string[] {
  const { objects, issues } = objectsFromYaml('x.yaml', text);
  expect(issues).toEqual([]);
  // ServiceMonitor is a Prometheus CRD, not a core kind.
  return validateObjects(objects.filter((o) => o.doc.kind !== 'ServiceMonitor'), catalogOf(minor)).map((i) => `${i.code}:${i.object}:${i.path}`);
}

const golden = (name: string) => fs.readFileSync(path.join(goldenDir, name), 'utf8');

describe.each(MINORS)('Kubernetes %s Swagger 2.0 → strict JSON Schema', (minor) => {
  it('converts every definition, resolves every $ref and compiles every kind', () => {
    const doc = swagger(minor);
    const bundle = convertOpenApiDocuments([doc]);
    expect(bundle.missing).toEqual([]);
    expect(Object.keys(bundle.shared.$defs)).toEqual(Object.keys(doc.schemas));
    expect(Object.keys(doc.schemas).length).toBeGreaterThan(600);
    const catalog = catalogOf(minor);
    const kinds = [...catalog.versions.values()];
    expect(kinds.length).toBeGreaterThan(150);
    for (const k of ['/v1/Service', 'apps/v1/Deployment', 'apps/v1/DaemonSet', 'storage.k8s.io/v1/StorageClass', 'storage.k8s.io/v1/CSIDriver', 'policy/v1/PodDisruptionBudget', 'apiregistration.k8s.io/v1/APIService']) {
      expect(catalog.versions.has(k), k).toBe(true);
    }
    for (const entry of kinds) {
      const apiVersion = entry.group ? `${entry.group}/${entry.version}` : entry.version;
      // An unknown top-level field fails every kind: the schema compiled and is strict at the root.
      expect(catalog.check(entry, 'strict')({ apiVersion, kind: entry.kind, notAField: 1 }).some((e) => e.keyword === 'additionalProperties'), `${apiVersion}/${entry.kind}`).toBe(true);
    }
  });

  it.each(['default.yaml', 'deploy-overrides.yaml', 'example-prod.yaml'])('accepts real helm template output (hcloud-csi %s)', (file) => {
    expect(check(minor, golden(file))).toEqual([]);
  });

  it('finds the real mistake in full-values.yaml: probe timings written under exec (the apiserver drops them)', () => {
    const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'];
    const at = (object: string, container: number) => probes.flatMap((p) => ['initialDelaySeconds', 'periodSeconds'].map((f) => `SCHEMA_UNKNOWN_FIELD:${object}:/spec/template/spec/containers/${container}/${p}/exec/${f}`));
    expect(check(minor, golden('full.yaml')).sort()).toEqual([...at('DaemonSet/fullname-override-node', 2), ...at('Deployment/fullname-override-controller', 0)].sort());
  });

  it.each<[string, (text: string) => string, string[]]>([
    ['a misspelt container field', (t) => t.replace('imagePullPolicy: IfNotPresent', 'imagePulPolicy: IfNotPresent'), ['SCHEMA_UNKNOWN_FIELD:DaemonSet/hcloud-csi-node:/spec/template/spec/containers/0/imagePulPolicy']],
    ['an unknown field under a volume source', (t) => t.replace(/emptyDir: {}/, 'emptyDir: {medum: Memory}'), ['SCHEMA_UNKNOWN_FIELD:Deployment/hcloud-csi-controller:/spec/template/spec/volumes/0/emptyDir/medum']],
    ['a port as a list', (t) => t.replace(/containerPort: (\d+)/, 'containerPort: [$1]'), ['SCHEMA_WRONG_TYPE:DaemonSet/hcloud-csi-node:/spec/template/spec/containers/2/ports/0/containerPort']],
    ['a Quantity as an object', (t) => t.replace(/limits:\n(\s+)cpu: [^\n]+/, 'limits:\n$1cpu: {m: 100}'), ['SCHEMA_WRONG_TYPE:DaemonSet/hcloud-csi-node:/spec/template/spec/containers/0/resources/limits/cpu']],
    ['a missing container name', (t) => t.replace(/- name: csi-attacher\n(\s+)image:/, '- image:'), ['SCHEMA_MISSING_FIELD:Deployment/hcloud-csi-controller:/spec/template/spec/containers/1/name']],
    ['a StorageClass field at the wrong level', (t) => t.replace('allowVolumeExpansion: true', 'spec:\n  allowVolumeExpansion: true'), ['SCHEMA_UNKNOWN_FIELD:StorageClass/hcloud-volumes:/spec']],
  ])('rejects %s with its JSON path', (_name, mutate, expected) => {
    const text = golden('example-prod.yaml');
    const mutated = mutate(text);
    expect(mutated).not.toBe(text);
    expect(check(minor, mutated)).toEqual(expected);
  });
});

describe('x-kubernetes-list-type: map keys', () => {
  it('a duplicate key in a built-in list is a warning at the duplicate item (the field\'s own validation decides)', () => {
    const { objects } = objectsFromYaml('x.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      env: [{name: A, value: "1"}, {name: B}, {name: A, value: "2"}]\n');
    expect(validateObjects(objects, catalogOf('1.32')).map((i) => `${i.severity}:${i.code}:${i.path}:${i.location?.line}`)).toEqual(['warning:SCHEMA_DUPLICATE_KEY:/spec/containers/0/env/2:9']);
  });
});

describe('Kubernetes OpenAPI v2: differences between minors', () => {
  it('a field added in a later minor is unknown to an earlier one', () => {
    const v132 = swagger('1.32').schemas;
    const v134 = swagger('1.34').schemas;
    const newer = Object.keys(v134).filter((k) => !(k in v132));
    expect(newer.length).toBeGreaterThan(0);
    // PodSpec.resources (pod-level resources) is in 1.34's PodSpec; objects using it fail against 1.32 only if 1.32 lacks it.
    const spec32 = (v132['io.k8s.api.core.v1.PodSpec'] as { properties: Record<string, unknown> }).properties;
    const spec34 = (v134['io.k8s.api.core.v1.PodSpec'] as { properties: Record<string, unknown> }).properties;
    const added = Object.keys(spec34).filter((k) => !(k in spec32));
    expect(added.length).toBeGreaterThan(0);
    const field = added[0] as string;
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: i}]\n  ${field}: null\n`;
    expect(check('1.34', pod)).toEqual([]);
    expect(check('1.32', pod)).toEqual([`SCHEMA_UNKNOWN_FIELD:Pod/p:/spec/${field}`]);
  });
});
