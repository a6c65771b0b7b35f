import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { repoRoot, scsStacksDir } from '../testing/paths.js';

describe('csp lint on the stacks a user has', () => {
  it('passes every stack in stacks/ (the default)', async () => {
    const { code, stdout } = await runCli(['lint'], repoRoot);
    expect(code).toBe(0);
    for (const stack of ['docker/scs', 'openstack/scs', 'hcloud/scs']) expect(stdout).toMatch(new RegExp(`^ok +stacks/${stack} `, 'm'));
  });

  it('passes both SCS fixture stacks unchanged (without stack.yaml: rules skipped with a note)', async () => {
    const dirs = ['docker/scs', 'openstack/scs'].map((s) => path.join(scsStacksDir, s));
    const { code, stdout } = await runCli(['lint', '--json', ...dirs], repoRoot);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.stacks).toHaveLength(2);
  });
});

describe('csp lint on an incompatible layer choice', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'csp-lint-'));
    await cp(path.join(repoRoot, 'stacks/openstack/scs'), path.join(dir, 'openstack/scs'), { recursive: true });
    const file = path.join(dir, 'openstack/scs/stack.yaml');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('minimum: "6.8"');
    await writeFile(file, text.replace('minimum: "6.8"', 'minimum: "5.4"'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('Cilium kube-proxy replacement on a kernel 5.4 image exits 1 naming the rule and both places', async () => {
    const { code, stdout } = await runCli(['lint', path.join(dir, 'openstack/scs')], dir);
    expect(code).toBe(1);
    const kernelLine = (await readFile(path.join(dir, 'openstack/scs/stack.yaml'), 'utf8')).split('\n').findIndex((l) => l.includes('minimum: "5.4"')) + 1;
    const kprLine = (await readFile(path.join(dir, 'openstack/scs/stack.yaml'), 'utf8')).split('\n').findIndex((l) => l.includes('kubeProxyReplacement: true')) + 1;
    expect(stdout).toContain('RULE_KUBE_PROXY_REPLACEMENT_KERNEL');
    expect(stdout).toMatch(new RegExp(`stack\\.yaml:${kernelLine}:\\d+`));
    expect(stdout).toMatch(new RegExp(`stack\\.yaml:${kprLine}:\\d+`));
  });

  it('annotates for GitHub Actions', async () => {
    const { code, stdout } = await runCli(['lint', path.join(dir, 'openstack/scs')], dir, { GITHUB_ACTIONS: 'true' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^::error file=.*stack\.yaml,line=\d+,col=\d+/m);
  });
});
