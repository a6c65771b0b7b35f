import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { repoRoot } from '../testing/paths.js';
import { commandLoaders } from './command-loaders.js';
import { commands } from './commands.js';

describe('command loaders', () => {
  it('each loads the spec of the command it is listed under', async () => {
    for (const [name, load] of Object.entries(commandLoaders)) expect((await load()).name).toBe(name);
  });
});

describe('csp --help', () => {
  it('lists every command', async () => {
    const { code, stdout } = await runCli(['--help'], repoRoot);
    expect(code).toBe(0);
    for (const name of Object.keys(commands)) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it.each(Object.keys(commands))('csp %s --help shows usage, --json and exit codes are documented at the top', async (name) => {
    const { code, stdout } = await runCli([name, '--help'], repoRoot);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: csp ${name}`);
    expect(stdout).toContain('--json');
  });

  it('without arguments prints help and exits 1', async () => {
    const { code, stdout } = await runCli([], repoRoot);
    expect(code).toBe(1);
    expect(stdout).toContain('Commands:');
  });
});

describe('argument errors', () => {
  it('unknown command: exit 1 with a hint', async () => {
    const { code, stderr } = await runCli(['frobnicate'], repoRoot);
    expect(code).toBe(1);
    expect(stderr).toContain('CLI_UNKNOWN_COMMAND');
    expect(stderr).toContain('hint:');
  });

  it('unknown flag: exit 1', async () => {
    const { code, stderr } = await runCli(['lint', '--no-such-flag'], repoRoot);
    expect(code).toBe(1);
    expect(stderr).toContain('CLI_BAD_ARGUMENTS');
  });

  it('unknown flag with --json: a JSON error on stdout', async () => {
    const { code, stdout } = await runCli(['lint', '--json', '--nope'], repoRoot);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'CLI_BAD_ARGUMENTS' } });
  });
});

describe('secrets', () => {
  it('never prints a registered secret', async () => {
    const secret = 'sentinel-SECRET-4711';
    const { stdout, stderr } = await runCli(['lint', path.join(repoRoot, secret)], repoRoot, { GITHUB_TOKEN: secret });
    expect(stdout + stderr).not.toContain(secret);
    expect(stdout + stderr).toContain('***');
  });
});
