/**
 * The GitHub API's error mapping and calls without Octokit itself: modules that only handle a client's answers
 * (and the publish stage's index) load this, so Octokit loads only when a client is actually made.
 */
import { PipelineError, UpstreamError, UserInputError } from '../../core/errors.js';
import type { GithubClient, GithubConnection } from './client.js';

/** Makes the Octokit client for `conn`, loading Octokit on first use. */
export async function openGithubClient(conn: GithubConnection): Promise<GithubClient> {
  const { createGithubClient } = await import('./client.js');
  return createGithubClient(conn);
}

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
