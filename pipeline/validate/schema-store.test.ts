import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../core/errors.js';
import { createHttp } from '../core/http.js';
import { schemasDir } from '../core/schema.js';
import { runCli } from '../testing/cli.js';
import { crdsDir } from '../testing/paths.js';
import { loadCrdVersions } from './crd-schema.js';
import { importSchemas, loadSchemaSources, syncSchemas, type SchemaSources } from './index.js';

/** Release assets as GitHub serves them, assembled from the fixture CRDs plus non-CRD documents with ${VAR}s. */
const ASSETS: Record<string, { dir: string; prefix: RegExp }> = {
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/core-components.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^(cluster|addons)\./ },
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/bootstrap-components.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^bootstrap\./ },
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/control-plane-components.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^controlplane\./ },
  '/kubernetes-sigs/cluster-api/releases/download/v1.14.0/infrastructure-components-development.yaml': { dir: 'cluster-api-v1.14.0', prefix: /^infrastructure\./ },
  '/kubernetes-sigs/cluster-api-provider-openstack/releases/download/v0.14.7/infrastructure-components.yaml': { dir: 'cluster-api-provider-openstack-v0.14.7', prefix: /./ },
  '/syself/cluster-api-provider-hetzner/releases/download/v1.1.8/infrastructure-components.yaml': { dir: 'cluster-api-provider-hetzner-v1.1.8', prefix: /./ },
};
const PLACEHOLDERS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE:=capi-system}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: manager\nspec:\n  replicas: ${REPLICAS}\n';

let server: http.Server;
let baseUrl: string;
const requests: string[] = [];
let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-schemas-'));
  server = http.createServer((req, res) => {
    void (async () => {
      requests.push(`${req.method} ${req.url}`);
      const asset = ASSETS[req.url ?? ''];
      if (!asset) {
        res.writeHead(404).end('not found');
        return;
      }
      const files = (await fs.readdir(path.join(crdsDir, asset.dir))).filter((f) => asset.prefix.test(f)).sort();
      const docs = [PLACEHOLDERS, ...(await Promise.all(files.map((f) => fs.readFile(path.join(crdsDir, asset.dir, f), 'utf8'))))];
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
    expect(sources?.providers.map((p) => `${p.name}@${p.version}`)).toEqual(['cluster-api@v1.14.0', 'cluster-api-provider-openstack@v0.14.7', 'cluster-api-provider-hetzner@v1.1.8']);
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
  it('downloads every pinned asset and keeps exactly the fixture CRDs', async () => {
    const { sources } = await loadSchemaSources(path.join(schemasDir, 'sources.yaml'));
    const cacheDir = path.join(work, 'sync');
    requests.length = 0;
    const result = await syncSchemas({ sources: sources as SchemaSources, cacheDir, baseUrl }, { http: createHttp({ retries: 0 }) });
    expect(result.issues).toEqual([]);
    expect(requests.sort()).toEqual(Object.keys(ASSETS).map((p) => `GET ${p}`).sort());
    expect(result.downloads.every((d) => /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);
    const fromCache = await loadCrdVersions([cacheDir]);
    const fromFixtures = await loadCrdVersions([crdsDir]);
    const keys = (vs: typeof fromCache.versions) => vs.map((v) => `${v.group}/${v.version}/${v.kind}`).sort();
    expect(keys(fromCache.versions)).toEqual(keys(fromFixtures.versions));
    expect(JSON.parse(await fs.readFile(path.join(cacheDir, 'sync.json'), 'utf8')).downloads).toHaveLength(6);
  });

  it('fails with an UpstreamError on a missing release', async () => {
    const sources: SchemaSources = { providers: [{ name: 'capi', repository: 'kubernetes-sigs/cluster-api', version: 'v9.9.9', assets: ['core-components.yaml'] }] };
    await expect(syncSchemas({ sources, cacheDir: path.join(work, 'missing'), baseUrl }, { http: createHttp({ retries: 0 }) })).rejects.toBeInstanceOf(UpstreamError);
  });

  it('csp schemas sync exits 2 when the release host answers 404', async () => {
    const file = path.join(work, 'missing-sources.yaml');
    await fs.writeFile(file, 'providers:\n  - name: capi\n    repository: kubernetes-sigs/cluster-api\n    version: v9.9.9\n    assets: [core-components.yaml]\n');
    const r = await runCli(['schemas', 'sync', '--sources', file, '--base-url', baseUrl, '--cache', path.join(work, 'c404')], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SCHEMA_DOWNLOAD_FAILED GET .*v9\.9\.9\/core-components\.yaml answered 404/);
  });

  it('csp schemas sync --base-url fills the cache csp validate reads', async () => {
    const r = await runCli(['schemas', 'sync', '--base-url', baseUrl, '--cache', path.join(work, 'cli-cache'), '--json'], work);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { crds: unknown[]; downloads: unknown[] };
    expect(out.downloads).toHaveLength(6);
    expect(out.crds.length).toBeGreaterThan(30);
    const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__');
    const v = await runCli(['validate', '--rendered', path.join(fixtures, 'class-chart.yaml'), '--cluster', path.join(fixtures, 'cluster.yaml'), '--schemas', path.join(work, 'cli-cache'), '--json'], work);
    expect(v.code).toBe(0);
    expect((JSON.parse(v.stdout) as { schemas: number }).schemas).toBeGreaterThan(60);
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
    const bad = await runCli(['schemas', 'import', 'nope', '--cache', path.join(work, 'c1')], work);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/SCHEMA_SOURCE_MISSING/);
    const good = await runCli(['schemas', 'import', path.join(crdsDir, 'cluster-api-provider-hetzner-v1.1.8'), '--cache', path.join(work, 'c2')], work);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/HetznerClusterTemplate/);
  });
});
