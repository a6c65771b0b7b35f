/**
 * Stacks written by an attacker, through the CLI (in-process): each case ends at once with exit 1, a
 * code and a position where one exists, never exit 3, and nothing is written outside csp's folders.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { chartsDir, repoRoot } from '../testing/paths.js';
import { copyStack, listTree, tempDir } from '../testing/workspace.js';

const minimal = path.join(repoRoot, 'pipeline', 'stack', '__fixtures__', 'minimal');
let tmp: string;

beforeAll(async () => {
  tmp = await tempDir('csp-hostile-stack-');
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function stack(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = await copyStack(minimal, path.join(tmp, name));
  await edit(dir);
  return dir;
}

/** A gzip stream of `mib` MiB of zeros (a few hundred KiB on disk): a decompression bomb. */
async function gzipBomb(file: string, mib: number): Promise<void> {
  const gz = createGzip({ level: 9 });
  const done = fs.writeFile(file, gz);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
}

function billionLaughs(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('hostile stacks (csp lint)', () => {
  it('a dependency name that is a path is a positioned schema error, not a file outside the cache', async () => {
    const dir = await stack('dep-name', async (d) => {
      const file = path.join(d, 'cluster-addon', 'cni', 'Chart.yaml');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('- name: cilium', '- name: "../../../../escape/x"'));
    });
    const run = await runCli(['lint', dir, '--chart-cache', path.join(tmp, 'cache')], tmp);
    expect(run.code).toBe(1);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/cluster-addon\/cni\/Chart\.yaml:5:\d+ SCHEMA_INVALID/);
    expect(await listTree(path.join(tmp, 'escape'))).toEqual([]);
  });

  it('a gzip bomb vendored in charts/ is TAR_TOO_LARGE with exit 1 (the archive reader every command uses)', async () => {
    const dir = await stack('bomb-chart', async (d) => {
      await fs.mkdir(path.join(d, 'cluster-addon', 'cni', 'charts'), { recursive: true });
      await gzipBomb(path.join(d, 'cluster-addon', 'cni', 'charts', 'cilium-1.17.4.tgz'), 260);
    });
    const run = await runCli(['lint', dir], tmp);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/charts\/cilium-1\.17\.4\.tgz TAR_TOO_LARGE/);
    expect(run.code).toBe(1);
  });

  it('two symbolic link loops end the walk with STACK_LINK_LOOP', async () => {
    const dir = await stack('loops', async (d) => {
      await fs.symlink('.', path.join(d, 'cluster-class', 'templates', 'loop'));
      await fs.symlink('../..', path.join(d, 'cluster-class', 'templates', 'up'));
    });
    const run = await runCli(['lint', dir], tmp);
    expect(run.code).toBe(1);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/templates\/loop STACK_LINK_LOOP .*\(a link loop\)/);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/templates\/up STACK_LINK_LOOP/);
  });

  it('an alias bomb in values.yaml is YAML_ALIAS_LIMIT at its first alias', async () => {
    const dir = await stack('aliases', async (d) => fs.writeFile(path.join(d, 'cluster-addon', 'cni', 'values.yaml'), billionLaughs()));
    const run = await runCli(['lint', dir], tmp);
    expect(run.code).toBe(1);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/cluster-addon\/cni\/values\.yaml:2:10 YAML_ALIAS_LIMIT .*CSP_LIMIT_YAML_ALIASES/s);
  });

  it.each([
    ['--values', ['render', '@stack', '--values', '@bomb'], /VALUES_INVALID_YAML .*excessive aliasing/],
    ['--cluster', ['render', '@stack', '--cluster', '@bomb'], /bomb\.yaml:2:10 YAML_ALIAS_LIMIT/],
    ['--rendered', ['validate', '--rendered', '@bomb'], /bomb\.yaml:2:10 YAML_ALIAS_LIMIT/],
  ])('an alias bomb given with %s is a user error (exit 1)', async (_flag, argv, message) => {
    const bomb = path.join(tmp, 'bomb.yaml');
    await fs.writeFile(bomb, billionLaughs());
    const run = await runCli(argv.map((a) => (a === '@stack' ? minimal : a === '@bomb' ? bomb : a)), tmp);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(message);
    expect(run.code).toBe(1);
  });
});

describe('csp run inside a stack folder', () => {
  it('never hashes its own outputs: the second build has nothing to release', async () => {
    const dir = await copyStack(path.join(repoRoot, 'stacks', 'docker', 'scs'), path.join(tmp, 'inside'));
    expect((await runCli(['deps', '.', '--from', chartsDir], dir)).code).toBe(0);
    const first = await runCli(['build', '.', '--json'], dir);
    expect(first.code).toBe(0);
    const second = await runCli(['build', '.', '--json'], dir);
    expect(second.code).toBe(0);
    const releases = (await fs.readdir(path.join(dir, 'releases'))).filter((f) => f.endsWith('.yaml'));
    expect(releases.every((f) => f.endsWith('-v1.yaml'))).toBe(true);
    expect(JSON.stringify(JSON.parse(second.stdout))).not.toMatch(/-v2/);
  }, 120_000);
});
