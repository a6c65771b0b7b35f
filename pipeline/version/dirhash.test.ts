import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/run.js';
import { scsStacksDir } from '../testing/paths.js';
import { byteOrder, cleanHash, hash1, hashDir, hashFiles, hashValuesFile, listDirFiles, sha256Hex } from './dirhash.js';
import { computeStackHashes, stackHashesFromFiles } from './stack-hashes.js';

const oracleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'dirhash-oracle');

/** Builds the Go dirhash oracle once, cached in the temp dir by source hash. */
async function buildOracle(): Promise<string> {
  const source = readFileSync(path.join(oracleDir, 'main.go'));
  const dir = path.join(os.tmpdir(), `csp-dirhash-oracle-${sha256Hex(source).slice(0, 16)}`);
  const binary = path.join(dir, 'dirhash-oracle');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}`;
  await run('go', ['build', '-o', tmp, '.'], {
    cwd: oracleDir,
    env: { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(os.tmpdir(), 'csp-go-cache') },
    timeoutMs: 300_000,
  });
  renameSync(tmp, binary);
  return binary;
}

async function goHash(binary: string, dirs: string[]): Promise<string[]> {
  const res = await run(binary, dirs, { cwd: os.tmpdir() });
  return res.stdout.trimEnd().split('\n');
}

function write(root: string, rel: string, data: string | Buffer): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
}

let oracle: string;
let tmp: string;
beforeAll(async () => {
  oracle = await buildOracle();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'csp-dirhash-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hash1 (pure)', () => {
  // Upstream vector: SovereignCloudStack/cluster-stack-operator test/releases/.../hashes.json nodeImageDir,
  // over the three node-image files of test/cluster-stacks/1 (their SHA-256 digests, not copies of the files).
  it('reproduces the nodeImageDir recorded in the CSO test release', () => {
    const digests = [
      { path: 'scripts/base.sh', sha256: '231e6c586bf824ad64a9eab9c385a96dd8e6f6e3676a6dbeb097e06738eb0e68' },
      { path: 'Dockerfile.worker', sha256: 'c0db85df4cabaab6a96574cdeeb962ca5139e4162994dc901553d54a6fa36950' },
      { path: 'Dockerfile.controlplane', sha256: 'ca2c4219782449417d80addf8571b7592564c262e4be0990def0bb806c10605a' },
    ];
    expect(cleanHash(hash1(digests))).toBe('doi1jxn627h9jnwutjkfrhn3ypvbqgrjjphikq64');
  });

  it('matches `find . -type f | sort | sha256sum` built by hand', () => {
    const files = [
      { path: 'b', data: Buffer.from('2') },
      { path: 'a', data: Buffer.from('1') },
    ];
    const summary = `${sha256Hex('1')}  a\n${sha256Hex('2')}  b\n`;
    expect(hashFiles(files)).toBe(`h1:${createHash('sha256').update(summary).digest('base64')}`);
  });

  it('rejects names with a newline', () => {
    expect(() => hash1([{ path: 'a\nb', sha256: '00' }])).toThrow(/newline/);
  });

  it.each([
    ['h1:AB/c+D=', 'abcd'],
    ['h1:pUTi527Xukf2zhjRGj8GKMfjmLlm3Bm/c6N3eDMl2Aw=', 'puti527xukf2zhjrgj8gkmfjmllm3bmc6n3edml2aw'],
    ['noPrefix+/=', 'noprefix'],
  ])('cleanHash(%s) = %s', (raw, clean) => {
    expect(cleanHash(raw)).toBe(clean);
  });

  it.each([
    ['a-b', 'a/b', -1],
    ['Z', 'a', -1],
    ['\u{ff61}', '\u{1f600}', -1], // UTF-16 would order the emoji first; UTF-8 bytes do not
    ['é', 'z', 1],
  ])('byteOrder(%s, %s) = %i', (a, b, sign) => {
    expect(Math.sign(byteOrder(a, b))).toBe(sign);
  });

  it('hashes cluster-addon-values as cleaned base64 SHA-256', () => {
    const data = Buffer.from('values: |\n  a: 1\n');
    expect(hashValuesFile(data)).toBe(cleanHash(createHash('sha256').update(data).digest('base64')));
    expect(hashValuesFile(data)).toMatch(/^[a-z0-9]{40,43}$/);
  });
});

describe('hashDir against Go dirhash.HashDir(dir, "", Hash1)', () => {
  const stacks = ['docker/scs', 'openstack/scs'];
  const parts = ['', 'cluster-addon', 'cluster-class', 'cluster-addon/cni'];

  it.each(stacks.flatMap((s) => parts.map((p) => [s, p])))('SCS fixture %s %s', async (stack, part) => {
    const dir = path.join(scsStacksDir, stack, part);
    const [expected] = await goHash(oracle, [dir]);
    expect(await hashDir(dir)).toBe(expected);
  });

  it('generated tree with unicode, spaces, hidden files, nesting, empty files and a file symlink', async () => {
    const root = path.join(tmp, 'tricky');
    write(root, '.hidden', 'h');
    write(root, '.dir/.inner', 'i');
    write(root, 'with space/file name.txt', 'space');
    write(root, 'ünïcode/日本語.yaml', 'kanji');
    write(root, '\u{ff61}', 'halfwidth');
    write(root, '\u{1f600}.txt', 'emoji');
    write(root, 'a-b', 'dash');
    write(root, 'a/b', 'slash');
    write(root, 'a.b', 'dot');
    write(root, 'A', 'upper');
    write(root, 'deep/x/y/z/empty', '');
    write(root, 'bin', Buffer.from([0, 255, 1, 254]));
    symlinkSync('a-b', path.join(root, 'link-to-file'));
    mkdirSync(path.join(root, 'empty-dir'));
    const [expected] = await goHash(oracle, [root]);
    expect(await hashDir(root)).toBe(expected);
    expect(await listDirFiles(root)).toContain('link-to-file');
    expect(await listDirFiles(root)).not.toContain('empty-dir');
  });

  it('fails like Go on a symlink to a directory', async () => {
    const root = path.join(tmp, 'dirlink');
    write(root, 'sub/f', 'x');
    symlinkSync('sub', path.join(root, 'link'));
    const [goOut] = await goHash(oracle, [root]);
    expect(goOut).toMatch(/^ERROR /);
    await expect(hashDir(root)).rejects.toMatchObject({ code: 'DIRHASH_UNREADABLE' });
  });

  it('does not depend on mtimes or modes', async () => {
    const root = path.join(tmp, 'mtime');
    write(root, 'f', 'x');
    const before = await hashDir(root);
    await fs.utimes(path.join(root, 'f'), 1, 1);
    await fs.chmod(path.join(root, 'f'), 0o600);
    expect(await hashDir(root)).toBe(before);
  });
});

describe('computeStackHashes', () => {
  it.each(['docker/scs', 'openstack/scs'])('matches Go per component and the in-memory variant for %s', async (stack) => {
    const dir = path.join(scsStacksDir, stack);
    const hashes = await computeStackHashes(dir);
    const [whole, addon, cls] = await goHash(oracle, [dir, path.join(dir, 'cluster-addon'), path.join(dir, 'cluster-class')]);
    expect(hashes.clusterStack).toBe(cleanHash(whole ?? ''));
    expect(hashes.clusterAddonDir).toBe(cleanHash(addon ?? ''));
    expect(hashes.clusterClassDir).toBe(cleanHash(cls ?? ''));
    const nodeImage = path.join(dir, 'node-image');
    expect(hashes.nodeImageDir).toBe(existsSync(nodeImage) ? cleanHash((await goHash(oracle, [nodeImage]))[0] ?? '') : '');
    const valuesFile = path.join(dir, 'cluster-addon-values.yaml');
    expect(hashes.clusterAddonValues).toBe(existsSync(valuesFile) ? hashValuesFile(readFileSync(valuesFile)) : '');

    const files = await Promise.all(
      (await listDirFiles(dir)).map(async (p) => ({ path: p, data: await fs.readFile(path.join(dir, p)) })),
    );
    expect(stackHashesFromFiles(files)).toEqual(hashes);
  });
});
