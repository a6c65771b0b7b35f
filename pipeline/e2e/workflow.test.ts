/** e2e.yml installs the versions the plan pins, and has the triggers and artifacts the release path relies on. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/paths.js';
import { PINNED_VERSIONS } from './versions.js';

const doc = parse(await fs.readFile(path.join(repoRoot, '.github/workflows/e2e.yml'), 'utf8')) as {
  on: { pull_request: { paths: string[] }; workflow_call: { inputs: Record<string, { type: string; required?: boolean }> } };
  env: Record<string, string>;
  jobs: Record<string, { 'timeout-minutes'?: number; steps?: { name?: string; if?: string; run?: string }[] }>;
};

describe('e2e.yml', () => {
  it('pins the versions of pipeline/e2e/versions.ts', () => {
    expect(doc.env).toMatchObject({ KIND_VERSION: PINNED_VERSIONS.kind, CLUSTERCTL_VERSION: PINNED_VERSIONS.clusterApi, CSO_VERSION: PINNED_VERSIONS.cso });
  });

  it('runs on pull requests touching stacks/ or pipeline/ and as a reusable workflow taking the built out/ artifact', () => {
    expect(doc.on.pull_request.paths).toEqual(['stacks/**', 'pipeline/**']);
    expect(doc.on.workflow_call.inputs.artifact).toMatchObject({ type: 'string', required: true });
  });

  it('gives every job a timeout and cleans up in an always() step', () => {
    for (const [name, job] of Object.entries(doc.jobs)) expect(job['timeout-minutes'], name).toBeGreaterThan(0);
    const cleanup = doc.jobs.e2e!.steps!.find((s) => s.name?.startsWith('Clean up'));
    expect(cleanup).toMatchObject({ if: 'always()', run: expect.stringContaining('kind delete cluster --name "csp-e2e-${RELEASE}"') });
  });
});
