import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/run.js';
import { chartsDir } from '../testing/paths.js';
import { readTar, readTgz } from '../core/tar-read.js';
import { writeTar, type TarEntry } from './tar.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'csp-tar-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const longDir = `${'d'.repeat(90)}/${'e'.repeat(60)}`; // 151 chars: fits the ustar prefix
const longBase = 'f'.repeat(120); // a basename over 100 bytes needs PAX
const entries: TarEntry[] = [
  { path: 'chart', type: 'directory' },
  { path: 'chart/Chart.yaml', type: 'file', data: Buffer.from('name: chart\n') },
  { path: 'chart/empty', type: 'file', data: Buffer.alloc(0) },
  { path: 'chart/block', type: 'file', data: Buffer.alloc(512, 0x61) },
  { path: 'chart/script.sh', type: 'file', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
  { path: `chart/${longDir}/x.yaml`, type: 'file', data: Buffer.from('prefix split\n') },
  { path: `chart/${longBase}`, type: 'file', data: Buffer.from('pax\n') },
  { path: 'chart/ünïcode/日本語 file.txt', type: 'file', data: Buffer.from('utf8\n') },
  { path: 'chart/.hidden', type: 'file', data: Buffer.from([0, 1, 2, 255]) },
];

function listDir(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? [`${child}/`, ...listDir(root, child)] : [child];
  });
}

describe('writeTar', () => {
  it('is read back by GNU tar with the same names, content, owner, modes and mtime', async () => {
    const file = path.join(tmp, 'w.tar');
    writeFileSync(file, writeTar(entries, { mtime: 1_700_000_000 }));
    const names = (await run('tar', ['-tf', file], { cwd: tmp })).stdout.trimEnd().split('\n');
    expect(names).toEqual(entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path)));
    const verbose = (await run('tar', ['-tvf', file, '--numeric-owner', '--full-time'], { cwd: tmp, env: { TZ: 'UTC' } })).stdout;
    expect(verbose).toContain('drwxr-xr-x 0/0');
    expect(verbose).toContain('-rwxr-xr-x 0/0');
    expect(verbose.match(/-rw-r--r-- 0\/0/g)?.length).toBe(7);
    expect(verbose.match(/2023-11-14 22:13:20/g)?.length).toBe(entries.length);

    const out = path.join(tmp, 'w-out');
    mkdirSync(out);
    await run('tar', ['-xf', file, '-C', out], { cwd: tmp });
    for (const e of entries.filter((x) => x.type === 'file')) {
      expect(readFileSync(path.join(out, e.path))).toEqual(Buffer.from(e.data ?? []));
    }
    expect(listDir(out).filter((p) => !p.endsWith('/')).sort()).toEqual(entries.filter((e) => e.type === 'file').map((e) => e.path).sort());
  });

  it('uses PAX only when ustar cannot hold the name, never global headers, and no 10240 padding', () => {
    const tar = writeTar(entries);
    const typeflags: string[] = [];
    for (let off = 0; off + 512 <= tar.length; ) {
      const h = tar.subarray(off, off + 512);
      if (h.every((b) => b === 0)) break;
      typeflags.push(String.fromCharCode(h[156] ?? 0));
      const size = parseInt(h.subarray(124, 135).toString('ascii'), 8);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(typeflags.filter((t) => t === 'x')).toHaveLength(2); // the >100-byte basename and the non-ASCII name
    expect(typeflags).not.toContain('g');
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(-1024).every((b) => b === 0)).toBe(true);
    expect(writeTar([]).length).toBe(1024);
  });

  it('is byte-identical across runs and round-trips through readTar', () => {
    const a = writeTar(entries, { mtime: 5 });
    expect(writeTar(entries, { mtime: 5 }).equals(a)).toBe(true);
    const back = readTar(a);
    expect(back.map((e) => [e.path, e.type, e.mode, e.mtime])).toEqual(
      entries.map((e) => [e.path, e.type, e.mode ?? (e.type === 'directory' ? 0o755 : 0o644), 5]),
    );
    expect(back.map((e) => e.data)).toEqual(entries.map((e) => Buffer.from(e.data ?? [])));
  });

  it.each(['/abs', '../up', 'a/../b', 'a//b', ''])('refuses to write %j', (name) => {
    expect(() => writeTar([{ path: name, type: 'file', data: Buffer.from('x') }])).toThrow(/refusing/);
  });
});

const fixtureCharts = readdirSync(chartsDir).filter((f) => f.endsWith('.tgz')).sort();

describe('readTgz on the fixture charts', () => {
  it.each(fixtureCharts)('%s: same entries and bytes as GNU tar', async (name) => {
    const file = path.join(chartsDir, name);
    const entries = readTgz(readFileSync(file), name);
    const listed = (await run('tar', ['-tzf', file], { cwd: tmp })).stdout.trimEnd().split('\n');
    expect(entries.map((e) => e.path)).toEqual(listed.map((l) => l.replace(/\/$/, '')));
    const out = path.join(tmp, `x-${name}`);
    mkdirSync(out);
    await run('tar', ['-xzf', file, '-C', out], { cwd: tmp });
    for (const e of entries.filter((x) => x.type === 'file')) expect(readFileSync(path.join(out, e.path)).equals(e.data)).toBe(true);
  });

  // Helm (Go archive/tar) wrote these: re-writing their entries must give the very same tar bytes.
  const helmMade = fixtureCharts.filter((f) => readFileSync(path.join(chartsDir, f)).subarray(3, 4)[0] === 0x14);
  it.each(helmMade)('%s: writeTar reproduces the Helm tar byte for byte', (name) => {
    const raw = gunzipSync(readFileSync(path.join(chartsDir, name)));
    const entries = readTar(raw, name);
    const mtime = entries[0]?.mtime ?? 0;
    expect(entries.every((e) => e.mtime === mtime && e.type === 'file')).toBe(true);
    const again = writeTar(entries.map((e) => ({ path: e.path, type: e.type, data: e.data, mode: e.mode })), { mtime });
    expect(again.equals(raw)).toBe(true);
  });
  it('found Helm-made fixtures to compare with', () => {
    expect(helmMade.length).toBeGreaterThanOrEqual(4);
  });
});

describe('readTar refusals and extensions (archives made by GNU tar)', () => {
  const make = async (name: string, args: string[], setup: (dir: string) => void): Promise<Buffer> => {
    const dir = path.join(tmp, `src-${name}`);
    mkdirSync(dir, { recursive: true });
    setup(dir);
    const file = path.join(tmp, `${name}.tar`);
    await run('tar', ['-cf', file, ...args], { cwd: dir });
    return readFileSync(file);
  };

  it('refuses symbolic links', async () => {
    const tar = await make('sym', ['link'], (d) => symlinkSync('/etc/passwd', path.join(d, 'link')));
    expect(() => readTar(tar, 'sym.tar')).toThrow(expect.objectContaining({ code: 'TAR_UNSUPPORTED_ENTRY' }));
  });

  it('refuses hard links', async () => {
    const dir = path.join(tmp, 'src-hard');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a'), 'x');
    await run('ln', ['a', 'b'], { cwd: dir });
    await run('tar', ['-cf', path.join(tmp, 'hard.tar'), 'a', 'b'], { cwd: dir });
    expect(() => readTar(readFileSync(path.join(tmp, 'hard.tar')), 'hard.tar')).toThrow(expect.objectContaining({ code: 'TAR_UNSUPPORTED_ENTRY' }));
  });

  it('refuses a FIFO', async () => {
    const dir = path.join(tmp, 'src-fifo');
    mkdirSync(dir);
    await run('mkfifo', ['p'], { cwd: dir });
    await run('tar', ['-cf', path.join(tmp, 'fifo.tar'), 'p'], { cwd: dir });
    expect(() => readTar(readFileSync(path.join(tmp, 'fifo.tar')))).toThrow(expect.objectContaining({ code: 'TAR_UNSUPPORTED_ENTRY' }));
  });

  it.each([
    ['absolute', ['-P', '/tmp/../tmp'], 'TAR_UNSAFE_PATH'],
    ['dotdot', ['-P', '../src-dotdot-sibling/f'], 'TAR_UNSAFE_PATH'],
  ])('refuses %s paths', async (name, args, code) => {
    mkdirSync(path.join(tmp, 'src-dotdot-sibling'), { recursive: true });
    writeFileSync(path.join(tmp, 'src-dotdot-sibling', 'f'), 'x');
    const tar = await make(name, ['--no-recursion', ...args], () => undefined);
    expect(() => readTar(tar)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['gnu', ['--format=gnu']],
    ['pax', ['--format=pax']],
    ['pax-global', ['--format=pax', '--pax-option=comment=git-archive-like']],
  ])('reads long names in %s format', async (name, args) => {
    const long = `${'l'.repeat(150)}/${'n'.repeat(130)}.yaml`;
    const tar = await make(name, [...args, long], (d) => {
      mkdirSync(path.join(d, 'l'.repeat(150)));
      writeFileSync(path.join(d, long), 'long');
    });
    const entries = readTar(tar);
    expect(entries.map((e) => e.path)).toEqual([long]);
    expect(entries[0]?.data.toString()).toBe('long');
  });

  it('enforces entry, size and count limits', () => {
    const tar = writeTar([
      { path: 'a', type: 'file', data: Buffer.alloc(100) },
      { path: 'b', type: 'file', data: Buffer.alloc(100) },
    ]);
    expect(() => readTar(tar, 't', { maxEntries: 10, maxEntryBytes: 99, maxTotalBytes: 1000 })).toThrow(expect.objectContaining({ code: 'TAR_TOO_LARGE' }));
    expect(() => readTar(tar, 't', { maxEntries: 10, maxEntryBytes: 100, maxTotalBytes: 150 })).toThrow(expect.objectContaining({ code: 'TAR_TOO_LARGE' }));
    expect(() => readTar(tar, 't', { maxEntries: 1, maxEntryBytes: 100, maxTotalBytes: 1000 })).toThrow(expect.objectContaining({ code: 'TAR_TOO_LARGE' }));
    expect(readTar(tar, 't', { maxEntries: 2, maxEntryBytes: 100, maxTotalBytes: 200 })).toHaveLength(2);
  });

  it('detects corrupt headers and truncation', () => {
    const tar = writeTar([{ path: 'a', type: 'file', data: Buffer.alloc(1000, 1) }]);
    const bad = Buffer.from(tar);
    bad[0] = 0x62;
    expect(() => readTar(bad)).toThrow(expect.objectContaining({ code: 'TAR_CORRUPT' }));
    expect(() => readTar(tar.subarray(0, 700))).toThrow(expect.objectContaining({ code: 'TAR_CORRUPT' }));
    expect(() => readTgz(Buffer.from('not gzip'))).toThrow(expect.objectContaining({ code: 'TAR_CORRUPT' }));
  });
});
