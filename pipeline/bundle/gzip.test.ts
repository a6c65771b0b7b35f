import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/run.js';
import { chartsDir } from '../testing/paths.js';
import { crc32, gzip, helmGzipExtra, type GzipVariant } from './gzip.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'csp-gzip-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const inputs: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['text', Buffer.from('apiVersion: v2\nname: x\n'.repeat(200))],
  ['random', randomBytes(200_000)],
];
const variants: GzipVariant[] = ['helm', 'plain'];

describe('gzip', () => {
  it.each(variants.flatMap((v) => inputs.map(([n, d]) => [v, n, d] as const)))('%s/%s: gunzip and Node both read it back', async (variant, name, data) => {
    const gz = gzip(data, variant);
    expect(gunzipSync(gz).equals(data)).toBe(true);
    const file = path.join(tmp, `${variant}-${name}.gz`);
    writeFileSync(file, gz);
    await run('gunzip', ['-t', file], { cwd: tmp });
    await run('gunzip', ['-f', file], { cwd: tmp });
    expect(readFileSync(file.replace(/\.gz$/, '')).equals(data)).toBe(true);
  });

  it.each(variants)('%s output is byte-identical across runs', (variant) => {
    const data = inputs[1]?.[1] ?? Buffer.alloc(0);
    expect(gzip(data, variant).equals(gzip(Buffer.from(data), variant))).toBe(true);
  });

  it('writes the plain header: no flags, MTIME 0, OS 255', () => {
    expect([...gzip(Buffer.from('x'), 'plain').subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  });

  // Every Helm-made fixture chart starts with the same header bytes up to the deflate stream.
  it('writes the exact header of a helm package archive', () => {
    const helmHeaderLength = 10 + 2 + helmGzipExtra.length + 'Helm\0'.length;
    const fixture = readFileSync(path.join(chartsDir, 'metrics-server-3.12.2.tgz')).subarray(0, helmHeaderLength);
    expect(gzip(Buffer.from('x'), 'helm').subarray(0, helmHeaderLength).equals(fixture)).toBe(true);
  });

  it('shows its header fields to gzip -l -v (name-less, time 0)', async () => {
    const file = path.join(tmp, 'meta.gz');
    writeFileSync(file, gzip(Buffer.from('hello'), 'helm'));
    const out = (await run('gzip', ['-l', '-v', file], { cwd: tmp })).stdout;
    expect(out).toMatch(/defla [0-9a-f]{8}/);
    expect(out).toContain(crc32(Buffer.from('hello')).toString(16).padStart(8, '0'));
  });

  // Published CRC-32 (IEEE 802.3) check values: crc32 delegates to zlib, so it is checked against
  // known answers rather than against zlib itself.
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) is the published check value', (text, expected) => {
    expect(crc32(Buffer.from(text))).toBe(expected);
  });
});
