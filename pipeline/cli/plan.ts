/** `csp plan [STACK_DIR...]`: what a build would release for every stack × Kubernetes version, and why. */
import path from 'node:path';
import { UserInputError, hasErrors, type Issue } from '../core/errors.js';
import type { PreviousDeps } from '../publish/index.js';
import type { BuildCheck, PlannedBuild, TargetPlan } from '../release/index.js';
import type { VersionMode } from '../version/index.js';
import { listOpt, stringOpt, type CliContext, type OptionSpec, type ParsedArgs } from './command.js';
import type { CommandSpec } from './command.js';
import { publishDeps } from './publish.js';
import { chartCacheDir, ledgerDir, sharedOptions } from './options.js';
import { canStorePlan, installRoots, snapshotInputs, storePlan, type PlanAnswer } from './plan-cache.js';
import { countIssues, printIssues } from './report.js';

/** Options `plan` and `build` share. */
export const PLAN_OPTIONS: Record<string, OptionSpec> = {
  mode: { type: 'string', short: 'm', arg: 'MODE', description: 'Versioning: stable (default; v1, v2 …), hash (v0-sha.<7>) or custom.' },
  ...sharedOptions('k8s', 'chart-cache', 'ledger'),
  'cluster-stack-version': { type: 'string', arg: 'V', description: 'custom mode: cluster-stack version, dot form (v1-custom.1).' },
  'cluster-addon-version': { type: 'string', arg: 'V', description: 'custom mode: cluster-addon version, dot form.' },
  'node-image-version': { type: 'string', arg: 'V', description: 'custom mode: node-image version, dot form.' },
  'previous-from': {
    type: 'string',
    multiple: true,
    arg: 'SOURCE',
    description: 'Where to find the previous release of a line the ledger has none of: oci://HOST/REPO or github:OWNER/REPO (repeatable, tried in order).',
  },
};

/** Reads the shared options and plans; used by `csp plan` and `csp build`. */
export async function planFromArgs(ctx: CliContext, args: ParsedArgs, releaseChecks?: readonly BuildCheck[]): Promise<PlannedBuild> {
  const [{ planBuild }, { discoverStacks }] = await Promise.all([import('../release/index.js'), import('../stack/index.js')]);
  // The publish stage (OCI client, GitHub) only when a previous release is to be looked up remotely.
  const sources = listOpt(args, 'previous-from');
  const publish = sources.length ? await import('../publish/index.js') : undefined;
  const mode = (stringOpt(args, 'mode') ?? 'stable') as VersionMode;
  if (!['stable', 'hash', 'custom'].includes(mode)) {
    throw new UserInputError('CLI_BAD_MODE', `--mode ${mode} is not stable, hash or custom`, { details: 'stable bumps vN; hash uses v0-sha.<7 chars of the stack hash>; custom takes the three versions.' });
  }
  const versions = ['cluster-stack-version', 'cluster-addon-version', 'node-image-version'].map((k) => stringOpt(args, k));
  if (mode !== 'custom' && versions.some((v) => v !== undefined)) {
    throw new UserInputError('CLI_VERSION_WITHOUT_CUSTOM', 'explicit versions need --mode custom', { details: 'Pass --mode custom with all three --*-version options.' });
  }
  if (mode === 'custom' && versions.some((v) => v === undefined)) {
    throw new UserInputError('CLI_CUSTOM_VERSIONS_MISSING', 'custom mode needs --cluster-stack-version, --cluster-addon-version and --node-image-version', {
      details: 'Give all three in dot form, e.g. --cluster-stack-version v1-custom.1 --cluster-addon-version v1-custom.1 --node-image-version v1-custom.1.',
    });
  }
  const [clusterStack = '', clusterAddon = '', nodeImage = ''] = versions;
  const previousFrom = publish ? sources.map(publish.parsePreviousSource) : [];
  const stackDirs = args.positionals.length ? args.positionals.map((d) => path.resolve(ctx.cwd, d)) : await discoverStacks(path.join(ctx.cwd, 'stacks'));
  if (stackDirs.length === 0) {
    throw new UserInputError('NO_STACKS', 'no stacks found under stacks/', { details: 'Pass stack folders (csp build stacks/docker/scs) or run from the repository root.' });
  }
  return planBuild({
    stackDirs,
    cwd: ctx.cwd,
    mode,
    k8s: stringOpt(args, 'k8s'),
    custom: mode === 'custom' ? { clusterStack, clusterAddon, nodeImage } : undefined,
    chartCacheDir: chartCacheDir(ctx.cwd, args),
    ledgerDir: ledgerDir(ctx.cwd, args),
    releaseChecks,
  }, publish && previousFrom.length ? { previous: publish.createPreviousFinder(previousFrom, previousDeps(ctx, args)) } : {});
}

/** Registry access as csp publish reads it (OCI_* variables, docker config.json); GitHub from GITHUB_TOKEN/GH_TOKEN, GITHUB_API_URL. */
function previousDeps(ctx: CliContext, args: ParsedArgs): PreviousDeps {
  const { http, log, credentialsFor, dockerConfig } = publishDeps(ctx, args);
  const token = ctx.env.GITHUB_TOKEN ?? ctx.env.GH_TOKEN;
  return { http, log, credentialsFor, dockerConfig, github: { ...(token ? { token } : {}), ...(ctx.env.GITHUB_API_URL ? { baseUrl: ctx.env.GITHUB_API_URL } : {}) } };
}

/** One human line per target, plus the reasons. */
export function describeTarget(t: TargetPlan): string[] {
  const head = t.action === 'release'
    ? `release    ${t.releaseName} (k8s ${t.kubernetesVersion})`
    : t.incomplete?.length
      ? `incomplete ${t.releaseName} (k8s ${t.kubernetesVersion}): publish-incomplete, missing on ${t.incomplete.join(', ')}`
      : `unchanged  ${t.releaseName} (k8s ${t.kubernetesVersion}): nothing to release`;
  const lines = [head];
  if (t.action === 'release') {
    lines.push(`  clusterStack ${t.versions.clusterStack}: ${t.why.clusterStack}`);
    lines.push(`  clusterAddon ${t.versions.clusterAddon}: ${t.why.clusterAddon}`);
    lines.push(`  nodeImage    ${t.versions.nodeImage}: ${t.why.nodeImage}`);
    for (const [component, changes] of Object.entries(t.changedFiles)) {
      const parts = [...changes.modified.map((f) => `~${f}`), ...changes.added.map((f) => `+${f}`), ...changes.removed.map((f) => `-${f}`)];
      lines.push(`  ${component} files: ${parts.join(' ')}`);
    }
    if (t.unchanged.length) lines.push(`  unchanged: ${t.unchanged.join(', ')}`);
    if (t.previous?.source) lines.push(`  previous release read from ${t.previous.source}`);
  }
  return lines;
}

export const planCommand: CommandSpec = {
  name: 'plan',
  summary: 'Show what csp build would release for every stack and Kubernetes version, and why',
  usage: 'csp plan [STACK_DIR...] [--mode stable|hash|custom] [--k8s VERSION] [--previous-from SOURCE]... [--json]',
  description: [
    'Hashes each stack per Kubernetes version as csctl does, compares with the latest record in releases/',
    '(same provider, stack, Kubernetes minor and channel) and prints the versions that move, the files that',
    'changed and what stays. Runs the static checks but does not render (csp build does). Writes only its',
    'answer to .csp-cache/plan/ (when .csp-cache/ exists): an identical run whose inputs (stacks, ledger, chart',
    'cache, csp itself) have not changed by size, times or inode prints it again without planning.',
    'A stack folder whose bytes match the recorded input of its latest releases is reported unchanged without',
    'being loaded. A line with no record in releases/ is looked up in each --previous-from source in turn',
    '(OCI tags or GitHub release names, latest by CSO ordering; its metadata.yaml and hashes.json). Exit 1 when a',
    'stack has errors, 2 when a --previous-from source cannot be read.',
  ].join('\n'),
  options: PLAN_OPTIONS,
  async run(given, args) {
    // Stat every input before planning, so an edit made while planning makes the stored answer a miss.
    const snapshot = cacheable(given, args) ? await snapshotInputs(planInputRoots(given, args), given.cwd) : undefined;
    const writes: PlanAnswer['writes'] = [];
    const ctx: CliContext = snapshot ? recording(given, writes) : given;
    const code = await planAndPrint(ctx, args);
    if (snapshot && given.argv) await storePlan(given.argv, given.cwd, given.env, snapshot, { writes, code });
    return code;
  },
};

/** Plans and prints (text or JSON); returns the exit code. */
async function planAndPrint(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const { plan } = await planFromArgs(ctx, args);
  const issues: Issue[] = [...plan.issues, ...plan.targets.flatMap((t) => t.issues)];
  printIssues(ctx, issues);
  const failed = hasErrors(issues);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: !failed, ...countIssues(issues), plan }, null, 2));
  } else {
    for (const t of plan.targets) for (const line of describeTarget(t)) ctx.out(line);
    const releasing = plan.targets.filter((t) => t.action === 'release').length;
    ctx.out(`${releasing} to release, ${plan.targets.length - releasing} unchanged (${plan.mode} mode)`);
  }
  return failed ? 1 : 0;
}

/**
 * A plan's answer is stored for the next identical run only when it depends on nothing but files: not with
 * --previous-from (network), not with --verbose (log lines go around ctx.out/err), and only where csp keeps
 * its caches already (`.csp-cache/` in the working folder).
 */
function cacheable(ctx: CliContext, args: ParsedArgs): boolean {
  return ctx.argv !== undefined && listOpt(args, 'previous-from').length === 0 && args.values.verbose !== true && canStorePlan(ctx.cwd);
}

/** Everything a plan reads: the stack folders (or stacks/), the ledger, the chart cache and csp's own files. */
export function planInputRoots(ctx: CliContext, args: ParsedArgs): string[] {
  const stacks = args.positionals.length ? args.positionals.map((d) => path.resolve(ctx.cwd, d)) : [path.join(ctx.cwd, 'stacks')];
  return [...stacks, ledgerDir(ctx.cwd, args), chartCacheDir(ctx.cwd, args), ...installRoots()];
}

/** `ctx` printing as before while keeping each (redacted) line for the plan cache. */
function recording(ctx: CliContext, writes: PlanAnswer['writes']): CliContext {
  return {
    ...ctx,
    out: (text) => {
      writes.push([1, ctx.log.redact(text)]);
      ctx.out(text);
    },
    err: (text) => {
      writes.push([2, ctx.log.redact(text)]);
      ctx.err(text);
    },
  };
}
