/** `csp upstream pr`: one branch and pull request per stack line with updates (see docs/upstream.md). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { planBuild } from '../release/index.js';
import { openPullRequests, type CheckUpstreamInput } from '../watch/index.js';
import { boolOpt, stringOpt, type CliContext, type ParsedArgs } from './command.js';
import { chartCacheDir, ledgerDir } from './options.js';

/** Runs the PR flow and prints one line per stack line. */
export async function upstreamPr(ctx: CliContext, args: ParsedArgs, input: CheckUpstreamInput): Promise<number> {
  const repo = stringOpt(args, 'repo') ?? ctx.env.GITHUB_REPOSITORY;
  if (!repo) throw new UserInputError('CLI_REPO_MISSING', 'csp upstream pr needs --repo OWNER/REPO', { details: 'Pass --repo, or run in GitHub Actions where GITHUB_REPOSITORY is set.' });
  const interval = ctx.env.CSP_GITHUB_WRITE_INTERVAL_MS;
  const result = await openPullRequests(
    {
      ...input,
      repo,
      base: stringOpt(args, 'base'),
      token: input.githubToken,
      apiUrl: input.githubApi,
      dryRun: boolOpt(args, 'dry-run'),
      minWriteIntervalMs: interval === undefined ? undefined : Number(interval),
    },
    { ...ctx, impact: (dir, texts, minor) => releaseImpact(ctx, args, dir, texts, minor) },
  );
  if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
  else {
    for (const p of result.pulls) {
      ctx.out(`${p.action.padEnd(14)} ${p.line} ${p.number ? `#${p.number} ` : ''}${p.branch}${p.closed.length ? ` (closed superseded #${p.closed.join(', #')})` : ''}${p.skipped.length ? ` (left alone, a person pushed: #${p.skipped.join(', #')})` : ''}`);
    }
    ctx.out(result.pulls.length ? `${result.pulls.length} stack lines with updates` : 'no updates: no pull request opened');
  }
  return 0;
}

/** `csp plan` on a copy of the stack with the line's edits applied: the releases the merge would make. */
async function releaseImpact(ctx: CliContext, args: ParsedArgs, stackDir: string, texts: Record<string, string>, minor: string): Promise<string[]> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-upstream-plan-'));
  try {
    const copy = path.join(tmp, path.relative(path.dirname(path.dirname(stackDir)), stackDir));
    await fs.cp(stackDir, copy, { recursive: true });
    for (const [rel, text] of Object.entries(texts)) await fs.writeFile(path.join(copy, rel), text);
    const { plan } = await planBuild({ stackDirs: [copy], cwd: ctx.cwd, mode: 'stable', k8s: minor, ledgerDir: ledgerDir(ctx.cwd, args), chartCacheDir: chartCacheDir(ctx.cwd, args) });
    return plan.targets.filter((t) => t.action === 'release').map((t) => `${t.releaseName} (Kubernetes ${t.kubernetesVersion}): ${t.why.clusterStack}`);
  } catch (error) {
    return [`csp plan could not run on the edited stack: ${(error as Error).message}`];
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
