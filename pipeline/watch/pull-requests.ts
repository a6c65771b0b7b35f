/**
 * `openPullRequests`: one branch and pull request per stack line with updates, through the git data API
 * (no local clone or push needed). The branch name carries a hash of the change set: a rerun with the same
 * changes updates its PR; a newer change set opens a new PR and closes the superseded ones. A PR whose
 * branch holds a commit csp did not make (a person pushed) is never touched.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { githubCall, openGithubClient, type GithubClient } from '../publish/index.js';
import { planEdits, planProposal } from './edit.js';
import { pullRequestBody, pullRequestTitle } from './pr-body.js';
import { checkUpstream, type CheckUpstreamInput, type WatchDeps } from './run-check.js';
import type { StackReport, TargetReport } from './types.js';

export interface PullRequestInput extends CheckUpstreamInput {
  /** owner/repo */
  repo: string;
  base?: string;
  token?: string;
  dryRun?: boolean;
  /** GitHub API base (tests: the fake). */
  apiUrl?: string;
  /** Spacing of writes in ms (GitHub asks for ≥ 1 s; tests use 0). */
  minWriteIntervalMs?: number;
}

export interface PullRequestDeps extends WatchDeps {
  /** What `csp plan` would release for the line once its edits are applied (given by the CLI). */
  impact?: (stackDir: string, texts: Record<string, string>, minor: string) => Promise<string[]>;
}

export interface LinePullRequest {
  line: string;
  branch: string;
  action: 'created' | 'updated' | 'unchanged' | 'skipped-human' | 'planned';
  /** A new-minor proposal (draft PR). */
  proposal?: boolean;
  number?: number;
  url?: string;
  files: string[];
  closed: number[];
  skipped: number[];
}

export interface PullRequestResult {
  pulls: LinePullRequest[];
  updates: boolean;
}

/** Trailer csp writes into its commits; a commit without it on a csp branch was made by someone else. */
export const TRAILER = 'Csp-Upstream-Line';
const BRANCH_PREFIX = 'csp/upstream/';

/** Opens, updates or closes the pull requests for every stack line with updates. */
export async function openPullRequests(input: PullRequestInput, deps: PullRequestDeps): Promise<PullRequestResult> {
  const [owner, repo] = input.repo.split('/');
  if (!owner || !repo) throw new UserInputError('CLI_BAD_REPO', `--repo ${input.repo} is not OWNER/REPO`, { details: 'Example: --repo SovereignCloudStack/cluster-stacks' });
  if (!input.token && !input.dryRun) throw new UserInputError('GITHUB_TOKEN_MISSING', 'csp upstream pr needs GITHUB_TOKEN', { details: 'Set GITHUB_TOKEN (contents: write, pull-requests: write) or use --dry-run.' });
  const check = await checkUpstream(input, deps);
  const client = await openGithubClient({ owner, repo, token: input.token, baseUrl: input.apiUrl, log: deps.log, retryBaseMs: input.minWriteIntervalMs === 0 ? 1 : undefined, minWriteIntervalMs: input.minWriteIntervalMs });
  const base = input.base ?? 'main';
  const pulls: LinePullRequest[] = [];
  for (const [i, stack] of check.loaded.entries()) {
    const report = check.stacks[i]!;
    const read = (rel: string): string => fs.readFileSync(path.join(stack.dir, rel), 'utf8');
    for (const target of report.targets.filter((t) => (t.update && !t.proposal) || (t.proposal && !t.incomplete))) {
      const only: StackReport = { ...report, targets: report.targets.map((t) => (t === target ? t : { ...t, update: false })) };
      const texts = target.proposal ? planProposal(stack, target, read) : planEdits(stack, only, read);
      if (Object.keys(texts).length === 0) continue;
      const files: Record<string, string> = {};
      for (const [rel, text] of Object.entries(texts)) files[repoPath(input.cwd, path.join(stack.dir, rel))] = text;
      const impact = deps.impact ? await deps.impact(stack.dir, texts, target.minor) : [];
      const branch = branchFor(target, files);
      const title = pullRequestTitle(target);
      const body = pullRequestBody(target, report, impact);
      if (input.dryRun) {
        pulls.push({ line: target.line, branch, action: 'planned', files: Object.keys(files).sort(), closed: [], skipped: [], ...(target.proposal ? { proposal: true } : {}) });
        continue;
      }
      const done = await upsertLine(client, { base, branch, title, body, files, line: target.line, draft: Boolean(target.proposal) });
      pulls.push(target.proposal ? { ...done, proposal: true } : done);
    }
  }
  return { pulls, updates: check.updates };
}

/** `csp/upstream/<provider>-<stack>-<minor>-<hash of the change set>`. */
function branchFor(target: TargetReport, files: Record<string, string>): string {
  const hash = crypto.createHash('sha256');
  for (const c of target.components) if (c.allowed !== c.current) hash.update(`${c.kind}:${c.name}:${c.allowed}\n`);
  for (const file of Object.keys(files).sort()) hash.update(`${file}\n`);
  return `${linePrefix(target.line)}${hash.digest('hex').slice(0, 8)}`;
}

function linePrefix(line: string): string {
  return `${BRANCH_PREFIX}${line.replaceAll('/', '-')}-`;
}

function repoPath(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('../') || path.isAbsolute(rel)) {
    throw new UserInputError('UPSTREAM_OUTSIDE_REPO', `${file} is outside the repository root ${root}`, { details: 'Run csp upstream pr from the repository root, with stacks inside it.' });
  }
  return rel;
}

interface LineChange {
  base: string;
  branch: string;
  title: string;
  body: string;
  files: Record<string, string>;
  line: string;
  /** New-minor proposals open as drafts, for a person to review. */
  draft: boolean;
}

async function upsertLine(client: GithubClient, change: LineChange): Promise<LinePullRequest> {
  const { octokit, owner, repo } = client;
  const r = { owner, repo };
  const result: LinePullRequest = { line: change.line, branch: change.branch, action: 'created', files: Object.keys(change.files).sort(), closed: [], skipped: [] };
  const baseRef = await githubCall(client, `read ${change.base}`, () => octokit.rest.git.getRef({ ...r, ref: `heads/${change.base}` }));
  const baseSha = baseRef.data.object.sha;
  const baseCommit = await githubCall(client, 'read the base commit', () => octokit.rest.git.getCommit({ ...r, commit_sha: baseSha }));
  const existing = (await githubCall(client, 'list pull requests', () => octokit.rest.pulls.list({ ...r, state: 'open', head: `${owner}:${change.branch}`, per_page: 100 }))).data[0];
  if (existing && (await touchedByPerson(client, existing.number, change.line))) {
    return { ...result, action: 'skipped-human', number: existing.number, url: existing.html_url, skipped: [existing.number] };
  }
  const tree = await githubCall(client, 'write the tree', () =>
    octokit.rest.git.createTree({ ...r, base_tree: baseCommit.data.tree.sha, tree: Object.entries(change.files).map(([p, content]) => ({ path: p, mode: '100644' as const, type: 'blob' as const, content })) }),
  );
  // matching-refs answers [] for a missing branch (get-ref would answer 404, which Octokit logs as a warning).
  const matching = await githubCall(client, `look up ${change.branch}`, () => octokit.rest.git.listMatchingRefs({ ...r, ref: `heads/${change.branch}` }));
  const head = matching.data.find((ref) => ref.ref === `refs/heads/${change.branch}`);
  if (head) {
    const headCommit = await githubCall(client, 'read the branch commit', () => octokit.rest.git.getCommit({ ...r, commit_sha: head.object.sha }));
    const current = headCommit.data.tree.sha === tree.data.sha && headCommit.data.parents[0]?.sha === baseSha;
    if (!current) {
      const commit = await createCommit(client, change, tree.data.sha, baseSha);
      await githubCall(client, `move ${change.branch}`, () => octokit.rest.git.updateRef({ ...r, ref: `heads/${change.branch}`, sha: commit, force: true }));
    }
    result.action = current && existing ? 'unchanged' : 'updated';
  } else {
    const commit = await createCommit(client, change, tree.data.sha, baseSha);
    await githubCall(client, `create ${change.branch}`, () => octokit.rest.git.createRef({ ...r, ref: `refs/heads/${change.branch}`, sha: commit }));
  }
  if (existing) {
    if (existing.title !== change.title || existing.body !== change.body) {
      await githubCall(client, `update pull request #${existing.number}`, () => octokit.rest.pulls.update({ ...r, pull_number: existing.number, title: change.title, body: change.body }));
      result.action = 'updated';
    }
    result.number = existing.number;
    result.url = existing.html_url;
  } else {
    const created = await githubCall(client, 'open the pull request', () => octokit.rest.pulls.create({ ...r, title: change.title, head: change.branch, base: change.base, body: change.body, maintainer_can_modify: true, draft: change.draft }));
    result.number = created.data.number;
    result.url = created.data.html_url;
    if (head) result.action = 'updated';
  }
  await closeSuperseded(client, change, result);
  return result;
}

async function createCommit(client: GithubClient, change: LineChange, tree: string, parent: string): Promise<string> {
  const message = `${change.title}\n\n${TRAILER}: ${change.line}\n`;
  const commit = await githubCall(client, 'write the commit', () => client.octokit.rest.git.createCommit({ owner: client.owner, repo: client.repo, message, tree, parents: [parent] }));
  return commit.data.sha;
}

/** True when the PR's branch holds a commit without csp's trailer for this line. */
async function touchedByPerson(client: GithubClient, number: number, line: string): Promise<boolean> {
  const commits = await githubCall(client, `list commits of #${number}`, () =>
    client.octokit.paginate(client.octokit.rest.pulls.listCommits, { owner: client.owner, repo: client.repo, pull_number: number, per_page: 100 }),
  );
  return commits.some((c) => !c.commit.message.includes(`${TRAILER}: ${line}`));
}

/** Closes open csp PRs of the same line on other branches (older change sets) unless a person pushed to them. */
async function closeSuperseded(client: GithubClient, change: LineChange, result: LinePullRequest): Promise<void> {
  const r = { owner: client.owner, repo: client.repo };
  const open = await githubCall(client, 'list pull requests', () => client.octokit.paginate(client.octokit.rest.pulls.list, { ...r, state: 'open', base: change.base, per_page: 100 }));
  for (const pull of open) {
    if (!pull.head.ref.startsWith(linePrefix(change.line)) || pull.head.ref === change.branch) continue;
    if (await touchedByPerson(client, pull.number, change.line)) {
      result.skipped.push(pull.number);
      continue;
    }
    await githubCall(client, `close #${pull.number}`, () =>
      client.octokit.rest.pulls.update({ ...r, pull_number: pull.number, state: 'closed', body: `${pull.body ?? ''}\n\nSuperseded by #${result.number} (${change.branch}).` }),
    );
    await githubCall(client, `delete ${pull.head.ref}`, () => client.octokit.rest.git.deleteRef({ ...r, ref: `heads/${pull.head.ref}` }));
    result.closed.push(pull.number);
  }
}
