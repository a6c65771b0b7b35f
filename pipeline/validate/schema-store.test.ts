import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { UpstreamError } from '../core/errors.js';
import { createHttp } from '../core/http.js';
import { schemasDir } from '../core/schema.js';
import { runCli } from '../testing/cli.js';
import { crdsDir, fixturesDir } from '../testing/paths.js';
import { loadCrdVersions } from './crd-schema.js';
import { coreSchemaVersions, importSchemas, loadCatalog, loadSchemaSources, syncSchemas, type SchemaSources } from './index.js';

/** Release assets as GitHub serves them, assembled from the fixture CRDs plus non-CRD documents with ${VAR}s. */
const ASSETS: Record<string, { dir: string; prefix: RegExp; root?: string }> = {
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/core-components.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^(cluster|addons)\./ },
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/bootstrap-components.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^bootstrap\./ },
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/control-plane-components.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^controlplane\./ },
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/infrastructure-components-development.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^infrastructure\./ },
  '/kubernetes-sigs/cluster-api-provider-openstack/releases/download/v0.14.7/infrastructure-components.yaml': { dir: 'cluster-api-provider-openstack-v0.14.7', prefix: /./ },
  '/syself/cluster-api-provider-hetzner/releases/download/v1.1.8/infrastructure-components.yaml': { dir: 'cluster-api-provider-hetzner-v1.1.8', prefix: /./ },
  '/k-orc/openstack-resource-controller/releases/download/v2.6.0/install.yaml': { dir: 'openstack-resource-controller-v2.6.0', prefix: /./, root: path.join(fixturesDir, 'crds-extra') },
};
/** The real Swagger 2.0 documents of the catalog's minors, served where raw.githubusercontent.com serves them. */
const SWAGGER_PATH = /^\/kubernetes\/kubernetes\/release-(1\.\d+)\/api\/openapi-spec\/swagger\.json$/;
/** Our synthetic Kubernetes OpenAPI v3 documents, served where raw.githubusercontent.com serves the real ones. */
const openapiDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__/openapi');
const OPENAPI_PATH = /^\/kubernetes\/kubernetes\/(v[\d.]+)\/api\/openapi-spec\/v3\/([\w.-]+\.json)$/;
const PLACEHOLDERS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE:=capi-system}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: manager\nspec:\n  replicas: ${REPLICAS}\n';

let server: http.Server;
let baseUrl: string;
const requests: string[] = [];
let work: string;
let fixtureDocs: string[];

/** schemas/sources.yaml with the Kubernetes documents cut down to the ones we have synthetic fixtures for. */
async function testSources(): Promise<SchemaSources> {
  const { sources } = await loadSchemaSources(path.join(schemasDir, 'sources.yaml'));
  const real = sources as SchemaSources;
  return { ...real, kubernetes: { ...(real.kubernetes as NonNullable<SchemaSources['kubernetes']>), documents: real.kubernetes?.documents.filter((d) => fixtureDocs.includes(d)) ?? [] } };
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-schemas-'));
  fixtureDocs = (await fs.readdir(openapiDir)).filter((f) => f.endsWith('_openapi.json'));
  server = http.createServer((req, res) => {
    void (async () => {
      requests.push(`${req.method} ${req.url}`);
      const doc = OPENAPI_PATH.exec(req.url ?? '');
      if (doc?.[1] === 'v1.32.5' && fixtureDocs.includes(doc[2] ?? '')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(await fs.readFile(path.join(openapiDir, doc[2] ?? ''), 'utf8'));
        return;
      }
      if (doc?.[2] === 'apis__broken__v1_openapi.json') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>rate limited</html>');
        return;
      }
      const swagger = SWAGGER_PATH.exec(req.url ?? '');
      if (swagger) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(await fs.readFile(path.join(fixturesDir, `k8s-openapi/swagger-v${swagger[1]}.json`)));
        return;
      }
      const asset = ASSETS[req.url ?? ''];
      if (!asset) {
        res.writeHead(404).end('not found');
        return;
      }
      const root = asset.root ?? crdsDir;
      const files = (await fs.readdir(path.join(root, asset.dir))).filter((f) => asset.prefix.test(f)).sort();
      const docs = [PLACEHOLDERS, ...(await Promise.all(files.map((f) => fs.readFile(path.join(root, asset.dir, f), 'utf8'))))];
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(docs.map((d) => `---\n${d}`).join('\n'));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(work, { recursive: true, force: true });
});

describe('schemas/sources.yaml', () => {
  it('is valid and pins exact versions', async () => {
    const { sources, issues } = await loadSchemaSources(path.join(schemasDir, 'sources.yaml'));
    expect(issues).toEqual([]);
    expect(sources?.providers.map((p) => `${p.name}@${p.version}`)).toEqual(['cluster-api@v1.14.0', 'cluster-api-provider-openstack@v0.14.7', 'cluster-api-provider-hetzner@v1.1.8', 'openstack-resource-controller@v2.6.0']);
    expect(sources?.catalog?.kubernetes.map((k) => k.minor)).toEqual(['1.32', '1.33', '1.34']);
    expect(sources?.kubernetes?.version).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('lists a Kubernetes OpenAPI document for every API group/version of the built-in kinds it replaces', async () => {
    const { sources } = await loadSchemaSources(path.join(schemasDir, 'sources.yaml'));
    // Upstream names: api__v1_openapi.json for the core group, apis__<group>__<version>_openapi.json otherwise.
    const fileOf = (group: string, version: string) => (group ? `apis__${group}__${version}_openapi.json` : `api__${version}_openapi.json`);
    const wanted = new Set(coreSchemaVersions().map((v) => fileOf(v.group, v.version)));
    expect([...wanted].filter((f) => !sources?.kubernetes?.documents.includes(f))).toEqual([]);
    expect(fixtureDocs.every((f) => sources?.kubernetes?.documents.includes(f))).toBe(true);
  });

  it('rejects a Kubernetes version range and a non-OpenAPI file name', async () => {
    const file = path.join(work, 'bad-k8s.yaml');
    await fs.writeFile(file, 'providers:\n  - name: capi\n    repository: kubernetes-sigs/cluster-api\n    version: v1.14.0\n    assets: [core-components.yaml]\nkubernetes:\n  version: "~1.32"\n  documents: [swagger.yaml]\n');
    const { sources, issues } = await loadSchemaSources(file);
    expect(sources).toBeUndefined();
    expect(issues.map((i) => i.location?.line).sort()).toEqual([7, 8]);
  });

  it('rejects a version range with a positioned issue', async () => {
    const file = path.join(work, 'bad-sources.yaml');
    await fs.writeFile(file, 'providers:\n  - name: capi\n    repository: kubernetes-sigs/cluster-api\n    version: ">=1.14"\n    assets: [core-components.yaml]\n');
    const { sources, issues } = await loadSchemaSources(file);
    expect(sources).toBeUndefined();
    expect(issues.map((i) => `${i.location?.line}`)).toContain('4');
  });
});

describe('syncSchemas against a loopback release server (integration)', () => {
  it('downloads every pinned asset and keeps exactly the fixture CRDs and OpenAPI documents', async () => {
    const sources = await testSources();
    const cacheDir = path.join(work, 'sync');
    requests.length = 0;
    const result = await syncSchemas({ sources, cacheDir, baseUrl }, { http: createHttp({ retries: 0 }) });
    expect(result.issues).toEqual([]);
    const docPaths = fixtureDocs.map((d) => `/kubernetes/kubernetes/${sources.kubernetes?.version}/api/openapi-spec/v3/${d}`);
    const swaggerPaths = ['1.32', '1.33', '1.34'].map((m) => `/kubernetes/kubernetes/release-${m}/api/openapi-spec/swagger.json`);
    expect(requests.sort()).toEqual([...Object.keys(ASSETS), ...docPaths, ...swaggerPaths].map((p) => `GET ${p}`).sort());
    // The catalog's sources land in kubernetes-swagger/, where csp schemas catalog finds them.
    expect((await fs.readdir(path.join(cacheDir, 'kubernetes-swagger'))).sort()).toEqual(['swagger-v1.32.json', 'swagger-v1.33.json', 'swagger-v1.34.json']);
    for (const d of fixtureDocs) {
      expect(await fs.readFile(path.join(cacheDir, `kubernetes-${sources.kubernetes?.version}`, d), 'utf8')).toBe(await fs.readFile(path.join(openapiDir, d), 'utf8'));
    }
    expect(result.openapi.map((o) => `${o.groupVersions.join(',')}:${o.file}`).sort()).toEqual(['apps/v1:kubernetes-v1.32.5/apis__apps__v1_openapi.json', 'v1:kubernetes-v1.32.5/api__v1_openapi.json']);
    expect(result.downloads.every((d) => /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);
    const fromCache = await loadCrdVersions([cacheDir]);
    const fromFixtures = await loadCrdVersions([crdsDir, path.join(fixturesDir, 'crds-extra')]);
    const keys = (vs: typeof fromCache.versions) => vs.map((v) => `${v.group}/${v.version}/${v.kind}`).sort();
    expect(keys(fromCache.versions)).toEqual(keys(fromFixtures.versions));
    expect(JSON.parse(await fs.readFile(path.join(cacheDir, 'sync.json'), 'utf8')).downloads).toHaveLength(7 + fixtureDocs.length + 3);
    // csp validate's catalog now takes Deployment from the downloaded document instead of the built-in subset.
    const loaded = await loadCatalog([cacheDir]);
    expect(loaded.core.source).toBe('kubernetes-openapi');
    expect(loaded.catalog.versions.get('apps/v1/Deployment')?.file).toBe(path.join(cacheDir, 'kubernetes-v1.32.5/apis__apps__v1_openapi.json'));
  });

  it('keeps no document that is not an OpenAPI v3 document with kinds', async () => {
    const sources: SchemaSources = { providers: [], kubernetes: { version: 'v1.32.5', documents: ['apis__broken__v1_openapi.json'] } };
    const cacheDir = path.join(work, 'broken');
    const result = await syncSchemas({ sources, cacheDir, baseUrl }, { http: createHttp({ retries: 0 }) });
    expect(result.issues.map((i) => `${i.severity}:${i.code}`)).toEqual(['error:OPENAPI_INVALID']);
    expect(result.openapi).toEqual([]);
    await expect(fs.readdir(path.join(cacheDir, 'kubernetes-v1.32.5'))).rejects.toThrow(/ENOENT/);
  });

  it('fails with an UpstreamError on a missing release', async () => {
    const sources: SchemaSources = { providers: [{ name: 'capi', repository: 'kubernetes-sigs/cluster-api', version: 'v9.9.9', assets: ['core-components.yaml'] }] };
    await expect(syncSchemas({ sources, cacheDir: path.join(work, 'missing'), baseUrl }, { http: createHttp({ retries: 0 }) })).rejects.toBeInstanceOf(UpstreamError);
  });

  it('csp schemas sync exits 2 when the release host answers 404', async () => {
    const file = path.join(work, 'missing-sources.yaml');
    await fs.writeFile(file, 'providers:\n  - name: capi\n    repository: kubernetes-sigs/cluster-api\n    version: v9.9.9\n    assets: [core-components.yaml]\n');
    const r = await runCli(['schemas', 'sync', '--sources', file, '--base-url', baseUrl, '--schema-cache', path.join(work, 'c404')], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SCHEMA_DOWNLOAD_FAILED GET .*v9\.9\.9\/core-components\.yaml answered 404/);
  });

  it('csp schemas sync --base-url fills the cache csp validate reads', async () => {
    const sourcesFile = path.join(work, 'test-sources.yaml');
    await fs.writeFile(sourcesFile, stringify(await testSources()));
    const r = await runCli(['schemas', 'sync', '--sources', sourcesFile, '--base-url', baseUrl, '--schema-cache', path.join(work, 'cli-cache'), '--json'], work);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { crds: unknown[]; openapi: unknown[]; downloads: unknown[] };
    expect(out.downloads).toHaveLength(7 + fixtureDocs.length + 3);
    expect(out.openapi).toHaveLength(fixtureDocs.length);
    expect(out.crds.length).toBeGreaterThan(30);
    const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__');
    const v = await runCli(['validate', '--rendered', path.join(fixtures, 'class-chart.yaml'), '--cluster', path.join(fixtures, 'cluster.yaml'), '--schemas', path.join(work, 'cli-cache'), '--json'], work);
    expect(v.code).toBe(0);
    const json = JSON.parse(v.stdout) as { schemas: number; coreSchemas: { source: string; documents: string[] } };
    expect(json.schemas).toBeGreaterThan(60);
    expect(json.coreSchemas.source).toBe('kubernetes-openapi');
    expect(json.coreSchemas.documents.map((d) => path.basename(d)).sort()).toEqual([...fixtureDocs].sort());
  });

  it('csp validate checks core kinds against the catalog by default; synced OpenAPI documents override it, and it says which it used', async () => {
    const chart = await fs.readFile(path.join(openapiDir, '../class-chart.yaml'), 'utf8');
    // An unknown field below container resources: the catalog (real OpenAPI) and the synced documents both know it.
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    spec:\n      containers:\n        - name: c\n          resources:\n            limitz: {cpu: 1}\n';
    await fs.writeFile(path.join(work, 'with-deployment.yaml'), `${chart}---\n${deployment}`);
    const args = ['validate', '--rendered', 'with-deployment.yaml', '--cluster', path.join(openapiDir, '../cluster.yaml'), '--crds', crdsDir];
    const line = `${chart}---\n${deployment}`.split('\n').indexOf('            limitz: {cpu: 1}') + 1;
    const finding = new RegExp(`^with-deployment\\.yaml:${line}:\\d+ SCHEMA_UNKNOWN_FIELD Deployment/d: /spec/template/spec/containers/0/resources/limitz unknown field`, 'm');
    const catalog = await runCli([...args, '--schemas', path.join(work, 'no-cache'), '--k8s', '1.33'], work);
    expect(catalog.code).toBe(1);
    expect(catalog.stdout).toMatch(finding);
    expect(catalog.stdout).toMatch(/^core kinds: schema catalog, Kubernetes 1\.33 OpenAPI v2 \(swagger-v1\.33\.json\): \d+ kinds$/m);
    const synced = await runCli([...args, '--schemas', path.join(work, 'cli-cache')], work);
    expect(synced.code).toBe(1);
    expect(synced.stdout).toMatch(finding);
    expect(synced.stdout).toMatch(/^core kinds: schema catalog, Kubernetes 1\.34 OpenAPI v2 \(swagger-v1\.34\.json\); Kubernetes OpenAPI documents in kubernetes-v1\.32\.5 \(2, override the catalog\): \d+ kinds$/m);
  });
});

describe('importSchemas', () => {
  it('imports plain CRDs and component files, skipping other documents', async () => {
    const dir = path.join(work, 'in');
    await fs.mkdir(path.join(dir, 'nested'), { recursive: true });
    const crd = await fs.readFile(path.join(crdsDir, 'cluster-api-v1.14.0/cluster.x-k8s.io_clusters.yaml'), 'utf8');
    await fs.writeFile(path.join(dir, 'nested/components.yaml'), `${PLACEHOLDERS}---\n${crd}`);
    const result = await importSchemas({ sources: [dir], cacheDir: path.join(work, 'imported') });
    expect(result.issues).toEqual([]);
    expect(result.crds.map((c) => `${c.group}/${c.kind}:${c.versions.join(',')}:${c.file}`)).toEqual(['cluster.x-k8s.io/Cluster:v1beta1,v1beta2:imported/cluster.x-k8s.io_clusters.yaml']);
  });

  it('reports a missing source and a file without CRDs', async () => {
    const empty = path.join(work, 'empty.yaml');
    await fs.writeFile(empty, PLACEHOLDERS);
    const result = await importSchemas({ sources: [path.join(work, 'nope'), empty], cacheDir: path.join(work, 'imported2') });
    expect(result.issues.map((i) => i.code)).toEqual(['SCHEMA_SOURCE_MISSING', 'SCHEMA_SOURCE_EMPTY']);
  });

  it('csp schemas import exits 1 on a missing source and 0 otherwise', async () => {
    const bad = await runCli(['schemas', 'import', 'nope', '--schema-cache', path.join(work, 'c1')], work);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/SCHEMA_SOURCE_MISSING/);
    const good = await runCli(['schemas', 'import', path.join(crdsDir, 'cluster-api-provider-hetzner-v1.1.8'), '--schema-cache', path.join(work, 'c2')], work);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/HetznerClusterTemplate/);
  });

  it('csp schemas import FILE accepts a Kubernetes OpenAPI v3 document and rejects other JSON', async () => {
    const cache = path.join(work, 'c3');
    const r = await runCli(['schemas', 'import', path.join(openapiDir, 'apis__apps__v1_openapi.json'), '--schema-cache', cache], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Kubernetes OpenAPI apps\/v1 \(2 kinds\) -> .*imported-openapi\/apis__apps__v1_openapi\.json$/m);
    expect((await loadCatalog([cache])).catalog.versions.get('apps/v1/Deployment')?.file).toBe(path.join(cache, 'imported-openapi/apis__apps__v1_openapi.json'));
    const other = path.join(work, 'package.json');
    await fs.writeFile(other, '{"name": "x"}');
    const bad = await runCli(['schemas', 'import', other, '--schema-cache', path.join(work, 'c4')], work);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/OPENAPI_INVALID .*package\.json is neither an OpenAPI v3 document .* nor a Swagger 2\.0 document/);
  });
});
