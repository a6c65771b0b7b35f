/**
 * Git data (refs, trees, commits, matching-refs) and pull-request operations of the fake GitHub, with the
 * behaviour bots rely on: 422 for an existing ref or a second open PR from the same head, non-fast-forward
 * ref updates refused without `force`, `head=owner:branch` filtering and `Link` pagination of PR lists.
 */
import type { HandlerContext, HandlerResult } from './handlers.js';
import type { FakeCommit, FakePull } from './git-state.js';
import { sampleOf } from './openapi.js';
import { userJson } from './state.js';

type Handler = (ctx: HandlerContext) => HandlerResult;

const DOCS = 'https://docs.github.com/rest/git';
const notFound = (): HandlerResult => ({ status: 404, json: { message: 'Not Found', documentation_url: DOCS, status: '404' } });
const unprocessable = (message: string): HandlerResult => ({ status: 422, json: { message, documentation_url: DOCS, status: '422' } });

function repoKey(ctx: HandlerContext): string | undefined {
  const { owner, repo } = ctx.params as { owner: string; repo: string };
  return ctx.store.hasRepo(owner, repo) ? `${owner}/${repo}` : undefined;
}

function refJson(ctx: HandlerContext, repo: string, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: Buffer.from(`ref:${repo}:${ref}`).toString('base64'),
    url: `${ctx.urls.api}/repos/${repo}/git/${ref}`,
    object: { type: 'commit', sha, url: `${ctx.urls.api}/repos/${repo}/git/commits/${sha}` },
  };
}

function commitJson(ctx: HandlerContext, repo: string, c: FakeCommit): Record<string, unknown> {
  return {
    sha: c.sha,
    node_id: Buffer.from(`commit:${c.sha}`).toString('base64'),
    url: `${ctx.urls.api}/repos/${repo}/git/commits/${c.sha}`,
    html_url: `https://github.com/${repo}/commit/${c.sha}`,
    author: c.author,
    committer: c.author,
    tree: { sha: c.tree, url: `${ctx.urls.api}/repos/${repo}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({ sha: p, url: `${ctx.urls.api}/repos/${repo}/git/commits/${p}`, html_url: `https://github.com/${repo}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function pullJson(ctx: HandlerContext, p: FakePull, full: boolean): Record<string, unknown> {
  const repo = `${p.owner}/${p.repo}`;
  const refs = ctx.store.git.refsOf(repo);
  const side = (branch: string) => ({ ...sampleOf('pull-request').head as object, label: `${p.owner}:${branch}`, ref: branch, sha: refs.get(`refs/heads/${branch}`) ?? '0'.repeat(40), user: userJson(ctx.urls.api, p.owner), repo: repoJson(ctx, p.owner, p.repo) });
  const base = full ? sampleOf('pull-request') : sampleOf('pull-request-simple');
  const url = `${ctx.urls.api}/repos/${repo}/pulls/${p.number}`;
  return {
    ...base,
    url,
    id: p.id,
    number: p.number,
    html_url: `https://github.com/${repo}/pull/${p.number}`,
    state: p.state,
    title: p.title,
    body: p.body,
    draft: p.draft,
    user: userJson(ctx.urls.api, 'csp-bot'),
    labels: [],
    head: side(p.head),
    base: side(p.base),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    ...(full ? { commits: ctx.store.git.commitsBetween(refs.get(`refs/heads/${p.base}`), refs.get(`refs/heads/${p.head}`)).length } : {}),
  };
}

function repoJson(ctx: HandlerContext, owner: string, name: string): Record<string, unknown> {
  return { ...sampleOf('repository'), id: 1, name, full_name: `${owner}/${name}`, owner: userJson(ctx.urls.api, owner), private: false, default_branch: 'main', url: `${ctx.urls.api}/repos/${owner}/${name}` };
}

function pullOf(ctx: HandlerContext): FakePull | undefined {
  const repo = repoKey(ctx);
  return repo ? ctx.store.git.pulls.find((p) => `${p.owner}/${p.repo}`.toLowerCase() === repo.toLowerCase() && p.number === Number(ctx.params.pull_number)) : undefined;
}

function page<T>(ctx: HandlerContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30), 1), 100);
  const pageNo = Math.max(Number(ctx.query.get('page') ?? 1), 1);
  const headers: Record<string, string> = {};
  if (pageNo * perPage < items.length) {
    const q = new URLSearchParams(ctx.query);
    q.set('page', String(pageNo + 1));
    q.set('per_page', String(perPage));
    headers.link = `<${ctx.urls.api}${ctx.path}?${q}>; rel="next"`;
  }
  return { items: items.slice((pageNo - 1) * perPage, pageNo * perPage), headers };
}

export const gitHandlers: Record<string, Handler> = {
  'git/list-matching-refs'(ctx) {
    const repo = repoKey(ctx);
    if (!repo) return notFound();
    const prefix = `refs/${ctx.params.ref}`;
    const refs = [...ctx.store.git.refsOf(repo)].filter(([r]) => r.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
    return { status: 200, json: refs.map(([r, sha]) => refJson(ctx, repo, r, sha)) };
  },
  'git/get-ref'(ctx) {
    const repo = repoKey(ctx);
    const sha = repo ? ctx.store.git.refsOf(repo).get(`refs/${ctx.params.ref}`) : undefined;
    return sha ? { status: 200, json: refJson(ctx, repo!, `refs/${ctx.params.ref}`, sha) } : notFound();
  },
  'git/create-ref'(ctx) {
    const repo = repoKey(ctx);
    if (!repo) return notFound();
    const ref = String(ctx.json.ref);
    const sha = String(ctx.json.sha);
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) return unprocessable('Reference name is invalid');
    if (!ctx.store.git.commits.has(sha)) return unprocessable('Object does not exist');
    if (ctx.store.git.refsOf(repo).has(ref)) return unprocessable('Reference already exists');
    ctx.store.git.refsOf(repo).set(ref, sha);
    return { status: 201, json: refJson(ctx, repo, ref, sha) };
  },
  'git/update-ref'(ctx) {
    const repo = repoKey(ctx);
    const ref = `refs/${ctx.params.ref}`;
    const refs = repo ? ctx.store.git.refsOf(repo) : undefined;
    const old = refs?.get(ref);
    if (!repo || !old) return unprocessable('Reference does not exist');
    const sha = String(ctx.json.sha);
    if (!ctx.store.git.commits.has(sha)) return unprocessable('Object does not exist');
    const fastForward = ctx.store.git.commitsBetween(old, sha).at(-1)?.parents[0] === old || old === sha;
    if (!fastForward && ctx.json.force !== true) return unprocessable('Update is not a fast forward');
    refs!.set(ref, sha);
    return { status: 200, json: refJson(ctx, repo, ref, sha) };
  },
  'git/delete-ref'(ctx) {
    const repo = repoKey(ctx);
    const refs = repo ? ctx.store.git.refsOf(repo) : undefined;
    if (!refs?.delete(`refs/${ctx.params.ref}`)) return unprocessable('Reference does not exist');
    return { status: 204 };
  },
  'git/get-commit'(ctx) {
    const repo = repoKey(ctx);
    const c = repo ? ctx.store.git.commits.get(ctx.params.commit_sha!) : undefined;
    return c ? { status: 200, json: commitJson(ctx, repo!, c) } : notFound();
  },
  'git/create-tree'(ctx) {
    const repo = repoKey(ctx);
    if (!repo) return notFound();
    const git = ctx.store.git;
    const base = ctx.json.base_tree ? git.trees.get(String(ctx.json.base_tree)) : new Map<string, string>();
    if (!base) return unprocessable('base_tree is not a tree');
    const entries = new Map(base);
    for (const e of ctx.json.tree as { path: string; sha?: string | null; content?: string }[]) {
      if (e.content !== undefined) entries.set(e.path, git.putBlob(Buffer.from(e.content)));
      else if (e.sha === null) entries.delete(e.path);
      else if (e.sha && git.blobs.has(e.sha)) entries.set(e.path, e.sha);
      else return unprocessable(`tree.sha ${e.sha} is not a valid blob`);
    }
    const sha = git.putTree(entries);
    const tree = [...entries].map(([p, blob]) => ({ path: p, mode: '100644', type: 'blob', sha: blob, size: git.blobs.get(blob)!.length, url: `${ctx.urls.api}/repos/${repo}/git/blobs/${blob}` }));
    return { status: 201, json: { sha, url: `${ctx.urls.api}/repos/${repo}/git/trees/${sha}`, truncated: false, tree } };
  },
  'git/create-commit'(ctx) {
    const repo = repoKey(ctx);
    if (!repo) return notFound();
    const tree = String(ctx.json.tree);
    const parents = (ctx.json.parents as string[] | undefined) ?? [];
    if (!ctx.store.git.trees.has(tree) || parents.some((p) => !ctx.store.git.commits.has(p))) return unprocessable('Tree or parent does not exist');
    const author = (ctx.json.author as FakeCommit['author'] | undefined) ?? { name: 'csp', email: 'csp@users.noreply.github.com', date: ctx.store.now() };
    const commit = ctx.store.git.putCommit({ tree, parents, message: String(ctx.json.message), author: { ...author, date: author.date ?? ctx.store.now() } });
    return { status: 201, json: commitJson(ctx, repo, commit) };
  },
  'pulls/list'(ctx) {
    const repo = repoKey(ctx);
    if (!repo) return notFound();
    const state = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head');
    const base = ctx.query.get('base');
    const pulls = ctx.store.git.pulls
      .filter((p) => `${p.owner}/${p.repo}`.toLowerCase() === repo.toLowerCase())
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => !head || `${p.owner}:${p.head}` === head)
      .filter((p) => !base || p.base === base)
      .sort((a, b) => b.number - a.number);
    const { items, headers } = page(ctx, pulls);
    return { status: 200, json: items.map((p) => pullJson(ctx, p, false)), headers };
  },
  'pulls/create'(ctx) {
    const repo = repoKey(ctx);
    if (!repo) return notFound();
    const [owner, name] = repo.split('/') as [string, string];
    const head = String(ctx.json.head).replace(/^[^:]+:/, '');
    const base = String(ctx.json.base);
    const refs = ctx.store.git.refsOf(repo);
    if (!refs.has(`refs/heads/${head}`) || !refs.has(`refs/heads/${base}`)) return unprocessable('Validation Failed: head or base does not exist');
    if (ctx.store.git.pulls.some((p) => p.state === 'open' && p.head === head && `${p.owner}/${p.repo}`.toLowerCase() === repo.toLowerCase())) {
      return { status: 422, json: { message: 'Validation Failed', documentation_url: DOCS, status: '422', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }] } };
    }
    const now = ctx.store.now();
    const pull = ctx.store.git.addPull({ owner, repo: name, title: String(ctx.json.title), body: typeof ctx.json.body === 'string' ? ctx.json.body : null, state: 'open', draft: ctx.json.draft === true, head, base, createdAt: now, updatedAt: now });
    return { status: 201, json: pullJson(ctx, pull, true), headers: { location: `${ctx.urls.api}/repos/${repo}/pulls/${pull.number}` } };
  },
  'pulls/update'(ctx) {
    const pull = pullOf(ctx);
    if (!pull) return notFound();
    if (typeof ctx.json.title === 'string') pull.title = ctx.json.title;
    if (typeof ctx.json.body === 'string') pull.body = ctx.json.body;
    if (ctx.json.state === 'closed' && pull.state === 'open') {
      pull.state = 'closed';
      pull.closedAt = ctx.store.now();
    } else if (ctx.json.state === 'open') pull.state = 'open';
    pull.updatedAt = ctx.store.now();
    return { status: 200, json: pullJson(ctx, pull, true) };
  },
  'pulls/list-commits'(ctx) {
    const pull = pullOf(ctx);
    if (!pull) return notFound();
    const repo = `${pull.owner}/${pull.repo}`;
    const refs = ctx.store.git.refsOf(repo);
    const commits = ctx.store.git.commitsBetween(refs.get(`refs/heads/${pull.base}`), refs.get(`refs/heads/${pull.head}`)).reverse();
    const { items, headers } = page(ctx, commits);
    return {
      status: 200,
      headers,
      json: items.map((c) => ({
        ...sampleOf('commit'),
        sha: c.sha,
        node_id: Buffer.from(`commit:${c.sha}`).toString('base64'),
        url: `${ctx.urls.api}/repos/${repo}/commits/${c.sha}`,
        html_url: `https://github.com/${repo}/commit/${c.sha}`,
        comments_url: `${ctx.urls.api}/repos/${repo}/commits/${c.sha}/comments`,
        commit: { ...(sampleOf('commit').commit as object), message: c.message, author: c.author, committer: c.author, tree: { sha: c.tree, url: `${ctx.urls.api}/repos/${repo}/git/trees/${c.tree}` }, url: `${ctx.urls.api}/repos/${repo}/git/commits/${c.sha}`, comment_count: 0 },
        author: null,
        committer: null,
        parents: c.parents.map((p) => ({ sha: p, url: `${ctx.urls.api}/repos/${repo}/commits/${p}` })),
      })),
    };
  },
};
