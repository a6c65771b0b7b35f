import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSchemaCatalog } from './crd-schema.js';
import { loadCatalog } from './index.js';
import { convertOpenApiDocuments, loadOpenApiKinds, openApiCatalogEntries, parseOpenApiDocument, type OpenApiConvertOptions, type OpenApiDocument } from './k8s-openapi.js';
import { objectsFromYaml } from './read-objects.js';
import { validateObjects } from './validate-objects.js';

const openapiDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__/openapi');
const FILES = ['api__v1_openapi.json', 'apis__apps__v1_openapi.json'];

function documents(): OpenApiDocument[] {
  return FILES.map((f) => {
    const { document, issues } = parseOpenApiDocument(f, fs.readFileSync(path.join(openapiDir, f), 'utf8'));
    expect(issues).toEqual([]);
    return document as OpenApiDocument;
  });
}

function catalogOf(options: OpenApiConvertOptions = {}) {
  return createSchemaCatalog(openApiCatalogEntries(convertOpenApiDocuments(documents(), options)));
}

/** `CODE:path` of every issue of a YAML stream. */
function check(text: string, options: OpenApiConvertOptions = {}): string[] {
  const { objects, issues } = objectsFromYaml('x.yaml', text);
  expect(issues).toEqual([]);
  return validateObjects(objects, catalogOf(options)).map((i) => `${i.code}:${i.path}`);
}

const deployment = (extra: { spec?: string; container?: string; meta?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
${extra.meta ?? ''}spec:
  selector:
    matchLabels: {app: d}
  template:
    metadata:
      labels: {app: d}
    spec:
      containers:
        - name: c
          image: registry.example/c:1
${extra.container ?? ''}${extra.spec ?? ''}`;

describe('Kubernetes OpenAPI v3 → strict JSON Schema', () => {
  it('finds every x-kubernetes-group-version-kind of every document', () => {
    const bundle = convertOpenApiDocuments(documents());
    expect(bundle.kinds.map((k) => `${k.group}/${k.version}/${k.kind}@${k.file}`).sort()).toEqual([
      '/v1/ConfigMap@api__v1_openapi.json',
      '/v1/ConfigMapList@api__v1_openapi.json',
      'apps/v1/ControllerRevision@apis__apps__v1_openapi.json',
      'apps/v1/Deployment@apis__apps__v1_openapi.json',
    ]);
    expect(bundle.missing).toEqual([]);
  });

  it('emits each definition once as $defs and shares it through $ref (allOf wrappers unwrapped)', () => {
    const bundle = convertOpenApiDocuments(documents());
    const defs = bundle.shared.$defs as Record<string, { properties?: Record<string, unknown> }>;
    const metaRef = { $ref: '#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
    // ObjectMeta is in both documents but one definition; ConfigMap, Deployment and the pod template use it.
    expect(Object.keys(defs).filter((k) => k.endsWith('.ObjectMeta'))).toEqual(['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    expect(defs['io.k8s.api.core.v1.ConfigMap']?.properties?.metadata).toEqual(metaRef);
    expect(defs['io.k8s.api.apps.v1.Deployment']?.properties?.metadata).toEqual(metaRef);
    expect(defs['io.k8s.api.core.v1.PodTemplateSpec']?.properties?.metadata).toEqual(metaRef);
    // Every catalog entry points into the same shared document, which the catalog adds to ajv once.
    const entries = openApiCatalogEntries(bundle);
    expect(new Set(entries.map((e) => e.prepared?.shared)).size).toBe(1);
    const catalog = createSchemaCatalog(entries);
    for (const e of entries) expect(catalog.check(e, 'strict')({ apiVersion: e.group ? `${e.group}/${e.version}` : e.version, kind: e.kind, ...(e.kind.endsWith('List') ? { items: [] } : { metadata: { name: 'x' } }), ...(e.kind === 'ControllerRevision' ? { revision: 1 } : {}) })).toEqual([]);
    expect(catalog.compiledCount()).toBe(entries.length);
  });

  it('accepts a valid Deployment and ConfigMap (null means unset, as in the apiserver)', () => {
    expect(check(deployment({ meta: '  annotations:\n  creationTimestamp: null\n', spec: '  replicas: 2\n  strategy:\n    type: RollingUpdate\n' }))).toEqual([]);
    expect(check('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: b}\ndata:\n  k: v\nbinaryData:\n  b: aGVsbG8=\nimmutable: true\n')).toEqual([]);
  });

  it.each<[string, string, string[]]>([
    ['top level', deployment({ spec: 'extra: 1\n' }), ['SCHEMA_UNKNOWN_FIELD:/extra']],
    ['metadata', deployment({ meta: '  labelz: {a: b}\n' }), ['SCHEMA_UNKNOWN_FIELD:/metadata/labelz']],
    ['pod template metadata', deployment({ spec: '  template2: {}\n' }), ['SCHEMA_UNKNOWN_FIELD:/spec/template2']],
    ['container', deployment({ container: '          imagePulPolicy: Always\n' }), ['SCHEMA_UNKNOWN_FIELD:/spec/template/spec/containers/0/imagePulPolicy']],
    ['container port (5 levels of $ref)', deployment({ container: '          ports:\n            - containerPort: 80\n              protocl: TCP\n' }), ['SCHEMA_UNKNOWN_FIELD:/spec/template/spec/containers/0/ports/0/protocl']],
    ['owner reference inside ObjectMeta', deployment({ meta: '  ownerReferences:\n    - {apiVersion: v1, kind: ConfigMap, name: c, uid: u, blockOwnerDeletion: true}\n' }), ['SCHEMA_UNKNOWN_FIELD:/metadata/ownerReferences/0/blockOwnerDeletion']],
  ])('rejects an unknown field at depth: %s', (_name, text, expected) => {
    expect(check(text)).toEqual(expected);
  });

  it('keeps types, enums, required fields and formats', () => {
    expect(check(deployment({ spec: '  replicas: "2"\n' }))).toEqual(['SCHEMA_WRONG_TYPE:/spec/replicas']);
    expect(check(deployment({ container: '          imagePullPolicy: Sometimes\n' }))).toEqual(['SCHEMA_INVALID_VALUE:/spec/template/spec/containers/0/imagePullPolicy']);
    expect(check(deployment({ container: '          ports: [{name: http}]\n' }))).toEqual(['SCHEMA_MISSING_FIELD:/spec/template/spec/containers/0/ports/0/containerPort']);
    // int32 is a range (the apiserver cannot decode more), byte is base64, Time is an RFC 3339 date-time.
    expect(check(deployment({ spec: '  replicas: 2147483648\n' }))).toEqual(['SCHEMA_INVALID:/spec/replicas']);
    expect(check(deployment({ meta: '  creationTimestamp: yesterday\n' }))).toEqual(['SCHEMA_INVALID_FORMAT:/metadata/creationTimestamp']);
    expect(check('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nbinaryData:\n  b: "not base64!"\n')).toEqual(['SCHEMA_INVALID_FORMAT:/binaryData/b']);
  });

  it('int-or-string (x-kubernetes-int-or-string and format: int-or-string) and Quantity (string or number)', () => {
    const update = (surge: string, unavailable: string) => deployment({ spec: `  strategy:\n    rollingUpdate: {maxSurge: ${surge}, maxUnavailable: ${unavailable}}\n` });
    expect(check(update('1', '"25%"'))).toEqual([]);
    expect(check(update('"25%"', '0'))).toEqual([]);
    expect(check(update('true', '1.5'))).toEqual(['SCHEMA_WRONG_TYPE:/spec/strategy/rollingUpdate/maxSurge', 'SCHEMA_WRONG_TYPE:/spec/strategy/rollingUpdate/maxUnavailable']);
    expect(check(deployment({ container: '          resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 0.5}}\n' }))).toEqual([]);
    expect(check(deployment({ container: '          resources: {limits: {cpu: [1]}}\n' }))).toEqual(['SCHEMA_WRONG_TYPE:/spec/template/spec/containers/0/resources/limits/cpu']);
  });

  it('Quantity takes numbers even where a document types it as a plain string (the apiserver decodes both)', () => {
    const docs = documents();
    const apps = docs[1] as OpenApiDocument;
    const schemas = { ...apps.schemas, 'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' } };
    const catalog = createSchemaCatalog(openApiCatalogEntries(convertOpenApiDocuments([docs[0] as OpenApiDocument, { ...apps, schemas }])));
    const { objects } = objectsFromYaml('x.yaml', deployment({ container: '          resources: {limits: {cpu: 2, memory: 1Gi}, requests: {cpu: true}}\n' }));
    expect(validateObjects(objects, catalog).map((i) => `${i.code}:${i.path}`)).toEqual(['SCHEMA_WRONG_TYPE:/spec/template/spec/containers/0/resources/requests/cpu']);
  });

  it('honours nullable when null is not accepted everywhere', () => {
    const strictNull = { nullAsUnset: false };
    expect(check(deployment({ container: '          command: null\n' }), strictNull)).toEqual([]);
    expect(check(deployment({ container: '          image: null\n' }).replace('          image: registry.example/c:1\n', ''), strictNull)).toEqual(['SCHEMA_WRONG_TYPE:/spec/template/spec/containers/0/image']);
    expect(check(deployment({ container: '          image: null\n' }).replace('          image: registry.example/c:1\n', ''))).toEqual([]);
    // nullable beside an allOf-wrapped reference.
    const apps = documents()[1] as OpenApiDocument;
    const spec = apps.schemas['io.k8s.api.apps.v1.DeploymentSpec'] as { properties: Record<string, Record<string, unknown>> };
    const withNullable = { ...apps, schemas: { ...apps.schemas, 'io.k8s.api.apps.v1.DeploymentSpec': { ...spec, properties: { ...spec.properties, strategy: { ...spec.properties.strategy, nullable: true } } } } };
    const catalog = createSchemaCatalog(openApiCatalogEntries(convertOpenApiDocuments([withNullable], strictNull)));
    const nulls = objectsFromYaml('x.yaml', deployment({ spec: '  strategy: null\n  paused: null\n' })).objects;
    expect(validateObjects(nulls, catalog).map((i) => `${i.code}:${i.path}`)).toEqual(['SCHEMA_WRONG_TYPE:/spec/paused']);
  });

  it('x-kubernetes-preserve-unknown-fields leaves a RawExtension open', () => {
    expect(check('apiVersion: apps/v1\nkind: ControllerRevision\nmetadata:\n  name: r\nrevision: 3\ndata:\n  anything: {goes: [1, 2]}\n')).toEqual([]);
    expect(check('apiVersion: apps/v1\nkind: ControllerRevision\nmetadata:\n  name: r\ndata: {}\n')).toEqual(['SCHEMA_MISSING_FIELD:/revision']);
  });

  it('embedded resources get apiVersion, kind and ObjectMeta; a dangling $ref is reported and left open', () => {
    const doc: OpenApiDocument = {
      file: 'inline.json',
      kinds: [{ group: 'example.org', version: 'v1', kind: 'Wrapper', definition: 'org.example.Wrapper' }],
      schemas: {
        'org.example.Wrapper': {
          type: 'object',
          properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, object: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } }, other: { $ref: '#/components/schemas/org.example.Missing' } },
          'x-kubernetes-group-version-kind': [{ group: 'example.org', version: 'v1', kind: 'Wrapper' }],
        },
      },
    };
    const bundle = convertOpenApiDocuments([doc]);
    expect(bundle.missing).toEqual(['org.example.Missing']);
    const catalog = createSchemaCatalog(openApiCatalogEntries(bundle));
    const [entry] = catalog.versionsOf('example.org', 'Wrapper');
    const run = (object: unknown) => catalog.check(entry as NonNullable<typeof entry>, 'strict')({ apiVersion: 'example.org/v1', kind: 'Wrapper', object, other: { free: 1 } }).map((e) => `${e.keyword}:${e.instancePath}`).sort();
    expect(run({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n' }, spec: { size: 1 } })).toEqual([]);
    expect(run({ apiVersion: 'v1', kind: 'X', metadata: { nam: 'n' }, spec: { size: 'big' } })).toEqual(['additionalProperties:/object/metadata', 'type:/object/spec/size']);
  });
});

describe('loadCatalog with OpenAPI documents', () => {
  const deep = deployment({ container: '          resources:\n            limits: {cpu: [1]}\n            requestz: {cpu: 1}\n' });

  it('OpenAPI kinds replace the built-in schemas per group/version/kind; the rest stay built-in', async () => {
    const builtIn = await loadCatalog([]);
    const upstream = await loadCatalog([openapiDir]);
    expect(builtIn.core.source).toBe('built-in');
    expect(builtIn.core.note).toMatch(/built-in subset.*run csp schemas sync/);
    expect(upstream.issues).toEqual([]);
    expect(upstream.core.source).toBe('kubernetes-openapi');
    expect(upstream.core.documents.map((d) => path.basename(d))).toEqual(FILES);
    expect(upstream.catalog.versions.get('apps/v1/Deployment')?.file).toBe(path.join(openapiDir, 'apis__apps__v1_openapi.json'));
    expect(upstream.catalog.versions.get('apps/v1/DaemonSet')?.file).toBe(builtIn.catalog.versions.get('apps/v1/DaemonSet')?.file);
    expect(upstream.core.builtInKinds).toContain('apps/v1/DaemonSet');
    expect(upstream.core.builtInKinds).not.toContain('apps/v1/Deployment');
    // The built-in subset is open below container resources and probes; the OpenAPI schema is not.
    const { objects } = objectsFromYaml('x.yaml', deep);
    expect(validateObjects(objects, builtIn.catalog)).toEqual([]);
    expect(validateObjects(objects, upstream.catalog).map((i) => `${i.code}:${i.path}:${i.location?.line}`)).toEqual([
      'SCHEMA_UNKNOWN_FIELD:/spec/template/spec/containers/0/resources/requestz:17',
      'SCHEMA_WRONG_TYPE:/spec/template/spec/containers/0/resources/limits/cpu:16',
    ]);
  });

  it('skips JSON files that are not OpenAPI documents and reports a broken *openapi*.json', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-openapi-'));
    try {
      fs.writeFileSync(path.join(dir, 'sync.json'), '{"downloads": []}');
      fs.writeFileSync(path.join(dir, 'broken_openapi.json'), '{"openapi": "3.0.0"');
      const loaded = await loadOpenApiKinds([dir]);
      expect(loaded.entries).toEqual([]);
      expect(loaded.issues.map((i) => `${i.severity}:${i.code}:${path.basename(i.location?.file ?? '')}`)).toEqual(['warning:OPENAPI_INVALID:broken_openapi.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
