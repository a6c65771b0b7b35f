import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
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
