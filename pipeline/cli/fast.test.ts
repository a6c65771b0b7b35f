/**
 * bin/csp.js answers help, --version and plan-cache hits in the main thread (fast.ts): the same bytes as the
 * worker's main(), and a hit only when nothing moved. Runs the built CLI (`npm run build`).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { chartsDir, repoRoot } from '../testing/paths.js';
import { fastAnswer, runsInMainThread } from './fast.js';
import { answerCommandHelp, answerWithoutCommand } from './help-answer.js';
import { liveHelp } from './help.js';
import { planCacheDir } from './plan-cache.js';

/** `node bin/csp.js ...argv` with a fixed environment (every CSP_ variable is part of the plan cache key). */
function runCliChild(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'bin/csp.js'), ...argv], { cwd, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('which commands run in the main thread', () => {
  it.each([
    [['publish', 'out/x'], true],
    [['verify', 'ref'], true],
    [['pull', 'ref'], true],
    [['keys', 'generate'], true],
    // Everything that renders or may render keeps the worker's deep stack and heap ceiling.
    [['build'], false],
    [['render'], false],
    [['template', 'chart'], false],
    [['validate'], false],
    [['plan'], false],
    [['lint'], false],
    [['e2e'], false],
    [['upstream', 'bump'], false],
    [['--verbose', 'publish'], false],
    [[], false],
  ])('%j → %s', (argv, main) => {
    expect(runsInMainThread(argv)).toBe(main);
  });

  it('a main-thread command gives the same answer as in the worker (keys generate)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-main-thread-'));
    try {
      const child = await runCliChild(['keys', 'generate', '--out', path.join(dir, 'k'), '--json'], dir);
      expect(child.code, child.stderr).toBe(0);
      expect(fs.existsSync(path.join(dir, 'k.pub'))).toBe(true);
      const bad = await runCliChild(['publish', path.join(dir, 'missing')], dir);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/RELEASE_DIR_MISSING|RELEASE_NOT_IN_LAYOUT|cannot read release folder|no release/i);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fastAnswer', () => {
  // Command lines that read no help texts (they go straight on) must be exactly those with no help answer.
  it.each([
    [['publish', 'out/x', '--to', 'oci://127.0.0.1:5000/r']],
    [['lint', 'stacks']],
    [['verify', 'x', '--help']],
    [['frobnicate']],
    [['lint', '--help']],
    [['lint', '-h']],
    [['lint', '--help', '--json']],
    [['help', 'publish']],
    [['help']],
    [['--help']],
    [['-h']],
    [['--version']],
    [['--bogus']],
    [[]],
  ])('csp %j: the same answer as main would give from the live texts', async (argv) => {
    const expected = answerWithoutCommand(liveHelp, argv) ?? answerCommandHelp(liveHelp, argv, {});
    expect(await fastAnswer(argv, repoRoot, {})).toEqual(expected && { writes: [[1, expected.text]], code: expected.code });
  });
});

describe('answers without the worker', () => {
  it.each([[['--help']], [['lint', '--help']], [['plan', '-h']], [['help', 'plan']], [['help', 'nope']], [['--version']], [[]]])('csp %j prints what main prints', async (argv) => {
    const child = await runCliChild(argv, repoRoot);
    const inProcess = await runCli(argv, repoRoot);
    expect(child.code).toBe(inProcess.code);
    expect(child.stdout).toBe(`${inProcess.stdout}\n`);
    expect(child.stderr).toBe('');
  });

  it('leaves anything else to main (strict parsing, limits checked first)', async () => {
    const bad = await runCliChild(['lint', '--help', '--nope'], repoRoot);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('CLI_BAD_ARGUMENTS');
    const limit = await runCliChild(['lint', '--help'], repoRoot, { CSP_LIMIT_NOPE: '1' });
    expect(limit.code).toBe(1);
    expect(limit.stderr).toContain('LIMIT_UNKNOWN');
  });
});

describe('csp plan through the plan cache', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-fast-plan-'));
    fs.cpSync(path.join(repoRoot, 'stacks/docker/scs'), path.join(root, 'stacks/docker/scs'), { recursive: true });
    for (const [name, version] of [['cilium', '1.17.4'], ['metrics-server', '3.12.2']]) {
      fs.mkdirSync(path.join(root, '.csp-cache/charts/by-name', name), { recursive: true });
      fs.copyFileSync(path.join(chartsDir, `${name}-${version}.tgz`), path.join(root, '.csp-cache/charts/by-name', name, `${version}.tgz`));
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([[['plan']], [['plan', '--json']]])('csp %j: a hit prints exactly what the cold run printed', async (argv) => {
    fs.rmSync(planCacheDir(root), { recursive: true, force: true });
    const cold = await runCliChild(argv, root);
    const hit = await runCliChild(argv, root);
    expect(cold.stdout.length).toBeGreaterThan(0);
    expect([hit.code, hit.stdout, hit.stderr]).toEqual([cold.code, cold.stdout, cold.stderr]);
  });

  it('the bin replays the stored answer, and plans again once an input changed', async () => {
    fs.rmSync(planCacheDir(root), { recursive: true, force: true });
    const cold = await runCliChild(['plan'], root);
    // Mark the stored answer, so the output shows whether it was replayed.
    for (const f of fs.readdirSync(planCacheDir(root)).filter((n) => n.endsWith('.json'))) {
      const file = path.join(planCacheDir(root), f);
      const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { writes: [number, string][] };
      fs.writeFileSync(file, JSON.stringify({ ...entry, writes: [[1, 'REPLAYED'], [2, 'on stderr']] }));
    }
    const hit = await runCliChild(['plan'], root);
    expect([hit.code, hit.stdout, hit.stderr]).toEqual([cold.code, 'REPLAYED\n', 'on stderr\n']);
    fs.appendFileSync(path.join(root, 'stacks/docker/scs/cluster-addon/metrics-server/values.yaml'), '\n# changed\n');
    const changed = await runCliChild(['plan'], root);
    expect(changed.stdout).not.toContain('REPLAYED');
    fs.rmSync(planCacheDir(root), { recursive: true, force: true });
    const fresh = await runCliChild(['plan'], root);
    expect([changed.code, changed.stdout, changed.stderr]).toEqual([fresh.code, fresh.stdout, fresh.stderr]);
  });
});
