/** `csp build [STACK_DIR...]`: plan, then write reproducible CSO bundles, an OCI image layout and release records. */
import path from 'node:path';
import { UserInputError, type Issue } from '../core/errors.js';
import { RELEASE_CHECKS, buildBundles, validateCheck, type BuildCheck } from '../release/index.js';
import { loadCatalog, schemaSourcesOf } from '../validate/index.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { PLAN_OPTIONS, describeTarget, planFromArgs } from './plan.js';
import { printIssues } from './report.js';

/** RFC 3339 creation time from SOURCE_DATE_EPOCH (reproducible-builds.org); the epoch when unset. */
export function createdFrom(env: Record<string, string | undefined>): string {
  const raw = env.SOURCE_DATE_EPOCH ?? '0';
  if (!/^\d{1,12}$/.test(raw)) {
    throw new UserInputError('CLI_BAD_SOURCE_DATE_EPOCH', `SOURCE_DATE_EPOCH=${raw} is not a number of seconds`, { details: 'Set it to a Unix time, e.g. the commit time: git log -1 --format=%ct.' });
  }
  return new Date(Number(raw) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export const buildCommand: CommandSpec = {
  name: 'build',
  summary: 'Build release bundles (CSO asset names) per stack and Kubernetes version, plus an OCI image layout',
  usage: 'csp build [STACK_DIR...] [--mode stable|hash|custom] [--k8s MINOR] [--crds DIR]... [--out DIR] [--force] [--dry-run] [--json]',
  description: [
    'Validates every stack first (files, rules, CSO naming), decides versions as csp plan does, renders what',
    'will be released (cluster-class and addon charts, as CSO renders them), then writes',
    'OUT/<release-name>/ (cluster-class and cluster-addon .tgz, metadata.yaml, hashes.json, SBOM, SHA256SUMS),',
    'adds each bundle to OUT/oci-layout/ and records it in releases/<release-name>.yaml. Output is',
    'byte-identical across machines and times; set SOURCE_DATE_EPOCH for the creation time it records.',
    'An unchanged stack has nothing to release (exit 0, nothing written). A different bundle under an existing',
    'name is refused unless --force.',
  ].join('\n'),
  options: {
    ...PLAN_OPTIONS,
    out: { type: 'string', short: 'o', arg: 'DIR', description: 'Output folder (default ./out).' },
    force: { type: 'boolean', description: 'Replace a different bundle already stored under the same release name.' },
    'dry-run': { type: 'boolean', description: 'Plan and assemble, but write nothing.' },
    crds: { type: 'string', multiple: true, arg: 'DIR', description: 'CRDs to validate rendered objects against (as csp validate; repeatable). Default: the csp schemas cache .csp/schemas when present.' },
    schemas: { type: 'string', arg: 'DIR', description: 'Schema cache of csp schemas (default .csp/schemas).' },
  },
  async run(ctx, args) {
    const created = createdFrom(ctx.env);
    const { checks, notes } = await releaseChecks(ctx, args);
    const planned = await planFromArgs(ctx, args, checks);
    printIssues(ctx, notes);
    const result = await buildBundles({
      planned,
      outDir: path.resolve(ctx.cwd, stringOpt(args, 'out') ?? 'out'),
      ledgerDir: path.resolve(ctx.cwd, stringOpt(args, 'ledger') ?? 'releases'),
      force: boolOpt(args, 'force'),
      dryRun: boolOpt(args, 'dry-run'),
      created,
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
 * Render, then (when CRD schemas are at hand) the checks of csp validate. Without CRDs the ClusterClass and
 * provider kinds cannot be checked, so validation is skipped with a note rather than failing every build.
 */
async function releaseChecks(ctx: CliContext, args: ParsedArgs): Promise<{ checks: BuildCheck[]; notes: Issue[] }> {
  const sources = schemaSourcesOf(ctx.cwd, stringOpt(args, 'schemas'), listOpt(args, 'crds'));
  if (sources.length === 0) {
    return {
      checks: [...RELEASE_CHECKS],
      notes: [{ severity: 'note', code: 'BUILD_VALIDATE_SKIPPED', message: 'no CRD schemas: rendered objects are not validated against Cluster API and provider schemas', hint: 'Run csp schemas sync (or csp schemas import DIR), or pass --crds DIR, to have csp build run the checks of csp validate.' }],
    };
  }
  const { catalog, issues } = await loadCatalog(sources);
  return { checks: [...RELEASE_CHECKS, validateCheck(catalog)], notes: issues };
}
