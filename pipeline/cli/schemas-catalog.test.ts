import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { fixturesDir, repoRoot } from '../testing/paths.js';

const FROM = ['k8s-openapi', 'crds', 'crds-extra'].flatMap((d) => ['--from', path.join(fixturesDir, d)]);
let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-schemas-catalog-'));
});
afterAll(() => fs.rm(work, { recursive: true, force: true }));

describe('csp schemas catalog', () => {
  it('--check passes on the committed catalog and fails with CATALOG_STALE on a changed copy', async () => {
    const ok = await runCli(['schemas', 'catalog', '--check', ...FROM, '--json'], repoRoot);
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout) as { ok: boolean; bytes: number; origin: { kubernetes: { minor: string; sha256: string }[] } };
    expect(out.ok).toBe(true);
    expect(out.origin.kubernetes.map((k) => k.minor)).toEqual(['1.32', '1.33', '1.34']);
    const copy = path.join(work, 'catalog');
    await fs.cp(path.join(repoRoot, 'schemas/catalog'), copy, { recursive: true });
    await fs.writeFile(path.join(copy, 'origin.json'), '{}\n');
    const stale = await runCli(['schemas', 'catalog', '--check', ...FROM, '--out', copy], work);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/^catalog\/origin\.json CATALOG_STALE catalog\/origin\.json differs from what its sources generate$/m);
    const fixed = await runCli(['schemas', 'catalog', ...FROM, '--out', copy], work);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/^wrote catalog\/origin\.json$/m);
    expect(await fs.readFile(path.join(copy, 'origin.json'), 'utf8')).toBe(await fs.readFile(path.join(repoRoot, 'schemas/catalog/origin.json'), 'utf8'));
  }, 60_000);

  it('without its sources (an empty cache) names what is missing and writes nothing', async () => {
    const r = await runCli(['schemas', 'catalog', '--schema-cache', path.join(work, 'empty-cache'), '--out', path.join(work, 'never')], work);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/CATALOG_SOURCE_MISSING no swagger-v1\.32\.json \(Kubernetes 1\.32 OpenAPI v2\) under empty-cache/);
    await expect(fs.stat(path.join(work, 'never'))).rejects.toThrow(/ENOENT/);
  });
});

describe('csp schemas import of a Swagger 2.0 document, and csp validate --verbose', () => {
  it('imports the v2 document, which then overrides the catalog; --verbose prints the catalog origin', async () => {
    const cache = path.join(work, 'v2-cache');
    const imported = await runCli(['schemas', 'import', path.join(fixturesDir, 'k8s-openapi/swagger-v1.33.json'), '--schema-cache', cache], work);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Kubernetes OpenAPI .*apps\/v1.* \(\d+ kinds\) -> .*imported-openapi\/swagger-v1\.33\.json$/m);
    await fs.writeFile(path.join(work, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndatta: {}\n');
    const r = await runCli(['validate', '--rendered', 'cm.yaml', '--schemas', cache, '--verbose'], work);
    expect(r.stdout).toMatch(/^cm\.yaml:5:1 SCHEMA_UNKNOWN_FIELD ConfigMap\/c: \/datta unknown field/m);
    expect(r.stdout).toMatch(/Kubernetes OpenAPI documents in imported-openapi \(1, override the catalog\)/);
    const origin = JSON.parse(await fs.readFile(path.join(repoRoot, 'schemas/catalog/origin.json'), 'utf8')) as { kubernetes: { sha256: string }[] };
    for (const k of origin.kubernetes) expect(r.stderr).toContain(`sha256:${k.sha256}`);
  }, 60_000);
});
