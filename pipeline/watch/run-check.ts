/** `checkUpstream`: loads the stacks, asks every source once (cached, mirrored, limited) and decides. */
import { ValidationFailed, type Issue } from '../core/errors.js';
import type { Http } from '../core/http.js';
import type { Log } from '../core/log.js';
import { loadStack, type Stack } from '../stack/index.js';
import { checkStack } from './check.js';
import { createFetcher } from './fetcher.js';
import type { CheckResult, SourceContext } from './types.js';

export interface CheckUpstreamInput {
  stackDirs: string[];
  cwd: string;
  /** Conditional-request cache folder (default: none). */
  cacheDir?: string;
  mirrors?: Record<string, string>;
  githubApi?: string;
  githubToken?: string;
  concurrency?: number;
  maxRateLimitWaitMs?: number;
}

export interface WatchDeps {
  http: Http;
  log: Log;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Loaded stacks, for bump's edits after a check. */
export interface LoadedCheck extends CheckResult {
  loaded: Stack[];
}

/** Checks every stack; a stack with errors fails the run (exit 1), a failing source throws UpstreamError (exit 2). */
export async function checkUpstream(input: CheckUpstreamInput, deps: WatchDeps): Promise<LoadedCheck> {
  const loaded: Stack[] = [];
  const issues: Issue[] = [];
  for (const dir of input.stackDirs) {
    const result = await loadStack(dir, { cwd: input.cwd });
    issues.push(...result.issues.filter((i) => i.severity === 'error'));
    if (result.stack) loaded.push(result.stack);
  }
  if (issues.length > 0) throw new ValidationFailed(issues, 'stacks have errors; run csp lint');
  const fetcher = createFetcher({ http: deps.http, cacheDir: input.cacheDir, mirrors: input.mirrors, concurrency: input.concurrency });
  const helmCharts: Record<string, string[]> = {};
  for (const stack of loaded) {
    for (const addon of stack.addons) {
      for (const dep of addon.dependencies) {
        if (!dep.repository || dep.repository.startsWith('oci://')) continue;
        const repo = dep.repository.endsWith('/') ? dep.repository : `${dep.repository}/`;
        (helmCharts[repo] ??= []).push(dep.name);
      }
    }
  }
  const ctx: SourceContext = {
    fetcher,
    githubApi: input.githubApi ?? 'https://api.github.com',
    githubToken: input.githubToken,
    maxRateLimitWaitMs: input.maxRateLimitWaitMs ?? 60_000,
    helmCharts,
    now: deps.now,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  const stacks = await Promise.all(loaded.map((stack) => checkStack(stack, ctx)));
  for (const s of stacks) deps.log.debug(`${s.stack}: ${s.targets.filter((t) => t.update).length} lines with updates`);
  return { stacks, updates: stacks.some((s) => s.targets.some((t) => t.update)), stats: fetcher.stats, loaded };
}
