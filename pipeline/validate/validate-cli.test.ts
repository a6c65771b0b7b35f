import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { crdsDir } from '../testing/paths.js';
import { corpus } from './__fixtures__/corpus.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__');
let work: string;
let chart: string;
let cluster: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-validate-'));
  chart = await fs.readFile(path.join(fixtures, 'class-chart.yaml'), 'utf8');
  cluster = await fs.readFile(path.join(fixtures, 'cluster.yaml'), 'utf8');
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function validate(chartText: string, clusterText: string, extra: string[] = []) {
  await fs.writeFile(path.join(work, 'chart.yaml'), chartText);
  await fs.writeFile(path.join(work, 'cluster.yaml'), clusterText);
  return runCli(['validate', '--rendered', 'chart.yaml', '--cluster', 'cluster.yaml', '--crds', crdsDir, ...extra], work);
}

// Without a stack, --rendered knows no release name, so CLASS_NAME_MISMATCH is only checked for rendered stacks.
describe('csp validate --rendered', () => {
  it('passes the valid chart with exit 0 and reports the dry-run items', async () => {
    const r = await validate(chart, cluster);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok {3}chart\.yaml: 6 objects, 5 dry-run items, 0 errors/);
  });

  it.each(corpus.filter((c, i) => i % 3 === 0 && c.code !== 'CLASS_NAME_MISMATCH').map((c) => [c.name, c] as const))('corpus: %s → exit 1 at file:line', async (_name, c) => {
    const edited = (c.target === 'chart' ? chart : cluster).replace(c.find, () => c.replace);
    const line = edited.split('\n').findIndex((l) => l.includes('# HERE')) + 1;
    const r = await validate(c.target === 'chart' ? edited : chart, c.target === 'cluster' ? edited : cluster);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${c.target}\\.yaml:${line}:\\d+ ${c.code} `, 'm'));
  });

  it('a kind without a schema is an error, a warning with --allow-unknown-kinds', async () => {
    const withUnknown = `${chart}---\napiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\n`;
    const strict = await validate(withUnknown, cluster);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/chart\.yaml:\d+:\d+ SCHEMA_UNKNOWN_KIND Widget\/w/);
    const lenient = await validate(withUnknown, cluster, ['--allow-unknown-kinds']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/warning: SCHEMA_UNKNOWN_KIND/);
  });

  it('--json prints every issue with path and location', async () => {
    const c = corpus.find((x) => x.code === 'DRY_RUN_PATCH_FAILED');
    const r = await validate(chart.replace(c?.find ?? '', c?.replace ?? ''), cluster, ['--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; issues: { code: string; path?: string; location?: { file: string; line: number } }[] };
    expect(out.ok).toBe(false);
    const failed = out.issues.find((i) => i.code === 'DRY_RUN_PATCH_FAILED');
    expect(failed?.path).toBe('/spec/patches/2/definitions/0/jsonPatches/0/path');
    expect(failed?.location?.file).toBe('chart.yaml');
  });

  it('per-target counts and the "other" line add up to the total, in text and --json', async () => {
    const broken = `${chart}---\nkey: [unclosed\n`;
    const text = await validate(broken, cluster);
    expect(text.code).toBe(1);
    const perTarget = [...text.stdout.matchAll(/^(?:FAIL|ok {2}) .*[:,] (\d+) errors, (\d+) warnings$/gm)].map((m) => Number(m[1]));
    const total = Number(/^(\d+) errors, \d+ warnings \(/m.exec(text.stdout)?.[1]);
    expect(perTarget.reduce((a, b) => a + b, 0)).toBe(total);
    expect(total).toBeGreaterThan(0);
    const json = JSON.parse((await validate(broken, cluster, ['--json'])).stdout) as { errors: number; targets: { errors: number }[]; other: { errors: number } };
    expect(json.targets.reduce((a, t) => a + t.errors, 0) + json.other.errors).toBe(json.errors);
    expect(json.targets[0]?.errors).toBeGreaterThan(0);
  });

  it('a --cluster file without a Cluster is a user error (exit 1)', async () => {
    const r = await validate(chart, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CLUSTER_FILE_NO_CLUSTER/);
  });
});
