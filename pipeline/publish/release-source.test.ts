/**
 * loadRelease checks names and sizes at once and the release folder's bytes when asked (`check()`): a stale
 * file is reported through `check()`, the first one in manifest order, and never as an unhandled rejection
 * (bin/csp.js runs publish in the main thread, where one would end the process).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleRelease } from './__fixtures__/release.js';
import { loadRelease } from './release-source.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-release-source-'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

/** Flips one byte of `file` (same size: only its hash can tell). */
async function flip(file: string): Promise<void> {
  const data = await fs.readFile(file);
  data[0] = data[0] === 0x61 ? 0x62 : 0x61;
  await fs.writeFile(file, data);
}

describe('loadRelease', () => {
  it('a consistent release folder: check() settles', async () => {
    const release = await assembleRelease(path.join(tmp, 'ok'));
    const loaded = await loadRelease(release.releaseDir, release.layoutDir);
    await expect(loaded.check()).resolves.toBeUndefined();
    expect(loaded.files.length).toBeGreaterThan(3);
  });

  it('same-size stale files: check() fails with the first in manifest order, and nothing goes unhandled', async () => {
    const release = await assembleRelease(path.join(tmp, 'stale'));
    // All but the JSON files, which are parsed on load (and must stay JSON).
    const names = (await loadRelease(release.releaseDir, release.layoutDir)).files.map((f) => f.name).filter((n) => !n.endsWith('.json'));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) await flip(path.join(release.releaseDir, name));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const loaded = await loadRelease(release.releaseDir, release.layoutDir);
      // Let every hash finish before anyone awaits check().
      void loaded.check();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(loaded.check()).rejects.toMatchObject({ code: 'RELEASE_DIR_STALE', message: expect.stringContaining(names[0]!) as string });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('a file that is its layout blob (hard-linked, as csp build writes large archives) is left to the readers', async () => {
    const release = await assembleRelease(path.join(tmp, 'linked'), { linkClass: true, classSeed: 'linked' });
    const loaded = await loadRelease(release.releaseDir, release.layoutDir);
    const linked = loaded.files.find((f) => f.name.includes('cluster-class'))!;
    const other = loaded.files.find((f) => f.name.includes('cluster-addon'))!;
    // Changed in place, folder and layout alike: no second copy to compare with, so check() does not hash it
    // (every reader of the blob checks its digest: publish-stream.test.ts shows the upload refusing it)...
    await flip(path.join(release.releaseDir, linked.name));
    await expect((await loadRelease(release.releaseDir, release.layoutDir)).check()).resolves.toBeUndefined();
    // ...while a file of its own is still compared with the manifest.
    await flip(path.join(release.releaseDir, other.name));
    await expect((await loadRelease(release.releaseDir, release.layoutDir)).check()).rejects.toMatchObject({ code: 'RELEASE_DIR_STALE', message: expect.stringContaining(other.name) as string });
  });

  it('a missing or resized file fails at once (RELEASE_DIR_STALE)', async () => {
    const release = await assembleRelease(path.join(tmp, 'resized'));
    const [first] = (await loadRelease(release.releaseDir, release.layoutDir)).files;
    await fs.appendFile(path.join(release.releaseDir, first!.name), 'more');
    await expect(loadRelease(release.releaseDir, release.layoutDir)).rejects.toMatchObject({ code: 'RELEASE_DIR_STALE', message: expect.stringContaining('differs from') as string });
    await fs.rm(path.join(release.releaseDir, first!.name));
    await expect(loadRelease(release.releaseDir, release.layoutDir)).rejects.toMatchObject({ code: 'RELEASE_DIR_STALE', message: expect.stringContaining('is missing') as string });
  });
});
