/**
 * The Octokit client for the GitHub release flow (retry and throttling plugins, logs routed through the
 * redacting logger) and the one place where Octokit errors become pipeline errors.
 */
import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
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
