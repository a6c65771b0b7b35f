/** `csp upstream check|bump|pr`: notice upstream patch releases, edit the stacks in place, open the pull requests. */
import path from 'node:path';
import { UserInputError, type Issue } from '../core/errors.js';
import type { CheckUpstreamInput, StackReport } from '../watch/index.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { chartCacheDir, ledgerDir, sharedOptions } from './options.js';
import { countIssues, printIssues } from './report.js';

export const upstreamCommand: CommandSpec = {
  name: 'upstream',
  summary: 'Check upstream releases, bump stack files in place, open one pull request per stack line',
  usage: 'csp upstream check|bump|pr [STACK_DIR...] [--mirror FROM=TO]... [--upstream-cache DIR] [--dry-run] [--repo OWNER/REPO] [--json]',
  description: [
    'check: per stack and Kubernetes line, each component (Kubernetes patch, charts, node image): current,',
    '  newest allowed by stack.yaml upstream policy, newest overall, and why newer versions were not taken.',
    'bump:  writes the allowed updates in place (only changed scalars differ), prints a unified diff, then',
    '  runs csp lint\'s checks and csp plan on the edited stacks.',
    'pr:    bump, then one branch and pull request per stack line on --repo (updates its own PR, closes',
    '  superseded ones, never touches a PR a person pushed to). Needs GITHUB_TOKEN; GITHUB_API_URL is followed.',
    'Exit 0 when up to date or updates exist (--json says which), 1 for stack errors, 2 when a source fails',
    '(named; nothing is edited). Conditional requests are cached in --upstream-cache (default .csp-cache/upstream).',
  ].join('\n'),
  options: {
    mirror: { type: 'string', multiple: true, arg: 'FROM=TO', description: 'Fetch URLs starting with FROM from TO instead (dl.k8s.io, chart repos, registries, images).' },
    'upstream-cache': { type: 'string', arg: 'DIR', description: 'Conditional-request cache (default .csp-cache/upstream).' },
    ...sharedOptions('chart-cache', 'ledger'),
    'no-cache': { type: 'boolean', description: 'Do not read or write the request cache.' },
    'dry-run': { type: 'boolean', description: 'bump/pr: show the diff and the pull requests, change nothing.' },
    line: { type: 'string', multiple: true, arg: 'P/S/MINOR', description: 'Only this stack line (provider/stack/minor), repeatable.' },
    repo: { type: 'string', arg: 'OWNER/REPO', description: 'pr: the repository (default GITHUB_REPOSITORY).' },
    base: { type: 'string', arg: 'BRANCH', description: 'pr: base branch (default main).' },
  },
  async run(ctx, args) {
    // Stages load when the command runs, not for --help (see docs/performance.md).
    const { bumpUpstream, checkUpstream } = await import('../watch/index.js');
    const [sub, ...dirs] = args.positionals;
    if (sub !== 'check' && sub !== 'bump' && sub !== 'pr') {
      throw new UserInputError('CLI_UPSTREAM_SUBCOMMAND', `csp upstream needs check, bump or pr (got ${sub ?? 'nothing'})`, { details: 'Run csp upstream check to see what moved upstream.' });
    }
    const input = await inputFrom(ctx, args, dirs);
    if (sub === 'check') {
      const result = await checkUpstream(input, ctx);
      const { loaded: _loaded, ...json } = result;
      if (ctx.json) ctx.out(JSON.stringify(json, null, 2));
      else {
        for (const s of result.stacks) for (const line of describeStack(s)) ctx.out(line);
        ctx.out(`${result.updates ? 'updates available' : 'up to date'} (${result.stats.requests} requests, ${result.stats.notModified} answered 304)`);
      }
      return 0;
    }
    if (sub === 'pr') return (await import('./upstream-pr.js')).upstreamPr(ctx, args, input);
    const dryRun = boolOpt(args, 'dry-run');
    const result = await bumpUpstream({ ...input, dryRun, lines: listOpt(args, 'line') }, ctx);
    const checks = dryRun ? undefined : await afterBump(ctx, args, result.bumps.filter((b) => Object.keys(b.files).length).map((b) => b.dir));
    if (ctx.json) ctx.out(JSON.stringify({ ...result, checks }, null, 2));
    else {
      if (result.diff) ctx.out(result.diff);
      for (const s of result.stacks) for (const line of describeStack(s)) ctx.out(line);
      if (checks) for (const line of checks.summary) ctx.out(line);
      const changed = result.bumps.reduce((n, b) => n + Object.keys(b.files).length, 0);
      ctx.out(dryRun ? `${changed} files would change (dry run)` : `${changed} files changed`);
    }
    return checks?.errors ? 1 : 0;
  },
};

/** Flags and environment → the watch stage input. */
export async function inputFrom(ctx: CliContext, args: ParsedArgs, dirs: string[]): Promise<CheckUpstreamInput> {
  const { discoverStacks } = await import('../stack/index.js');
  const stackDirs = dirs.length ? dirs.map((d) => path.resolve(ctx.cwd, d)) : await discoverStacks(path.join(ctx.cwd, 'stacks'));
  if (stackDirs.length === 0) throw new UserInputError('NO_STACKS', 'no stacks found under stacks/', { details: 'Pass stack folders or run from the repository root.' });
  const mirrors: Record<string, string> = {};
  for (const rule of listOpt(args, 'mirror')) {
    const eq = rule.indexOf('=');
    if (eq <= 0) throw new UserInputError('CLI_BAD_MIRROR', `--mirror ${rule} is not FROM=TO`, { details: 'Example: --mirror https://dl.k8s.io/=https://mirror.example.org/k8s/' });
    mirrors[rule.slice(0, eq)] = rule.slice(eq + 1);
  }
  const token = ctx.env.GITHUB_TOKEN ?? ctx.env.GH_TOKEN;
  return {
    stackDirs,
    cwd: ctx.cwd,
    cacheDir: boolOpt(args, 'no-cache') ? undefined : path.resolve(ctx.cwd, stringOpt(args, 'upstream-cache') ?? '.csp-cache/upstream'),
    mirrors,
    githubApi: ctx.env.GITHUB_API_URL,
    githubToken: token,
  };
}

/** Human lines for one stack's report. */
export function describeStack(s: StackReport): string[] {
  const lines: string[] = [];
  for (const t of s.targets) {
    lines.push(`${t.proposal ? 'proposal' : t.update ? 'update  ' : 'current '} ${t.line}${t.proposal ? ` (new minor ${t.kubernetes}: needs a person)` : ''}`);
    for (const c of t.components) {
      if (t.proposal) {
        lines.push(`  ${c.name.padEnd(36)} ${c.allowed || '(no release yet)'}`);
        continue;
      }
      const moves = c.allowed !== c.current;
      const shown = c.kind === 'node-image' ? 'new image' : `${c.current} → ${c.allowed}`;
      lines.push(`  ${c.name.padEnd(36)} ${moves ? shown : c.current}${c.newest && c.newest !== c.allowed ? ` (newest ${c.newest})` : ''}`);
    }
    for (const c of t.components) for (const r of c.rejected) lines.push(`    ${c.name} ${r.version}: ${r.reason}: ${r.detail}`);
  }
  for (const note of s.notes) lines.push(`  note: ${note}`);
  return lines;
}

/** csp lint's checks and csp plan on the edited stacks: the release impact of the bump. */
export async function afterBump(ctx: CliContext, args: ParsedArgs, dirs: string[]): Promise<{ errors: number; issues: Issue[]; releases: string[]; summary: string[] }> {
  const [{ checkCompatibility }, { planBuild }, { loadStack }] = await Promise.all([import('../constraints/index.js'), import('../release/index.js'), import('../stack/index.js')]);
  const issues: Issue[] = [];
  for (const dir of dirs) {
    const loaded = await loadStack(dir, { cwd: ctx.cwd });
    issues.push(...loaded.issues);
    if (loaded.stack) issues.push(...checkCompatibility(loaded.stack).issues);
  }
  const releases: string[] = [];
  if (dirs.length) {
    const { plan } = await planBuild({
      stackDirs: dirs,
      cwd: ctx.cwd,
      mode: 'stable',
      chartCacheDir: chartCacheDir(ctx.cwd, args),
      ledgerDir: ledgerDir(ctx.cwd, args),
    });
    issues.push(...plan.issues);
    for (const t of plan.targets) if (t.action === 'release') releases.push(`${t.releaseName} (k8s ${t.kubernetesVersion})`);
  }
  printIssues(ctx, issues.filter((i) => i.severity === 'error'));
  const counts = countIssues(issues);
  return { errors: counts.errors, issues, releases, summary: [`lint after bump: ${counts.errors} errors, ${counts.warnings} warnings`, ...releases.map((r) => `csp plan would release ${r}`)] };
}
