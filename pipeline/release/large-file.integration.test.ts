/**
 * `csp build` of a stack whose cluster-class and addon charts carry files over LARGE_FILE_BYTES: the streamed path
 * (file left on disk, chart packaged into a temporary file) must give an archive that holds the file's exact
 * bytes, whose digest the record, SHA256SUMS and the OCI layout agree on, and which a rebuild finds unchanged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../cli/build.js';
import { LARGE_FILE_BYTES } from '../core/stored-file.js';
import { readRecord } from '../ledger/index.js';
import { repoRoot } from '../testing/paths.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, fixtureChartCache, tempDir } from '../testing/workspace.js';

let work: string;
let cache: string;
let stack: string;
const payload = Buffer.concat([randomBytes(LARGE_FILE_BYTES), Buffer.from('- a: b\n'.repeat(150_000))]);
const release = 'docker-scs-1-32-v1';
const classTgz = 'docker-scs-1-32-cluster-class-v1.tgz';

const build = (args: string[] = []) => runCommand(buildCommand, ['--chart-cache', cache, '--out', 'out', '--ledger', 'releases', '--k8s', '1.32', ...args, stack], work);
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  work = await tempDir();
  cache = await fixtureChartCache(path.join(work, 'cache'));
  stack = await copyStack(path.join(repoRoot, 'stacks/docker/scs'), path.join(work, 'stacks/docker/scs'));
  await fs.mkdir(path.join(stack, 'cluster-class/files'), { recursive: true });
  await fs.writeFile(path.join(stack, 'cluster-class/files/payload.bin'), payload);
  await fs.mkdir(path.join(stack, 'cluster-addon/metrics-server/files'), { recursive: true });
  await fs.writeFile(path.join(stack, 'cluster-addon/metrics-server/files/extra.bin'), payload.subarray(1000));
  const r = await build();
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => fs.rm(work, { recursive: true, force: true }));

describe('integration: build with a large file in the cluster-class chart', () => {
  it('packs the exact bytes, and record, SHA256SUMS and layout agree on the digest', async () => {
    const dir = path.join(work, 'out', release);
    const tgz = await fs.readFile(path.join(dir, classTgz));
    const inside = execFileSync('tar', ['-xOzf', path.join(dir, classTgz), 'docker-scs-1-32-cluster-class/files/payload.bin'], { maxBuffer: 64 * 1024 * 1024 });
    expect(sha256(inside)).toBe(sha256(payload));
    const addonTgz = path.join(dir, 'docker-scs-1-32-cluster-addon-v1.tgz');
    const extra = execFileSync('tar', ['-xOzf', addonTgz, 'metrics-server/files/extra.bin'], { maxBuffer: 64 * 1024 * 1024 });
    expect(sha256(extra)).toBe(sha256(payload.subarray(1000)));
    expect(await fs.readFile(path.join(dir, 'SHA256SUMS'), 'utf8')).toContain(`${sha256(tgz)}  ${classTgz}\n`);
    const { record } = await readRecord(path.join(work, 'releases', `${release}.yaml`));
    expect(record?.files.find((f) => f.name === classTgz)).toMatchObject({ digest: `sha256:${sha256(tgz)}`, size: tgz.length });
    const blob = path.join(work, 'out/oci-layout/blobs/sha256', sha256(tgz));
    expect((await fs.readFile(blob)).equals(tgz)).toBe(true);
    // One file on disk for the streamed archive: the release folder's copy is a hard link of its layout blob.
    const [own, inLayout] = await Promise.all([fs.stat(path.join(dir, classTgz)), fs.stat(blob)]);
    expect([own.ino, own.nlink]).toEqual([inLayout.ino, 2]);
    expect((await fs.readdir(path.join(work, 'out'))).filter((n) => n.startsWith('.csp-build-'))).toEqual([]);
  });

  it('finds the streamed bundle unchanged when the ledger is gone and it builds again', async () => {
    const file = path.join(work, 'out', release, classTgz);
    const before = await fs.stat(file);
    await fs.rm(path.join(work, 'releases'), { recursive: true });
    const r = await build();
    expect(r.code).toBe(0);
    expect((await fs.stat(file)).mtimeMs).toBe(before.mtimeMs);
  });
});
