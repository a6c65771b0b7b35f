/**
 * Writing one bundle folder OUT/<release-name>/ so that nothing partial is ever visible: files go to a temp
 * folder beside it, then one rename. An existing folder with the same bytes is left alone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BundleFile } from '../bundle/index.js';
import { markOutputDir } from '../core/paths.js';
import { hashFile, placeStored } from '../core/stored-file.js';

/** How an existing folder relates to the bundle: absent, byte-identical, or different. */
export async function compareFolder(dir: string, files: readonly BundleFile[]): Promise<'absent' | 'same' | 'different'> {
  const names = await fs.readdir(dir).catch(() => undefined);
  if (names === undefined) return 'absent';
  if (names.length !== files.length) return 'different';
  for (const file of files) {
    const existing = path.join(dir, file.name);
    if (file.stored) {
      const size = await fs.stat(existing).then((s) => s.size, () => -1);
      if (size !== file.stored.size || (await hashFile(existing)).sha256 !== file.stored.sha256) return 'different';
      continue;
    }
    const data = await fs.readFile(existing).catch(() => undefined);
    if (!data || !data.equals(Buffer.from(file.data))) return 'different';
  }
  return 'same';
}

/** Writes the folder (temp + rename; replacing an existing one only when asked). */
export async function writeFolder(dir: string, files: readonly BundleFile[], options: { replace: boolean }): Promise<void> {
  const parent = path.dirname(dir);
  await markOutputDir(parent);
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    for (const file of files) {
      if (file.stored) await placeStored(file.stored, path.join(tmp, file.name));
      else await fs.writeFile(path.join(tmp, file.name), file.data, { mode: 0o644 });
    }
    await fs.chmod(tmp, 0o755);
    if (options.replace) {
      const old = `${tmp}.old`;
      await fs.rename(dir, old).catch(() => undefined);
      await fs.rename(tmp, dir);
      await fs.rm(old, { recursive: true, force: true });
    } else {
      await fs.rename(tmp, dir);
    }
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
