import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { chartsDir, repoRoot } from '../testing/paths.js';
import { createdFrom } from './build.js';

describe('createdFrom (SOURCE_DATE_EPOCH)', () => {
  it.each<[string | undefined, string]>([
    [undefined, '1970-01-01T00:00:00Z'],
    ['0', '1970-01-01T00:00:00Z'],
    ['1700000000', '2023-11-14T22:13:20Z'],
  ])('%s → %s', (value, expected) => expect(createdFrom({ SOURCE_DATE_EPOCH: value })).toBe(expected));

  it.each(['-1', '1.5', 'yesterday', ''])('refuses %j', (value) => {
    expect(() => createdFrom({ SOURCE_DATE_EPOCH: value })).toThrow(/SOURCE_DATE_EPOCH/);
  });
});

describe('csp build and csp plan in the command table', () => {
  it.each([
    [['--help'], /^\s+build\s+Build release bundles/m],
    [['--help'], /^\s+plan\s+Show what csp build would release/m],
    [['build', '--help'], /--force\s+Replace a different bundle/],
    [['plan', '--help'], /--mode MODE\s+Versioning: stable/],
  ])('csp %j', async (argv, expected) => {
    const r = await runCli(argv, process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(expected);
  });

  it('refuses an unknown mode as user input (exit 1)', async () => {
    const r = await runCli(['plan', '--mode', 'weekly', 'stacks/docker/scs'], process.cwd());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CLI_BAD_MODE --mode weekly is not stable, hash or custom/);
  });
});

describe('csp build validates against the committed schema catalog by default', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'csp-build-validate-'));
    await cp(path.join(repoRoot, 'stacks/docker/scs'), path.join(dir, 'stacks/docker/scs'), { recursive: true });
    const deps = await runCli(['deps', 'stacks/docker/scs', '--from', chartsDir], dir);
    expect(deps.code).toBe(0);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('validates every rendered object with no flag, says so, and records the catalog in the release record', async () => {
    const r = await runCli(['build', 'stacks/docker/scs', '--k8s', '1.32', '--ledger', 'led-a', '--out', 'out-a'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('BUILD_VALIDATE_SKIPPED');
    expect(r.stdout).toMatch(/note: BUILD_VALIDATED stacks\/docker\/scs k8s 1\.32: validated (\d+) rendered objects and 5 dry-run items, 0 errors \(core kinds from schema catalog, Kubernetes 1\.32 OpenAPI v2 \(swagger-v1\.32\.json\)/);
    expect(Number(/validated (\d+) rendered objects/.exec(r.stdout)?.[1])).toBeGreaterThan(30);
    const record = JSON.parse(await readFile(path.join(dir, 'led-a/docker-scs-1-32-v1.yaml'), 'utf8')) as { schemas?: { catalog: string; kubernetes?: { minor: string; sha256: string }; providers: { name: string }[] } };
    const origin = JSON.parse(await readFile(path.join(repoRoot, 'schemas/catalog/origin.json'), 'utf8')) as { kubernetes: { minor: string; sha256: string }[] };
    expect(record.schemas?.catalog).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(record.schemas?.kubernetes).toMatchObject({ minor: '1.32', sha256: origin.kubernetes.find((k) => k.minor === '1.32')?.sha256 });
    expect(record.schemas?.providers.map((p) => p.name)).toContain('cluster-api');
  }, 120_000);

  it('refuses a template that breaks its CRD schema or a core kind\'s schema, naming the template, and writes nothing', async () => {
    const file = path.join(dir, 'stacks/docker/scs/cluster-class/templates/docker-cluster-template.yaml');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('    spec: {}');
    await writeFile(file, text.replace('    spec: {}', '    spec:\n      loadBalancer:\n        imageRepository: 42\n      notAField: true'));
    await writeFile(path.join(dir, 'stacks/docker/scs/cluster-class/templates/extra-configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndatta:\n  a: b\n');
    const r = await runCli(['build', 'stacks/docker/scs', '--k8s', '1.32', '--ledger', 'led-b', '--out', 'out-b'], dir);
    expect(r.code).toBe(1);
    // Placed as csp validate places it: the template line, with the rendered line as "see".
    expect(r.stdout).toMatch(/stacks\/docker\/scs\/cluster-class\/templates\/docker-cluster-template\.yaml:11:7 SCHEMA_UNKNOWN_FIELD DockerClusterTemplate\/docker-scs-1-32-v1-cluster: \/spec\/template\/spec\/notAField unknown field "notAField"\n\s+see <render stacks\/docker\/scs k8s 1\.32>\/cluster-class\.yaml:\d+:7/);
    // A core kind: checked against the catalog's Kubernetes 1.32 ConfigMap, no flag needed.
    expect(r.stdout).toMatch(/stacks\/docker\/scs\/cluster-class\/templates\/extra-configmap\.yaml:5:1 SCHEMA_UNKNOWN_FIELD ConfigMap\/extra: \/datta unknown field "datta"/);
    await expect(readFile(path.join(dir, 'out-b/oci-layout/index.json'))).rejects.toThrow();
    // csp validate reports the same problems at the same places (template line, not rendered line).
    // Location and code of each schema problem (messages name the object, whose version differs: hash vs stable).
    const schemaLines = (out: string) => out.split('\n').flatMap((l) => /^(\S+:\d+:\d+) (?:warning: )?(SCHEMA_\w+)/.exec(l)?.slice(1, 3).join(' ') ?? []).sort();
    const v = await runCli(['validate', 'stacks/docker/scs', '--k8s', '1.32'], dir);
    expect(v.code).toBe(1);
    const fromBuild = schemaLines(r.stdout);
    expect(fromBuild.length).toBeGreaterThan(0);
    expect(fromBuild).toContain('stacks/docker/scs/cluster-class/templates/docker-cluster-template.yaml:11:7 SCHEMA_UNKNOWN_FIELD');
    expect(schemaLines(v.stdout)).toEqual(fromBuild);
  }, 120_000);
});
