/** `csp build [STACK_DIR...]`: plan, then write reproducible CSO bundles, an OCI image layout and release records. */
import path from 'node:path';
import { UserInputError, type Issue } from '../core/errors.js';
import type { BuildCheck } from '../release/index.js';
import type { RecordSchemas } from '../ledger/index.js';
import type { MinorSchemas } from '../validate/index.js';
import { logCatalogOrigin } from './validate.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { PLAN_OPTIONS, describeTarget, planFromArgs } from './plan.js';
import { printIssues } from './report.js';
import { aliasOption, schemaCacheOpt, sharedOptions } from './options.js';

/** RFC 3339 creation time from SOURCE_DATE_EPOCH (reproducible-builds.org); the epoch when unset. */
export function createdFrom(env: Record<string, string | undefined>): string {
  const raw = env.SOURCE_DATE_EPOCH ?? '0';
  return epochToRfc3339(raw);
}

/**
 * Without SOURCE_DATE_EPOCH each stack's bundles carry the commit time of the stack folder's last change
 * (`git log -1 --format=%ct -- DIR`): reproducible across commits that do not touch the stack, so an unchanged
 * release rebuilt later (publish-incomplete) has the same bytes. Outside git: the epoch, with a note.
 */
async function createdPerStack(ctx: CliContext, stackDirs: string[]): Promise<{ createdFor: (stackDir: string) => string | undefined; notes: Issue[] }> {
  const times = new Map<string, string>();
  const notes: Issue[] = [];
  // A few git processes at a time (each waits mostly on process start); results are used in stack order.
  const results: (Awaited<ReturnType<CliContext['run']>> | undefined)[] = [];
  for (let i = 0; i < stackDirs.length; i += 4) {
    const batch = stackDirs.slice(i, i + 4).map((dir) => ctx.run('git', ['log', '-1', '--format=%ct', '--', '.'], { cwd: dir, allowFailure: true, timeoutMs: 30_000 }).catch(() => undefined));
    results.push(...(await Promise.all(batch)));
  }
  for (const [index, dir] of stackDirs.entries()) {
    const res = results[index];
    const raw = res?.exitCode === 0 ? res.stdout.trim() : '';
    if (/^\d{1,12}$/.test(raw)) times.set(dir, epochToRfc3339(raw));
    else notes.push({ severity: 'note', code: 'BUILD_CREATED_EPOCH', message: `${path.relative(ctx.cwd, dir) || dir} has no git history: its bundles record the creation time 1970-01-01T00:00:00Z`, hint: 'Build from a git checkout, or set SOURCE_DATE_EPOCH (e.g. git log -1 --format=%ct).' });
  }
  return { createdFor: (dir) => times.get(dir), notes };
}

function epochToRfc3339(raw: string): string {
  if (!/^\d{1,12}$/.test(raw)) {
    throw new UserInputError('CLI_BAD_SOURCE_DATE_EPOCH', `SOURCE_DATE_EPOCH=${raw} is not a number of seconds`, { details: 'Set it to a Unix time, e.g. the commit time: git log -1 --format=%ct.' });
  }
  return new Date(Number(raw) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export const buildCommand: CommandSpec = {
  name: 'build',
  summary: 'Build release bundles (CSO asset names) per stack and Kubernetes version, plus an OCI image layout',
  usage: 'csp build [STACK_DIR...] [--mode stable|hash|custom] [--k8s VERSION] [--crds DIR]... [--out DIR] [--force] [--dry-run] [--json]',
  description: [
    'Validates every stack first (files, rules, CSO naming), decides versions as csp plan does, renders what',
    'will be released (cluster-class and addon charts, as CSO renders them), validates every rendered object against',
    'the committed schema catalog (schemas/catalog, offline; the cache and --crds add to it) with the checks of',
    'csp validate, then writes',
    'OUT/<release-name>/ (cluster-class and cluster-addon .tgz, metadata.yaml, hashes.json, SBOM, SHA256SUMS),',
    'adds each bundle to OUT/oci-layout/ and records it in releases/<release-name>.yaml. Output is',
    'byte-identical across machines and times. The creation time it records is SOURCE_DATE_EPOCH when set, else',
    'the commit time of each stack folder\'s last change (git), else 1970 (with a note).',
    'An unchanged stack has nothing to release (exit 0, nothing written). A different bundle under an existing',
    'name is refused unless --force.',
  ].join('\n'),
  options: {
    ...PLAN_OPTIONS,
    ...sharedOptions('out', 'schema-cache'),
    schemas: aliasOption('schemas'),
    force: { type: 'boolean', description: 'Replace a different bundle already stored under the same release name.' },
    'dry-run': { type: 'boolean', description: 'Plan and assemble, but write nothing.' },
    crds: { type: 'string', multiple: true, arg: 'DIR', description: 'CRDs that add to or override the schema catalog (as csp validate; repeatable).' },
  },
  async run(ctx, args) {
    const created = createdFrom(ctx.env);
    const { checks, notes, schemas } = await releaseChecks(ctx, args);
    const planned = await planFromArgs(ctx, args, checks);
    printIssues(ctx, notes);
    const perStack = ctx.env.SOURCE_DATE_EPOCH === undefined ? await createdPerStack(ctx, [...new Set(planned.plan.targets.filter((t) => t.action === 'release' || t.incomplete?.length).map((t) => t.stackDir))]) : undefined;
    if (perStack) printIssues(ctx, perStack.notes);
    const { buildBundles } = await import('../release/index.js');
    const result = await buildBundles({
      planned,
      outDir: path.resolve(ctx.cwd, stringOpt(args, 'out') ?? 'out'),
      ledgerDir: path.resolve(ctx.cwd, stringOpt(args, 'ledger') ?? 'releases'),
      force: boolOpt(args, 'force'),
      dryRun: boolOpt(args, 'dry-run'),
      created,
      schemas,
      ...(perStack ? { createdFor: perStack.createdFor } : {}),
    });
    printIssues(ctx, result.issues);
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: true, created, ociLayout: result.ociLayout, targets: result.targets, plan: planned.plan }, null, 2));
      return 0;
    }
    for (const target of planned.plan.targets) {
      const built = result.targets.find((t) => t.releaseName === target.releaseName);
      const [head = '', ...rest] = describeTarget(target);
      ctx.out(built && built.action !== 'nothing-to-release' ? `${built.action.padEnd(10)} ${target.releaseName} → ${path.relative(ctx.cwd, built.dir ?? '') || '.'}` : head);
      if (target.action === 'release') for (const line of rest) ctx.out(line);
    }
    const counts = result.targets.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.action]: (acc[t.action] ?? 0) + 1 }), {});
    ctx.out(Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing to build');
    return 0;
  },
};

/**
 * Render, then the checks of csp validate against the committed schema catalog (each target against its
 * Kubernetes minor's core kinds and the pinned providers' CRDs), plus the schema cache and --crds, which add
 * to or override the catalog. Returns what each release record notes about the schemas it was checked with.
 */
async function releaseChecks(ctx: CliContext, args: ParsedArgs): Promise<{ checks: BuildCheck[]; notes: Issue[]; schemas: (minor: string) => RecordSchemas | undefined }> {
  const [{ RELEASE_CHECKS, validateCheck }, { loadSchemaSet, schemaSourcesOf }] = await Promise.all([import('../release/index.js'), import('../validate/index.js')]);
  const sources = schemaSourcesOf(ctx.cwd, schemaCacheOpt(args), listOpt(args, 'crds'));
  const set = await loadSchemaSet(sources);
  logCatalogOrigin(ctx, set);
  const notes: Issue[] = [...set.issues];
  const schemasFor = (minor: string): MinorSchemas => {
    const m = set.forMinor(minor);
    for (const note of m.issues) if (!notes.some((i) => i.code === note.code && i.message === note.message)) notes.push(note);
    return m;
  };
  const schemas = (minor: string): RecordSchemas | undefined => {
    const p = set.forMinor(minor).provenance;
    if (!p) return undefined;
    return {
      catalog: `sha256:${p.digest}`,
      ...(p.kubernetes ? { kubernetes: { minor: p.kubernetes.minor, source: p.kubernetes.source, sha256: p.kubernetes.sha256 } } : {}),
      providers: p.providers.map((x) => ({ name: x.name, version: x.version })),
      ...(sources.length ? { overrides: sources.map((s) => path.relative(ctx.cwd, s) || s) } : {}),
    };
  };
  return { checks: [...RELEASE_CHECKS, validateCheck(schemasFor)], notes, schemas };
}
