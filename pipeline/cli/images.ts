/** `csp images plan|build|publish|validate`: node images per provider, built with Packer only when their rebuild key is new. */
import fs from 'node:fs';
import path from 'node:path';
import { UserInputError, hasErrors, type Issue } from '../core/errors.js';
import type { ImagePlan, Recipe } from '../images/index.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { publishDeps } from './publish.js';
import { countIssues, printIssues } from './report.js';

const USAGE = 'csp images plan|build|publish|validate [STACK_DIR...] [--only NAME]... [--repository oci://HOST/REPO] [--dry-run] [--json]';

export const imagesCommand: CommandSpec = {
  name: 'images',
  summary: 'Plan, build (Packer), publish and validate node images; only images whose rebuild key is new are built',
  usage: USAGE,
  description: [
    'plan: the images the stacks need (recipe × provider × Kubernetes patch from stack.yaml nodeImage.recipe and the',
    'stacks\' targets), each with its rebuild key and whether releases/images/ already records an image with that key.',
    'build: runs packer build -machine-readable for each image to build (--only NAME picks some), writes its record.',
    'publish: pushes built disk images as OCI artifacts tagged with their immutable name; the record gets the blob',
    'URL and digest that the ORC Image uses. validate: packer validate of every recipe target.',
    'Cloud credentials (HCLOUD_TOKEN, OS_*, clouds.yaml) are read by Packer from the environment and never printed.',
  ].join('\n'),
  options: {
    images: { type: 'string', arg: 'DIR', description: 'Recipes folder (default images).' },
    ledger: { type: 'string', arg: 'DIR', description: 'Release records folder; image records go to DIR/images (default releases).' },
    work: { type: 'string', arg: 'DIR', description: 'Work folder for base disks and Packer output (default .csp-cache/images).' },
    only: { type: 'string', multiple: true, arg: 'NAME', description: 'build/publish: only these image names (repeatable).' },
    parallel: { type: 'string', arg: 'N', description: 'build: images built at once (default 1).' },
    timeout: { type: 'string', arg: 'MINUTES', description: 'build: per-image timeout (default 120).' },
    mirror: { type: 'string', arg: 'URL', description: 'build: Debian mirror for debootstrap (default: the first in apt\'s sources).' },
    repository: { type: 'string', arg: 'oci://HOST/REPO', description: 'publish: registry repository for the images.' },
    'docker-config': { type: 'string', arg: 'FILE', description: 'publish: docker config.json with registry credentials.' },
    'dry-run': { type: 'boolean', description: 'build/publish: say what would happen, change nothing.' },
  },
  async run(ctx, args) {
    const [{ buildImages, debianMirrorFrom, planImagesFor }, { discoverStacks }] = await Promise.all([import('../images/index.js'), import('../stack/index.js')]);
    const [action, ...stackArgs] = args.positionals;
    const dirs = {
      images: path.resolve(ctx.cwd, stringOpt(args, 'images') ?? 'images'),
      ledger: path.resolve(ctx.cwd, stringOpt(args, 'ledger') ?? 'releases'),
      work: path.resolve(ctx.cwd, stringOpt(args, 'work') ?? '.csp-cache/images'),
    };
    if (action === 'validate') return validate(ctx, dirs);
    if (action !== 'plan' && action !== 'build' && action !== 'publish') {
      throw new UserInputError('CLI_BAD_ARGUMENTS', `unknown images action "${action ?? ''}"`, { details: `Usage: ${USAGE}` });
    }
    if (action === 'publish') return publish(ctx, args, dirs);
    const stackDirs = stackArgs.length ? stackArgs.map((d) => path.resolve(ctx.cwd, d)) : await discoverStacks(path.join(ctx.cwd, 'stacks'));
    const { plan, issues } = await planImagesFor({ stackDirs, cwd: ctx.cwd, imagesDir: dirs.images, ledgerDir: dirs.ledger });
    printIssues(ctx, issues);
    if (hasErrors(issues)) {
      if (ctx.json) ctx.out(JSON.stringify({ ok: false, ...countIssues(issues), issues, plan }, null, 2));
      return 1;
    }
    if (action === 'plan') return printPlan(ctx, plan, issues);
    const only = listOpt(args, 'only');
    const items = plan.items.filter((i) => only.length === 0 || only.includes(i.name));
    const unknown = only.filter((n) => !plan.items.some((i) => i.name === n));
    if (unknown.length) throw new UserInputError('IMAGE_UNKNOWN', `not in the image plan: ${unknown.join(', ')}`, { details: 'Run csp images plan to list the image names.' });
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await buildImages({
        items,
        imagesDir: dirs.images,
        ledgerDir: dirs.ledger,
        workDir: dirs.work,
        timeoutMs: Number(stringOpt(args, 'timeout') ?? 120) * 60_000,
        parallel: Number(stringOpt(args, 'parallel') ?? 1),
        mirror: stringOpt(args, 'mirror') ?? debianMirrorFrom(aptSources()),
        recipeCommit: await gitHead(ctx),
        dryRun: boolOpt(args, 'dry-run'),
        signal: controller.signal,
        packerEnv: cloudEnvOf(ctx),
      }, { run: ctx.run, log: ctx.log, now: ctx.now });
      if (ctx.json) ctx.out(JSON.stringify({ ok: true, built: result.built, planned: result.planned, skipped: items.filter((i) => i.action === 'exists').map((i) => i.name) }, null, 2));
      else {
        for (const p of result.planned) ctx.out(`would run: ${p.args.join(' ')}`);
        for (const b of result.built) ctx.out(`built ${b.record.name} → ${path.relative(ctx.cwd, b.recordFile)}`);
        ctx.out(`${result.built.length} built, ${items.filter((i) => i.action === 'exists').length} already recorded`);
      }
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};

function printPlan(ctx: CliContext, plan: ImagePlan, issues: Issue[]): number {
  const builds = plan.items.filter((i) => i.action === 'build');
  if (ctx.json) {
    // `matrix` is what a workflow's dynamic matrix takes: one entry per image to build.
    const matrix = { include: builds.map((i) => ({ name: i.name, recipe: i.recipe, target: i.target, builder: i.builder, kubernetes: i.kubernetes })) };
    ctx.out(JSON.stringify({ ok: true, ...countIssues(issues), plan, builds: builds.length, matrix }, null, 2));
    return 0;
  }
  for (const i of plan.items) ctx.out(`${i.action === 'build' ? 'build ' : 'exists'} ${i.name}  (${i.recipe}/${i.target}, ${i.minor}, key ${i.key.slice(0, 12)}; ${i.stacks.join(', ')})`);
  for (const e of plan.external) ctx.out(`extern ${e.stack} ${e.kubernetes}: ${e.image ?? '-'} (${e.reason})`);
  ctx.out(`${builds.length} to build, ${plan.items.length - builds.length} already built`);
  return 0;
}

async function publish(ctx: CliContext, args: ParsedArgs, dirs: { ledger: string }): Promise<number> {
  const { publishImages, readImageRecords } = await import('../images/index.js');
  const repository = stringOpt(args, 'repository');
  if (!repository) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp images publish needs --repository oci://HOST/REPO', { details: 'Images go next to the bundles, e.g. oci://ghcr.io/OWNER/node-images.' });
  const only = listOpt(args, 'only');
  const records = (await readImageRecords(dirs.ledger)).filter((r) => (only.length === 0 || only.includes(r.name)) && !r.published && r.location.file);
  const deps = publishDeps(ctx, args);
  const { openRepository, parseReference } = await import('../publish/index.js');
  const result = await publishImages({ records, repository, ledgerDir: dirs.ledger, dryRun: boolOpt(args, 'dry-run') }, {
    log: deps.log,
    // The images stage gets the repository from here, so it imports no later stage (docs/architecture.md).
    openRepository: async (target) => {
      const ref = parseReference(`${target.replace(/^oci:\/\//, '')}:latest`);
      const repo = await openRepository(ref, { http: deps.http, log: deps.log, credentials: deps.credentialsFor?.(target), dockerConfig: deps.dockerConfig });
      return { registry: ref.registry, repository: ref.repository, publish: (push) => repo.publish(push) };
    },
  });
  if (ctx.json) ctx.out(JSON.stringify({ ok: true, ...result }, null, 2));
  else for (const i of result.images) ctx.out(`${i.status.padEnd(10)} ${i.name} ${i.url ?? ''}`);
  return 0;
}

async function validate(ctx: CliContext, dirs: { images: string; work: string }): Promise<number> {
  const { listRecipes, loadRecipe, validateRecipes } = await import('../images/index.js');
  const recipes: Recipe[] = [];
  const issues: Issue[] = [];
  for (const name of await listRecipes(dirs.images)) {
    const loaded = await loadRecipe(dirs.images, name, (p) => path.relative(ctx.cwd, p) || p);
    issues.push(...loaded.issues);
    if (loaded.recipe && loaded.issues.length === 0) recipes.push(loaded.recipe);
  }
  const result = await validateRecipes(recipes, dirs.work, { run: ctx.run, log: ctx.log }, cloudEnvOf(ctx));
  issues.push(...result.issues);
  printIssues(ctx, issues);
  if (ctx.json) ctx.out(JSON.stringify({ ok: !hasErrors(issues), checked: result.checked.map(({ recipe, target, ok, mode }) => ({ recipe, target, ok, mode })), issues }, null, 2));
  else ctx.out(`${result.checked.filter((c) => c.ok).length}/${result.checked.length} recipe targets valid`);
  return hasErrors(issues) ? 1 : 0;
}

function aptSources(): string[] {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of fs.readdirSync('/etc/apt/sources.list.d').sort()) files.push(path.join('/etc/apt/sources.list.d', f));
  } catch {
    // no sources.list.d
  }
  return files.flatMap((f) => {
    try {
      return [fs.readFileSync(f, 'utf8')];
    } catch {
      return [];
    }
  });
}

async function gitHead(ctx: CliContext): Promise<string | undefined> {
  const res = await ctx.run('git', ['rev-parse', 'HEAD'], { cwd: ctx.cwd, allowFailure: true, timeoutMs: 10_000 }).catch(() => null);
  return res && res.exitCode === 0 ? res.stdout.trim() || undefined : undefined;
}

/** OpenStack credentials from the environment (passed to Packer only, never printed). */
function cloudEnvOf(ctx: CliContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) {
    if (v !== undefined && (k.startsWith('OS_') || k === 'HCLOUD_TOKEN')) {
      out[k] = v;
      if (/PASSWORD|TOKEN|SECRET/.test(k)) ctx.log.addSecret(v);
    }
  }
  return out;
}
