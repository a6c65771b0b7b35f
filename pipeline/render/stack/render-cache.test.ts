import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RenderCache, describe as describeValue, renderKey } from './render-cache.js';

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-render-cache-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

class Float {
  constructor(readonly value: number) {}
}

describe('describe', () => {
  it.each<[unknown, unknown]>([
    [1, '1'],
    [0, -0],
    [null, undefined],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [{ a: 1 }, { a: 1, b: undefined }],
    [new Date(0), '1970-01-01T00:00:00.000Z'],
    [new Float(1), { value: 1 }],
    [[1, [2]], [[1], 2]],
    [true, 'true'],
  ])('tells %j from %j', (a, b) => {
    expect(describeValue(a)).not.toBe(describeValue(b));
  });

  it('is the same for equal values', () => {
    expect(describeValue({ a: [1, 's', null, new Float(2.5)], d: new Date(5) })).toBe(describeValue({ a: [1, 's', null, new Float(2.5)], d: new Date(5) }));
  });
});

describe('renderKey', () => {
  async function chart(name: string, files: Record<string, string>): Promise<string> {
    const dir = path.join(tmp, name);
    for (const [rel, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), text);
    }
    return dir;
  }

  it('depends on every file name and byte, and on the options, not on where the folder is', async () => {
    const base = { 'Chart.yaml': 'name: a\n', 'templates/cm.yaml': 'x: 1\n' };
    const a = await chart('a', base);
    const same = await chart('same', base);
    const changed = await chart('changed', { ...base, 'templates/cm.yaml': 'x: 2\n' });
    const renamed = await chart('renamed', { 'Chart.yaml': 'name: a\n', 'templates/cn.yaml': 'x: 1\n' });
    const extra = await chart('extra', { ...base, 'charts/dep.tgz': '' });
    const opts = { seed: 's', values: { a: 1 } };
    const key = await renderKey(a, opts);
    expect(await renderKey(same, opts)).toBe(key);
    expect(new Set([key, await renderKey(changed, opts), await renderKey(renamed, opts), await renderKey(extra, opts), await renderKey(a, { ...opts, values: { a: 2 } })]).size).toBe(5);
  });

  it('never matches a folder with a symbolic link', async () => {
    const dir = await chart('link', { 'Chart.yaml': 'name: a\n' });
    await fs.symlink('/etc/hostname', path.join(dir, 'l'));
    expect(await renderKey(dir, {})).not.toBe(await renderKey(dir, {}));
  });
});

describe('RenderCache', () => {
  it('hands out copies, so a caller changing its result cannot change the next one', () => {
    const cache = new RenderCache<{ list: number[] }>();
    const value = { list: [1] };
    cache.set('k', value, 10);
    value.list.push(2);
    const first = cache.get('k');
    first?.list.push(3);
    expect(cache.get('k')).toEqual({ list: [1] });
  });

  it('drops the oldest entries beyond its size', () => {
    const cache = new RenderCache<string>(25);
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 10);
    cache.set('c', 'C', 10);
    cache.set('huge', 'H', 26);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('huge')]).toEqual([undefined, 'B', 'C', undefined]);
  });
});
