/**
 * Differential tests of the streaming archive path: gzipToFile(tarChunks(entries)) must give exactly the bytes
 * of gzip(writeTar(entries)) — the buffered path every existing bundle was made with — for small, empty, many,
 * > 64 KiB and large stored files, long names, both gzip variants, and real charts packaged either way.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { CHUNK_BYTES, storeFile } from '../core/stored-file.js';
import { repoRoot } from '../testing/paths.js';
import { buildAddonArchive, buildAddonArchiveToFile, buildUmbrellaAddonArchive, buildUmbrellaAddonArchiveToFile } from './addon-archive.js';
import { packageChart, packageChartToFile, readChartDir, type ChartFile } from './chart-archive.js';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { deflateLevelFor, gzip, gzipLevel, gzipToFile, largeArchiveBytes, largeGzipLevel, type GzipVariant } from './gzip.js';
import { tarChunks, tarSize, writeTar, type TarEntry } from './tar.js';

let tmp: string;
let n = 0;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-stream-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const next = (name: string): string => path.join(tmp, `${n++}-${name}`);

/** A file on disk of `bytes`: alternating random and text blocks (like the bench payload), optionally after a BOM. */
function writeLarge(bytes: number, bom = false): string {
  const file = next('large.bin');
  const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  for (let i = 0, size = parts[0]?.length ?? 0; size < bytes; i++) {
    const block = i % 2 === 0 ? randomBytes(70_000) : Buffer.from(`- key: value-${i}\n`.repeat(4000));
    parts.push(block.subarray(0, Math.min(block.length, bytes - size)));
    size += block.length;
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}

async function both(entries: TarEntry[], variant: GzipVariant, mtime = 0): Promise<[Buffer, Buffer]> {
  const tar = writeTar(entries, { mtime });
  expect(tarSize(entries, { mtime })).toBe(tar.length);
  const buffered = gzip(tar, variant);
  const out = next('streamed.tgz');
  const stored = await gzipToFile(tarChunks(entries, { mtime }), tar.length, out, variant);
  const streamed = fs.readFileSync(out);
  expect(stored.size).toBe(streamed.length);
  expect(stored.sha256).toBe(createHash('sha256').update(streamed).digest('hex'));
  return [streamed, buffered];
}

const small = (p: string, text: string): TarEntry => ({ path: p, type: 'file', data: Buffer.from(text) });

describe('streaming tar + gzip equals the buffered path', () => {
  const cases: [string, () => TarEntry[]][] = [
    ['no entries', () => []],
    ['one empty file', () => [small('c/empty', '')]],
    ['small files and a directory', () => [{ path: 'c', type: 'directory' }, small('c/Chart.yaml', 'apiVersion: v2\nname: c\n'), small('c/values.yaml', 'a: 1\n')]],
    ['a file just over 64 KiB', () => [{ path: 'c/big.txt', type: 'file', data: Buffer.from('x: y\n'.repeat(13_200)) }]],
    ['a random file over two chunks', () => [{ path: 'c/rand.bin', type: 'file', data: randomBytes(2 * CHUNK_BYTES + 1234) }]],
    ['many files', () => Array.from({ length: 600 }, (_, i) => small(`c/f/${String(i).padStart(4, '0')}.yaml`, `n: ${i}\n`.repeat(i % 7)))],
    ['long and non-ASCII names (ustar split, PAX)', () => [small(`c/${'d'.repeat(90)}/${'f'.repeat(60)}.yaml`, 'a'), small(`c/${'x'.repeat(120)}.yaml`, 'b'), small('c/übung.yaml', 'c')]],
    ['a stored file between small ones', () => [small('c/a', 'a'), { path: 'c/files/payload.bin', type: 'file', stored: storeFile(writeLarge(3 * CHUNK_BYTES + 77)) }, small('c/z', 'z')]],
    ['a stored file making the tar larger than largeArchiveBytes', () => [small('c/a', 'a'), { path: 'c/files/large.bin', type: 'file', stored: storeFile(writeLarge(largeArchiveBytes + 3)) }]],
    ['a stored file past its byte-order mark', () => [{ path: 'c/files/bom.txt', type: 'file', stored: storeFile(writeLarge(CHUNK_BYTES + 5, true)), offset: 3 }]],
  ];
  it.each(cases.flatMap(([name, make]) => (['helm', 'plain'] as const).map((v) => [name, v, make] as const)))('%s (%s)', async (_name, variant, make) => {
    const [streamed, buffered] = await both(make(), variant, 1_700_000_000);
    expect(streamed.equals(buffered)).toBe(true);
  });

  it('the real cluster-class chart, with and without a large stored file, packages to the same bytes', async () => {
    const files = await readChartDir(path.join(repoRoot, 'stacks/docker/scs/cluster-class'));
    const payload = storeFile(writeLarge(2 * CHUNK_BYTES + 10));
    const withPayload: ChartFile[] = [...files, Object.defineProperty({ path: 'files/payload.bin', stored: payload } as ChartFile, 'data', { get: () => fs.readFileSync(payload.file), enumerable: true })];
    for (const input of [files, withPayload]) {
      const buffered = packageChart(input, { version: 'v7', mtime: 42 });
      const streamed = await packageChartToFile(input, next('chart.tgz'), { version: 'v7', mtime: 42 });
      expect(streamed.fileName).toBe(buffered.fileName);
      expect(fs.readFileSync(streamed.tgz.file).equals(buffered.tgz)).toBe(true);
    }
  });

  it('addon archives (new convention and umbrella) with a stored file stream to the buffered bytes', async () => {
    const payload = storeFile(writeLarge(CHUNK_BYTES + 99));
    const stored = Object.defineProperty({ path: 'cni/files/payload.bin', stored: payload } as ChartFile, 'data', { get: () => fs.readFileSync(payload.file), enumerable: true });
    const files: ChartFile[] = [{ path: 'cni/Chart.yaml', data: Buffer.from('apiVersion: v2\nname: cni\nversion: 1.0.0\n') }, stored, { path: 'cni/values.yaml', data: Buffer.from('a: 1\n') }];
    const addon = await buildAddonArchiveToFile(files, next('addon.tgz'), { mtime: 5 });
    expect(fs.readFileSync(addon.tgz.file).equals(buildAddonArchive(files, { mtime: 5 }).tgz)).toBe(true);
    const umbrellaFiles: ChartFile[] = [{ path: 'Chart.yaml', data: Buffer.from('apiVersion: v2\nname: umbrella\nversion: 0.1.0\n') }, { ...stored, path: 'files/payload.bin' } as ChartFile];
    Object.defineProperty(umbrellaFiles[1], 'data', { get: () => fs.readFileSync(payload.file), enumerable: true });
    const umbrella = await buildUmbrellaAddonArchiveToFile(umbrellaFiles, 'v2', next('umbrella.tgz'), { mtime: 5 });
    expect(fs.readFileSync(umbrella.tgz.file).equals(buildUmbrellaAddonArchive(umbrellaFiles, 'v2', { mtime: 5 }).tgz)).toBe(true);
  });

  it('refuses a stored file that changed after it was planned, and leaves no archive behind', async () => {
    const file = writeLarge(CHUNK_BYTES + 1);
    const stored = storeFile(file);
    fs.appendFileSync(file, 'changed');
    const out = next('changed.tgz');
    const entries: TarEntry[] = [{ path: 'c/p.bin', type: 'file', stored }];
    await expect(gzipToFile(tarChunks(entries), tarSize(entries), out)).rejects.toThrow(UserInputError);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a stream whose length is not the announced one (the level depends on it)', async () => {
    const out = next('short.tgz');
    await expect(gzipToFile([Buffer.from('abc')], 4, out)).rejects.toThrow(/GZIP_SIZE_MISMATCH|announced/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('the deflate level is a fixed function of the tar size', () => {
  it.each([
    [0, gzipLevel],
    [largeArchiveBytes - 1, gzipLevel],
    [largeArchiveBytes, largeGzipLevel],
    [200 * 1024 * 1024, largeGzipLevel],
  ])('%i bytes → level %i', (bytes, level) => {
    expect(deflateLevelFor(bytes)).toBe(level);
  });

  it('below the threshold the raw deflate is level 9 (every existing chart keeps its bytes); from it on, level 6', () => {
    const text = Buffer.from('- name: item\n  value: 12345\n'.repeat(64));
    const smallGz = gzip(text);
    expect(smallGz.subarray(10, smallGz.length - 8).equals(deflateRawSync(text, { level: 9 }))).toBe(true);
    const big = Buffer.alloc(largeArchiveBytes);
    for (let at = 0; at < big.length; at += text.length) text.copy(big, at);
    const bigGz = gzip(big);
    const raw = bigGz.subarray(10, bigGz.length - 8);
    expect(raw.equals(deflateRawSync(big, { level: 6 }))).toBe(true);
    expect(inflateRawSync(raw).equals(big)).toBe(true);
  });
});
