/**
 * `csp images build`: runs Packer for each planned image (bounded parallelism, per-build timeout, abort on
 * SIGINT), selects the image artifact by builder-id, hashes it and writes its record to releases/images/.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InternalError, ToolError, UserInputError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import type { Run } from '../core/run.js';
import { ensureBaseImage, type BaseImage } from './base-image.js';
import { artifactsBy, BUILDER_IDS, type PackerReport } from './machine-readable.js';
import { lastRunBuilds, parseChecksumFile } from './manifest.js';
import { parsePackerVersion, runPacker, supportsPlugins } from './packer.js';
import { loadRecipe } from './recipe.js';
import { targetVariables } from './rebuild-key.js';
import { writeImageRecord } from './records.js';
import type { ImagePlanItem, ImageRecord, Recipe } from './types.js';

export interface BuildImagesInput {
  items: ImagePlanItem[];
  imagesDir: string;
  ledgerDir: string;
  /** csp's own work folder (base disks, Packer output), e.g. .csp-cache/images. */
  workDir: string;
  timeoutMs: number;
  parallel: number;
  /** Debian mirror for base images made with debootstrap (read from apt's sources by the CLI). */
  mirror?: string;
  recipeCommit?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Cloud credentials for Packer (HCLOUD_TOKEN, OS_*): passed to Packer only, registered as secrets by the CLI. */
  packerEnv?: Record<string, string>;
}

export interface BuildImagesDeps {
  run: Run;
  log: Log;
  now: () => Date;
}

/** What the build did, per image. */
export interface BuildImagesResult {
  built: { record: ImageRecord; recordFile: string; timings: BuildTimings }[];
  /** Dry run: the Packer argument lists that would run. */
  planned: { name: string; args: string[] }[];
}

/** Seconds spent per phase (bench and report). */
export interface BuildTimings {
  baseImage: number;
  packer: number;
  /** Part of `packer` spent converting/compressing the disk (from Packer's own ui timestamps). */
  compression: number;
  hashing: number;
}

/** Builds every item with action `build`; the first failure stops new builds and is rethrown. */
export async function buildImages(input: BuildImagesInput, deps: BuildImagesDeps): Promise<BuildImagesResult> {
  const todo = input.items.filter((i) => i.action === 'build');
  const result: BuildImagesResult = { built: [], planned: [] };
  if (todo.length === 0) return result;
  if (!input.dryRun) await fs.mkdir(input.workDir, { recursive: true });
  const packerVersion = input.dryRun ? '' : await packerVersionOf(deps.run, input.workDir);
  const recipes = new Map<string, Recipe>();
  for (const name of new Set(todo.map((i) => i.recipe))) {
    const { recipe, issues } = await loadRecipe(input.imagesDir, name);
    if (!recipe) throw new UserInputError('IMAGE_RECIPE_INVALID', `recipe ${name} has problems`, { details: issues.map((i) => i.message).join('; ') });
    recipes.set(name, recipe);
  }
  let failure: unknown;
  const queue = [...todo];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item && !failure; item = queue.shift()) {
      try {
        const recipe = recipes.get(item.recipe);
        if (!recipe) throw new InternalError('IMAGE_RECIPE_LOST', `recipe ${item.recipe} was not loaded`);
        const done = await buildOne(item, recipe, packerVersion, input, deps, result);
        if (done) result.built.push(done);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.parallel, todo.length)) }, worker));
  if (failure) throw failure;
  return result;
}

async function buildOne(item: ImagePlanItem, recipe: Recipe, packerVersion: string, input: BuildImagesInput, deps: BuildImagesDeps, result: BuildImagesResult) {
  const target = recipe.config.targets[item.target];
  if (!target) throw new InternalError('IMAGE_TARGET_LOST', `recipe ${recipe.name} has no target ${item.target}`);
  const outDir = path.join(input.workDir, 'build', item.name);
  const varFile = path.join(input.workDir, 'build', `${item.name}.vars.json`);
  const args = ['build', '-only', item.target, '-var-file', varFile, path.join(recipe.dir, target.template)];
  if (input.dryRun) {
    result.planned.push({ name: item.name, args: ['packer', ...args] });
    return undefined;
  }
  checkPackerVersion(packerVersion, target.packer, item.name);
  const started = Date.now();
  let base: BaseImage | undefined;
  if (target.base) base = await ensureBaseImage({ recipe, target: item.target, workDir: input.workDir, mirror: input.mirror, signal: input.signal }, deps);
  const baseSeconds = (Date.now() - started) / 1000;
  if (recipe.config.plugins && supportsPlugins(packerVersion)) {
    await runPacker({ args: ['init', path.join(recipe.dir, recipe.config.plugins)], cwd: input.workDir, env: { ...input.packerEnv, ...packerEnv(input.workDir) }, timeoutMs: 600_000, label: item.name, signal: input.signal }, deps);
  }
  await fs.rm(outDir, { recursive: true, force: true });
  await fs.mkdir(path.dirname(varFile), { recursive: true });
  const variables: Record<string, string> = {
    ...targetVariables(recipe, item.target, item.kubernetes),
    image_name: item.name,
    output_directory: outDir,
    rebuild_key: item.key,
    ...(base ? { base_disk: base.disk, kernel: base.kernel, initrd: base.initrd, ssh_private_key_file: base.sshKey } : {}),
  };
  await fs.writeFile(varFile, `${JSON.stringify(variables, null, 2)}\n`);
  const packerStart = Date.now();
  deps.log.info(`[${item.name}] packer build (${item.recipe}/${item.target}, Kubernetes ${item.kubernetes})`);
  const run = await runPacker({ args, cwd: input.workDir, env: { ...input.packerEnv, ...packerEnv(input.workDir) }, timeoutMs: input.timeoutMs, label: item.name, signal: input.signal }, deps);
  const packerSeconds = (Date.now() - packerStart) / 1000;
  if (run.exitCode !== 0 || input.signal?.aborted) {
    await fs.rm(outDir, { recursive: true, force: true });
    const why = input.signal?.aborted ? 'was interrupted' : `failed (exit ${run.exitCode})`;
    throw new ToolError('PACKER_BUILD_FAILED', `packer build of ${item.name} ${why}; partial output removed`, {
      tool: 'packer',
      args,
      exitCode: run.exitCode,
      stderrTail: run.stderrTail,
      details: run.report.errors.map((e) => `${e.build}: ${e.message}`).join('\n') || 'Run with PACKER_LOG=1 for Packer\'s own log.',
    });
  }
  const artifact = artifactsBy(run.report, [BUILDER_IDS[target.builder]], item.target)[0];
  if (!artifact) throw new ToolError('PACKER_NO_ARTIFACT', `packer reported no ${target.builder} artifact for ${item.name}`, { tool: 'packer', args });
  const hashStart = Date.now();
  const record: ImageRecord = {
    apiVersion: 'csp.scs.community/v1alpha1',
    kind: 'ImageRecord',
    name: item.name,
    recipe: item.recipe,
    target: item.target,
    builder: target.builder,
    providers: target.providers,
    kubernetes: item.kubernetes,
    key: item.key,
    format: target.format,
    location: {},
    buildDate: deps.now().toISOString(),
    packer: { version: packerVersion, plugins: supportsPlugins(packerVersion) ? recipe.plugins : {} },
    ...(input.recipeCommit ? { recipeCommit: input.recipeCommit } : {}),
  };
  if (target.builder === 'qemu') {
    const disk = artifact.files.map((f) => path.resolve(input.workDir, f)).find((f) => f.endsWith(`.${target.format}`)) ?? artifact.files[0];
    if (!disk) throw new ToolError('PACKER_NO_ARTIFACT', `the qemu artifact of ${item.name} lists no file`, { tool: 'packer', args });
    const { sha256, size } = await hashFile(disk);
    await crossCheck(outDir, item.name, disk, sha256);
    Object.assign(record, { sha256, size, location: { file: disk } });
  } else if (target.builder === 'openstack') {
    record.location = { glanceId: artifact.id };
  } else {
    record.location = { snapshotId: artifact.id };
  }
  const hashing = (Date.now() - hashStart) / 1000;
  const recordFile = await writeImageRecord(input.ledgerDir, record);
  deps.log.info(`[${item.name}] built${record.sha256 ? ` sha256:${record.sha256.slice(0, 12)} ${record.size} bytes` : ''} → ${recordFile}`);
  return { record, recordFile, timings: { baseImage: baseSeconds, packer: packerSeconds, compression: compressionSeconds(run.report), hashing } };
}

/** The checksum and manifest post-processors must agree with our own hash of the file they describe. */
async function crossCheck(outDir: string, name: string, disk: string, sha256: string): Promise<void> {
  const sums = parseChecksumFile(await fs.readFile(path.join(outDir, `${name}.sha256`), 'utf8').catch(() => ''));
  const theirs = sums[path.basename(disk)];
  if (theirs !== undefined && theirs !== sha256) {
    throw new ToolError('IMAGE_CHECKSUM_MISMATCH', `${path.basename(disk)}: Packer wrote sha256 ${theirs}, the file hashes to ${sha256}`, { tool: 'packer' });
  }
  const manifest = await fs.readFile(path.join(outDir, 'packer-manifest.json'), 'utf8').catch(() => undefined);
  if (manifest !== undefined) {
    const builds = lastRunBuilds(manifest);
    if (!builds.some((b) => b.files.some((f) => f.name === path.basename(disk)))) {
      throw new ToolError('PACKER_MANIFEST_MISMATCH', `the last run in packer-manifest.json does not list ${path.basename(disk)}`, { tool: 'packer' });
    }
  }
}

/** Streams a file through sha256. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Seconds between Packer's "Converting hard drive" line and the next step (0 when absent). */
function compressionSeconds(report: PackerReport): number {
  const t = report.timeline;
  const i = t.findIndex((l) => l.text.includes('Converting hard drive'));
  const next = i >= 0 ? t[i + 1] : undefined;
  return i >= 0 && next && t[i] ? next.time - t[i].time : 0;
}

async function packerVersionOf(run: Run, cwd: string): Promise<string> {
  try {
    const res = await run('packer', ['version'], { cwd, timeoutMs: 30_000 });
    const v = parsePackerVersion(res.stdout);
    return v ? v.join('.') : res.stdout.trim();
  } catch (error) {
    throw new ToolError('TOOL_MISSING', 'packer is needed to build images but not available', { tool: 'packer', cause: error, details: 'Install it: apt-get install -y packer (built-in builders), or Packer >= 1.9 from HashiCorp for plugin builds.' });
  }
}

function checkPackerVersion(have: string, want: string, name: string): void {
  const [a, b] = [have.split('.').slice(0, 2).join('.'), want.split('.').slice(0, 2).join('.')];
  if (a !== b) {
    throw new UserInputError('PACKER_VERSION_MISMATCH', `${name} is keyed for Packer ${want} but Packer ${have} is installed`, {
      details: 'Use the Packer version the recipe target names (it is part of the rebuild key), or change the target\'s packer field.',
    });
  }
}

/** Packer runs in csp's work folder with its cache there: nothing is written into the recipe (it is hashed). */
function packerEnv(workDir: string): Record<string, string> {
  return { PACKER_CACHE_DIR: path.join(workDir, 'packer_cache') };
}
