import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { crdsDir, repoRoot } from '../testing/paths.js';
import { loadCrdVersions } from './crd-schema.js';
import { crdWorkerEntry, loadCrdVersionsConcurrently } from './crd-worker.js';

// The worker runs compiled code: these tests use the build (npm run build; npm ci builds too), as bin/csp.js does.
const builtEntry = pathToFileURL(path.join(repoRoot, 'dist/pipeline/validate/crd-worker-entry.js'));
const run = promisify(execFile);
let work: string;

// YAML values JSON has no spelling for, a CRD without a group and a document that is not YAML.
const odd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: odds.example.io}
spec:
  group: example.io
  names: {kind: Odd, plural: odds}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            ratio: {type: number, maximum: .inf, minimum: -.inf, default: .nan}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec: {names: {kind: NoGroup}, versions: []}
---
kind: CustomResourceDefinition
spec: [unclosed
`;

beforeAll(async () => {
  if (!existsSync(builtEntry)) throw new Error('crd-worker.test: run `npm run build` first (the worker runs dist/)');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-crd-worker-'));
  await fs.writeFile(path.join(work, 'odd.yaml'), odd);
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('loadCrdVersionsConcurrently', () => {
  it('on a worker thread gives what loadCrdVersions gives in-process: the real CRDs, odd values and issues', async () => {
    const targets = [crdsDir, work, path.join(work, 'missing')];
    const want = await loadCrdVersions(targets);
    expect(want.versions.length).toBeGreaterThan(50);
    expect(want.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['CRD_INVALID', 'CRD_YAML_INVALID', 'CRD_DIR_MISSING']));
    const got = await loadCrdVersionsConcurrently(targets, builtEntry);
    expect(got).toEqual(want);
    const ratio = got.versions.find((v) => v.kind === 'Odd')?.openAPIV3Schema as { properties: { ratio: Record<string, number> } };
    expect(ratio.properties.ratio).toEqual({ type: 'number', maximum: Infinity, minimum: -Infinity, default: Number.NaN });
  });

  it('runs in-process under a TypeScript loader and without targets', async () => {
    expect(crdWorkerEntry()).toBeUndefined();
    expect(await loadCrdVersionsConcurrently([work])).toEqual(await loadCrdVersions([work]));
    expect(await loadCrdVersionsConcurrently([], builtEntry)).toEqual({ versions: [], issues: [] });
  });

  it('csp validate --rendered (bin/csp.js, CRDs read on a worker) prints what the in-process run prints', async () => {
    const chart = await fs.readFile(path.join(repoRoot, 'pipeline/validate/__fixtures__/class-chart.yaml'), 'utf8');
    // A typo and a deprecated apiVersion: issues with positions, from CRDs the worker read.
    await fs.writeFile(path.join(work, 'chart.yaml'), chart.replace('controlPlane:', 'controlPlan:'));
    const argv = ['validate', '--rendered', 'chart.yaml', '--crds', crdsDir, '--crds', work];
    const inProcess = await runCli(argv, work);
    expect(inProcess.code).toBe(1);
    expect(inProcess.stdout).toMatch(/chart\.yaml:\d+:\d+/);
    const spawned = await run(process.execPath, [path.join(repoRoot, 'bin/csp.js'), ...argv], { cwd: work }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(spawned.code).toBe(inProcess.code);
    expect(spawned.stdout.trimEnd()).toBe(inProcess.stdout.trimEnd());
  });
});
