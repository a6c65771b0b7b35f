/**
 * The OCI `created` annotation and SBOM time (issue 10 §5): without SOURCE_DATE_EPOCH, each stack's bundles carry
 * the commit time of the stack folder's last change, so a commit elsewhere leaves the bundle bytes unchanged;
 * outside git the time is 1970 and csp build says so.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../cli/build.js';
import { repoRoot } from '../testing/paths.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, tempDir } from '../testing/workspace.js';

let work: string;
beforeAll(async () => {
  work = await tempDir();
});
afterAll(() => fs.rm(work, { recursive: true, force: true }));

const fixture = path.join(repoRoot, 'pipeline/render/stack/__fixtures__/old-convention');

/** The small old-convention fixture with a cluster-class chart that passes csp build's validation (scs's). */
async function fixtureStack(into: string): Promise<void> {
  await copyStack(fixture, into);
  await fs.rm(path.join(into, 'cluster-class'), { recursive: true });
  await copyStack(path.join(repoRoot, 'stacks/docker/scs/cluster-class'), path.join(into, 'cluster-class'));
}
const git = (cwd: string, args: string[], date: string) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8' });

async function manifestCreated(cwd: string, out: string): Promise<{ digest: string; created: string }> {
  const index = JSON.parse(await fs.readFile(path.join(cwd, out, 'oci-layout/index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const digest = index.manifests[0]!.digest;
  const manifest = JSON.parse(await fs.readFile(path.join(cwd, out, 'oci-layout/blobs/sha256', digest.slice(7)), 'utf8')) as { annotations: Record<string, string> };
  return { digest, created: manifest.annotations['org.opencontainers.image.created']! };
}

describe('integration: creation time of bundles', () => {
  it('is the commit time of the stack folder\'s last change; commits elsewhere leave the bundle unchanged', async () => {
    const cwd = path.join(work, 'repo');
    await fixtureStack(path.join(cwd, 'stacks/docker/fixture'));
    git(cwd, ['init', '-q'], '2025-03-01T10:00:00Z');
    git(cwd, ['add', '.'], '2025-03-01T10:00:00Z');
    git(cwd, ['commit', '-q', '-m', 'stack'], '2025-03-01T10:00:00Z');
    const build = (out: string) => runCommand(buildCommand, ['--out', out, '--ledger', `${out}-releases`, 'stacks/docker/fixture'], cwd, {});
    expect((await build('out1')).code).toBe(0);
    const first = await manifestCreated(cwd, 'out1');
    expect(first.created).toBe('2025-03-01T10:00:00Z');

    await fs.writeFile(path.join(cwd, 'README.md'), 'another change\n');
    git(cwd, ['add', 'README.md'], '2025-04-01T10:00:00Z');
    git(cwd, ['commit', '-q', '-m', 'unrelated'], '2025-04-01T10:00:00Z');
    expect((await build('out2')).code).toBe(0);
    expect(await manifestCreated(cwd, 'out2')).toEqual(first);
  });

  it('outside git it is 1970, with a note saying so', async () => {
    const cwd = path.join(work, 'plain');
    await fixtureStack(path.join(cwd, 'stacks/docker/fixture'));
    const r = await runCommand(buildCommand, ['--out', 'out', 'stacks/docker/fixture'], cwd, {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('BUILD_CREATED_EPOCH');
    expect((await manifestCreated(cwd, 'out')).created).toBe('1970-01-01T00:00:00Z');
  });
});
