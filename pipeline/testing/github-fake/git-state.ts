/**
 * Git objects and pull requests of the fake GitHub (git data API and pulls): blobs, trees as flat path
 * maps, commits, refs, and pull requests with their commits, enough for a bot's branch-and-PR flow.
 */
import { createHash } from 'node:crypto';

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
}

export interface FakePull {
  number: number;
  id: number;
  owner: string;
  repo: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** Per repository (`owner/repo`, lower case): objects, refs and pulls. */
export class FakeGit {
  readonly blobs = new Map<string, Buffer>();
  /** Tree sha → path → blob sha. */
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, FakeCommit>();
  /** `owner/repo` → ref (refs/heads/main) → commit sha. */
  readonly refs = new Map<string, Map<string, string>>();
  readonly pulls: FakePull[] = [];
  private nextNumber = 1;

  refsOf(repo: string): Map<string, string> {
    const key = repo.toLowerCase();
    let refs = this.refs.get(key);
    if (!refs) this.refs.set(key, (refs = new Map()));
    return refs;
  }

  putBlob(bytes: Buffer): string {
    const sha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    this.blobs.set(sha, bytes);
    return sha;
  }

  putTree(entries: Map<string, string>): string {
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
    const sha = createHash('sha1').update(`tree ${JSON.stringify(sorted)}`).digest('hex');
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  putCommit(fields: Omit<FakeCommit, 'sha'>): FakeCommit {
    const sha = createHash('sha1').update(`commit ${JSON.stringify(fields)}`).digest('hex');
    const commit = { sha, ...fields };
    this.commits.set(sha, commit);
    return commit;
  }

  /** Seeds `refs/heads/<branch>` of `repo` with one commit holding `files`. */
  seedBranch(repo: string, branch: string, files: Record<string, string>, message = 'initial commit'): FakeCommit {
    const tree = this.putTree(new Map(Object.entries(files).map(([p, text]) => [p, this.putBlob(Buffer.from(text))])));
    const parent = this.refsOf(repo).get(`refs/heads/${branch}`);
    const commit = this.putCommit({ tree, parents: parent ? [parent] : [], message, author: { name: 'A Person', email: 'person@example.org', date: '2026-01-01T00:00:00Z' } });
    this.refsOf(repo).set(`refs/heads/${branch}`, commit.sha);
    return commit;
  }

  /** File text at `branch` of `repo`, or undefined. */
  fileAt(repo: string, branch: string, file: string): string | undefined {
    const sha = this.refsOf(repo).get(`refs/heads/${branch}`);
    const tree = sha ? this.trees.get(this.commits.get(sha)!.tree) : undefined;
    const blob = tree?.get(file);
    return blob ? this.blobs.get(blob)!.toString('utf8') : undefined;
  }

  /** Commits reachable from `head` but not from `base` (newest first), as a pull request lists them. */
  commitsBetween(base: string | undefined, head: string | undefined): FakeCommit[] {
    const stop = new Set<string>();
    for (let sha = base; sha; sha = this.commits.get(sha)?.parents[0]) stop.add(sha);
    const out: FakeCommit[] = [];
    for (let sha = head; sha && !stop.has(sha); sha = this.commits.get(sha)?.parents[0]) out.push(this.commits.get(sha)!);
    return out;
  }

  addPull(fields: Omit<FakePull, 'number' | 'id' | 'closedAt'>): FakePull {
    const number = this.nextNumber++;
    const pull: FakePull = { number, id: 5000 + number, closedAt: null, ...fields };
    this.pulls.push(pull);
    return pull;
  }
}
