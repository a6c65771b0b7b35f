/**
 * The Octokit client for the GitHub release flow (retry and throttling plugins, logs routed through the
 * redacting logger) and the one place where Octokit errors become pipeline errors.
 */
import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { PipelineError, UpstreamError, UserInputError } from '../../core/errors.js';
import type { Log } from '../../core/log.js';

const GithubOctokit = Octokit.plugin(retry, throttling);

/** The Octokit type the release flow uses. */
export type GithubOctokit = InstanceType<typeof GithubOctokit>;

/** Where and as whom to talk to GitHub. */
export interface GithubConnection {
  owner: string;
  repo: string;
  /** Empty or absent: anonymous (published releases only, 60 requests per hour). */
  token?: string;
  /** API base URL (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3). */
  baseUrl?: string;
  log: Log;
  /** Base of retry and rate-limit waits in ms (default 1000; tests use 1). */
  retryBaseMs?: number;
  /** Spacing of write requests in ms (default: the throttling plugin's 1 s, 3 s for releases; tests use 0). */
  minWriteIntervalMs?: number;
}

/** A client bound to one repository. */
export interface GithubClient {
  octokit: GithubOctokit;
  owner: string;
  repo: string;
  log: Log;
  authenticated: boolean;
  /** Base of waits between read-back attempts in ms (`retryBaseMs`, default 1000). */
  retryBaseMs: number;
}

/** Builds the client; registers the token as a secret first so no log line can carry it. */
export function createGithubClient(conn: GithubConnection): GithubClient {
  const { log } = conn;
  log.addSecret(conn.token);
  const base = conn.retryBaseMs ?? 1000;
  const limit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
    log.warn(`GitHub ${kind} rate limit on ${options.method} ${options.url}; ${retryCount < 2 ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return retryCount < 2;
  };
  const octokit = new GithubOctokit({
    ...(conn.token ? { auth: conn.token } : {}),
    baseUrl: (conn.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'csp (cluster stack pipeline)',
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.warn(m),
    },
    retry: { retryAfterBaseValue: base },
    throttle: {
      // A fresh id per client so write spacing applies within one run, not across clients in a process.
      id: `csp-${randomUUID()}`,
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: limit('primary'),
      onSecondaryRateLimit: limit('secondary'),
      ...(conn.minWriteIntervalMs === undefined ? {} : spacedWrites(conn.minWriteIntervalMs)),
    },
  });
  return { octokit, owner: conn.owner, repo: conn.repo, log, authenticated: Boolean(conn.token), retryBaseMs: base };
}

/**
 * Replacement write/notification limiters for the throttling plugin, which calls only
 * `group.key(id).schedule(options, fn)`; a Bottleneck instance would need an undeclared dependency.
 */
function spacedWrites(minMs: number): { write: never; notifications: never } {
  let chain: Promise<unknown> = Promise.resolve();
  let lastAt = 0;
  const limiter = {
    schedule<T>(_options: unknown, fn: (...args: unknown[]) => Promise<T>, ...args: unknown[]): Promise<T> {
      const run = chain.then(async () => {
        const wait = lastAt + minMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        lastAt = Date.now();
        return fn(...args);
      });
      chain = run.catch(() => undefined);
      return run;
    },
  };
  const group = { key: () => limiter };
  return { write: group as never, notifications: group as never };
}

/** The parts of an Octokit `RequestError` we read (the class itself is a transitive dependency). */
interface OctokitError {
  name: string;
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, string> };
}

/** True for an Octokit HTTP error (any status, including the 500 it reports for dropped connections). */
export function isOctokitError(error: unknown): error is OctokitError {
  return error instanceof Error && error.name === 'HttpError' && typeof (error as Partial<OctokitError>).status === 'number';
}

/** True when GitHub answered 422 with an `already_exists` validation error. */
export function isAlreadyExists(error: unknown): boolean {
  if (!isOctokitError(error) || error.status !== 422) return false;
  const errors = (error.response?.data as { errors?: Array<{ code?: string }> } | undefined)?.errors ?? [];
  return errors.some((e) => e.code === 'already_exists');
}

/** True when GitHub answered 404. */
export function isNotFound(error: unknown): boolean {
  return isOctokitError(error) && error.status === 404;
}

/** Runs one API call and turns any failure into a PipelineError that says what was being done. */
export async function githubCall<T>(client: GithubClient, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toPipelineError(client, what, error);
  }
}

/** Maps an Octokit failure: 401/403/404 are the user's to fix (exit 1), everything else is upstream (exit 2). */
export function toPipelineError(client: GithubClient, what: string, error: unknown): PipelineError {
  if (error instanceof PipelineError) return error;
  const repo = `${client.owner}/${client.repo}`;
  if (!isOctokitError(error)) {
    const text = client.log.redact(`${what}: ${String(error)}`);
    return new UpstreamError('GITHUB_UNREACHABLE', text, { url: repo, retriable: true, cause: new Error(text) });
  }
  const url = error.request?.url ?? repo;
  const data = error.response?.data as { message?: string; errors?: Array<{ code?: string; field?: string; message?: string }> } | undefined;
  const said = [data?.message ?? error.message, ...(data?.errors ?? []).map((e) => [e.field, e.code, e.message].filter(Boolean).join(' '))].join('; ');
  const message = client.log.redact(`${what}: GitHub answered ${error.status} (${said.split('\n')[0]})`);
  // Octokit's error holds the request (body included) and the raw response: keep only a redacted summary.
  const cause = new Error(client.log.redact(`${error.request?.method ?? ''} ${url} -> ${error.status}: ${said}`));
  if (error.status === 401) {
    return new UserInputError('GITHUB_UNAUTHORIZED', message, {
      cause,
      details: `Set GITHUB_TOKEN (or GH_TOKEN) to a valid token with contents: write on ${repo}.`,
    });
  }
  if (error.status === 403 && !/rate limit/i.test(said)) {
    return new UserInputError('GITHUB_FORBIDDEN', message, {
      cause,
      details: `The token may not write releases on ${repo}: the job needs "permissions: contents: write". GITHUB_TOKEN also cannot create a release whose commit changes .github/workflows/.`,
    });
  }
  if (error.status === 404) {
    return new UserInputError('GITHUB_NOT_FOUND', message, {
      cause,
      details: `Check that ${repo} exists and that the token can see it (GitHub answers 404 for private repositories without access).`,
    });
  }
  const retriable = error.status >= 500 || error.status === 429 || error.status === 403;
  return new UpstreamError('GITHUB_API', message, {
    url: client.log.redact(url),
    status: error.status,
    retriable,
    cause,
    details: retriable ? 'Run the same command again: it resumes the draft release and never publishes one with missing assets.' : undefined,
  });
}
