/**
 * Base disks made locally (a recipe target's `base` script: debootstrap, mke2fs -d, qemu-img), cached in
 * csp's work folder by the hash of their inputs so repeated builds reuse them. The SSH key pair Packer
 * logs in with is made with the disk and never leaves the cache folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import type { Run } from '../core/run.js';
import type { Recipe } from './types.js';

/** Files Packer needs from a base: the disk, a kernel and initrd for direct boot, the private key. */
export interface BaseImage {
  disk: string;
  kernel: string;
  initrd: string;
  sshKey: string;
  /** true when it was taken from the cache. */
  cached: boolean;
}

export interface BaseImageInput {
  recipe: Recipe;
  target: string;
  workDir: string;
  mirror?: string;
  signal?: AbortSignal;
}

/** Returns the cached base of this recipe target, making it first when absent. */
export async function ensureBaseImage(input: BaseImageInput, deps: { run: Run; log: Log }): Promise<BaseImage> {
  const t = input.recipe.config.targets[input.target];
  if (!t?.base) throw new UserInputError('IMAGE_NO_BASE', `${input.recipe.name}/${input.target} has no base script`);
  const vars = { ...input.recipe.config.variables, ...t.variables };
  const suite = vars.suite ?? 'bookworm';
  const size = vars.disk_size ?? '2G';
  const id = createHash('sha256').update(JSON.stringify([input.recipe.files[t.base], suite, size])).digest('hex').slice(0, 16);
  const dir = path.resolve(input.workDir, `base-${input.recipe.name}-${id}`);
  const base: BaseImage = { disk: path.join(dir, 'base.qcow2'), kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img'), sshKey: path.join(dir, 'key'), cached: true };
  const have = await Promise.all([base.disk, base.kernel, base.initrd, base.sshKey].map((f) => fs.stat(f).then(() => true, () => false)));
  if (have.every(Boolean)) {
    deps.log.info(`base image ${path.basename(dir)} from cache`);
    return base;
  }
  if (!input.mirror) {
    throw new UserInputError('IMAGE_NO_MIRROR', 'no Debian mirror found for debootstrap', { details: 'Pass --mirror URL or configure one in /etc/apt/sources.list(.d).' });
  }
  if (process.getuid?.() !== 0) {
    throw new UserInputError('IMAGE_BASE_NEEDS_ROOT', `the ${input.recipe.name}/${input.target} base disk is made with debootstrap, which needs root`, {
      details: 'Run csp images build as root (CI containers are), or build that target where root is available.',
    });
  }
  const tmp = `${dir}.tmp`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  try {
    await deps.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'csp-image-build', '-f', path.join(tmp, 'key')], { cwd: tmp, timeoutMs: 60_000 });
    deps.log.info(`base image: debootstrap ${suite} from ${input.mirror} (several minutes)`);
    await deps.run('sh', [path.join(input.recipe.dir, t.base), tmp, suite, input.mirror, path.join(tmp, 'key.pub'), size], {
      cwd: tmp,
      timeoutMs: 45 * 60_000,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return { ...base, cached: false };
}

/** The first Debian mirror in apt's sources (one-line `deb URL` or deb822 `URIs:`), skipping security. */
export function debianMirrorFrom(sources: readonly string[]): string | undefined {
  for (const text of sources) {
    for (const line of text.split('\n')) {
      const m = /^\s*(?:deb\s+(?:\[[^\]]*\]\s+)?|URIs:\s*)(\S+)/.exec(line);
      const url = m?.[1];
      if (url && /^https?:\/\//.test(url) && /debian\/?$/.test(url) && !/security/.test(url)) return url.replace(/\/$/, '');
    }
  }
  return undefined;
}
