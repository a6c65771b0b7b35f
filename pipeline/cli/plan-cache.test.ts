import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOutputDir } from '../core/paths.js';
import { chartsDir, repoRoot } from '../testing/paths.js';
import { installRoots, lookupPlan, planCacheDir, RACY_MS, snapshotInputs, storePlan, type PlanAnswer } from './plan-cache.js';

/** A repository with one copy of stacks/docker/scs, its charts in the default chart cache and an empty ledger. */
function makeRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-plan-cache-'));
  fs.cpSync(path.join(repoRoot, 'stacks/docker/scs'), path.join(root, 'stacks/docker/scs'), { recursive: true });
  for (const [name, version] of [['cilium', '1.17.4'], ['metrics-server', '3.12.2']]) {
    fs.mkdirSync(path.join(root, '.csp-cache/charts/by-name', name), { recursive: true });
    fs.copyFileSync(path.join(chartsDir, `${name}-${version}.tgz`), path.join(root, '.csp-cache/charts/by-name', name, `${version}.tgz`));
  }
  fs.mkdirSync(path.join(root, 'releases'));
  return root;
}

/** Runs `csp ARGV` in-process (which stores the answer) and returns the printed lines in order. */
async function coldRun(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<PlanAnswer> {
  const writes: PlanAnswer['writes'] = [];
  const { main } = await import('./main.js');
  const code = await main(argv, { cwd, env, out: (t) => writes.push([1, t]), err: (t) => writes.push([2, t]) });
  return { writes, code };
}

const append = (file: string, text: string) => (root: string) => fs.appendFileSync(path.join(root, file), text);

describe('plan cache', () => {
  let root: string;
  beforeAll(() => {
    root = makeRepo();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores a plan, and its hit is exactly what the cold run printed (text and --json)', async () => {
    for (const argv of [['plan'], ['plan', '--json'], ['plan', 'stacks/docker/scs', '--k8s', '1.32']]) {
      const cold = await coldRun(argv, root);
      expect(cold.writes.length).toBeGreaterThan(0);
      expect(await lookupPlan(argv, root, {})).toEqual(cold);
    }
    expect(isOutputDir(planCacheDir(root))).toBe(true);
  });

  it.each<[string, (root: string) => void]>([
    ['a stack file edited', append('stacks/docker/scs/csctl.yaml', '\n# edited\n')],
    ['addon values edited', append('stacks/docker/scs/cluster-addon/metrics-server/values.yaml', '\n# edited\n')],
    ['a Chart.yaml edited', append('stacks/docker/scs/cluster-class/Chart.yaml', '\n# edited\n')],
    ['versions.yaml edited', append('stacks/docker/scs/versions.yaml', '\n# edited\n')],
    ['a chart-cache archive replaced', (r) => fs.copyFileSync(path.join(chartsDir, 'metrics-server-3.12.2.tgz'), path.join(r, '.csp-cache/charts/by-name/cilium/1.17.4.tgz'))],
    ['a chart-cache archive added', (r) => fs.copyFileSync(path.join(chartsDir, 'metrics-server-3.12.2.tgz'), path.join(r, '.csp-cache/charts/by-name/metrics-server/9.9.9.tgz'))],
    ['a file added to a stack', (r) => fs.writeFileSync(path.join(r, 'stacks/docker/scs/cluster-class/templates/extra.yaml'), 'kind: ConfigMap\n')],
    ['a file removed from a stack', (r) => fs.rmSync(path.join(r, 'stacks/docker/scs/README.md'))],
    ['an empty folder added', (r) => fs.mkdirSync(path.join(r, 'stacks/docker/scs/cluster-addon/empty'))],
    ['a stack added', (r) => fs.cpSync(path.join(repoRoot, 'stacks/docker/scs'), path.join(r, 'stacks/docker/scs2'), { recursive: true })],
    ['a stack removed', (r) => fs.rmSync(path.join(r, 'stacks/docker/scs2'), { recursive: true })],
    ['a file added to the ledger', (r) => fs.writeFileSync(path.join(r, 'releases/NOTES.md'), 'notes\n')],
    ['a ledger file edited', append('releases/NOTES.md', 'more\n')],
    ['a ledger file removed', (r) => fs.rmSync(path.join(r, 'releases/NOTES.md'))],
    ['the ledger folder removed', (r) => fs.rmSync(path.join(r, 'releases'), { recursive: true })],
    ['the ledger folder created', (r) => fs.mkdirSync(path.join(r, 'releases'))],
    ['a file touched (same bytes, new mtime)', (r) => fs.utimesSync(path.join(r, 'stacks/docker/scs/stack.yaml'), new Date(), new Date(Date.now() - 86_400_000))],
    [
      'same-size edit with its mtime put back (ctime moves)',
      (r) => {
        const file = path.join(r, 'stacks/docker/scs/csctl.yaml');
        const st = fs.statSync(file);
        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, text.replace(/scs/, 'scz'));
        fs.utimesSync(file, st.atime, st.mtime);
      },
    ],
    [
      'a file replaced by another with the same size and times (new inode)',
      (r) => {
        const file = path.join(r, 'stacks/docker/scs/versions.yaml');
        const st = fs.statSync(file);
        fs.writeFileSync(`${file}.new`, fs.readFileSync(file));
        fs.utimesSync(`${file}.new`, st.atime, st.mtime);
        fs.renameSync(`${file}.new`, file);
      },
    ],
  ])('%s: a miss, and the next cold run is stored and hits', async (_name, change) => {
    const before = await coldRun(['plan', '--json'], root);
    expect(await lookupPlan(['plan', '--json'], root, {})).toEqual(before);
    change(root);
    expect(await lookupPlan(['plan', '--json'], root, {})).toBeUndefined();
    const after = await coldRun(['plan', '--json'], root);
    expect(await lookupPlan(['plan', '--json'], root, {})).toEqual(after);
  });

  it('a plan that fails is not stored', async () => {
    fs.rmSync(planCacheDir(root), { recursive: true, force: true });
    const failed = await coldRun(['plan', '--mode', 'bogus'], root);
    expect(failed.code).toBe(1);
    expect(await lookupPlan(['plan', '--mode', 'bogus'], root, {})).toBeUndefined();
    expect(fs.existsSync(planCacheDir(root))).toBe(false);
  });

  it.each<[string, string[], Record<string, string>, (root: string) => string]>([
    ['another option', ['plan', '--mode', 'hash'], {}, (r) => r],
    ['another stack argument spelling', ['plan', './stacks/docker/scs'], {}, (r) => r],
    ['a CSP_LIMIT_ variable', ['plan'], { CSP_LIMIT_FILE_BYTES: '123456789' }, (r) => r],
    ['GITHUB_ACTIONS (annotations)', ['plan'], { GITHUB_ACTIONS: 'true' }, (r) => r],
    ['a token (redaction)', ['plan'], { GITHUB_TOKEN: 'ghp_x' }, (r) => r],
    ['another working folder', ['plan'], {}, (r) => path.join(r, 'stacks')],
  ])('%s is another key: a miss', async (_name, argv, env, cwdOf) => {
    await coldRun(['plan'], root);
    expect(await lookupPlan(['plan'], root, {})).toBeDefined();
    expect(await lookupPlan(argv, cwdOf(root), env)).toBeUndefined();
  });

  it('never writes a secret into the cache', async () => {
    await coldRun(['plan'], root, { GITHUB_TOKEN: 'ghp_secretvalue123', OCI_PASSWORD: 'hunter2hunter2' });
    expect(await lookupPlan(['plan'], root, { GITHUB_TOKEN: 'ghp_secretvalue123', OCI_PASSWORD: 'hunter2hunter2' })).toBeDefined();
    expect(await lookupPlan(['plan'], root, { GITHUB_TOKEN: 'ghp_other', OCI_PASSWORD: 'hunter2hunter2' })).toBeUndefined();
    for (const f of fs.readdirSync(planCacheDir(root))) {
      const text = fs.readFileSync(path.join(planCacheDir(root), f), 'utf8');
      expect(text).not.toContain('ghp_secretvalue123');
      expect(text).not.toContain('hunter2hunter2');
    }
  });

  it.each<[string, (text: string) => string]>([
    ['garbage', () => 'not json {'],
    ['truncated', (t) => t.slice(0, t.length / 2)],
    ['empty', () => ''],
    ['another format', (t) => t.replaceAll('csp-plan-cache/2', 'csp-plan-cache/0')],
    ['a listing of the wrong shape', (t) => JSON.stringify({ ...JSON.parse(t), listings: { '/x': ['s', ['a'], ''] } })],
    ['a relative root', (t) => JSON.stringify({ ...JSON.parse(t), roots: ['stacks'] })],
    ['a bad write', (t) => JSON.stringify({ ...JSON.parse(t), writes: [[3, 'x']] })],
    ['a non-integer exit code', (t) => JSON.stringify({ ...JSON.parse(t), code: 'x' })],
    ['another key', (t) => JSON.stringify({ ...JSON.parse(t), key: 'other' })],
    ['another fingerprint', (t) => JSON.stringify({ ...JSON.parse(t), fingerprint: { ...JSON.parse(t).fingerprint, stats: 'AAAA' } })],
    ['a wrong content digest for a racy file', (t) => {
      const e = JSON.parse(t);
      return JSON.stringify({ ...e, racy: { [path.join(root, 'stacks/docker/scs/csctl.yaml')]: '0'.repeat(64) } });
    }],
  ])('a cache file that is %s is a miss', async (_name, corrupt) => {
    fs.rmSync(planCacheDir(root), { recursive: true, force: true });
    await coldRun(['plan'], root);
    expect(await lookupPlan(['plan'], root, {})).toBeDefined();
    const dir = planCacheDir(root);
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const file = path.join(dir, f);
      fs.writeFileSync(file, corrupt(fs.readFileSync(file, 'utf8')));
    }
    expect(await lookupPlan(['plan'], root, {})).toBeUndefined();
  });

  it('is not written with --previous-from, --verbose or without .csp-cache/', async () => {
    fs.rmSync(planCacheDir(root), { recursive: true, force: true });
    await coldRun(['plan', '--verbose'], root);
    await coldRun(['plan', '--previous-from', 'oci://127.0.0.1:1/none'], root);
    expect(fs.existsSync(planCacheDir(root))).toBe(false);
    const bare = makeRepo();
    try {
      fs.rmSync(path.join(bare, '.csp-cache'), { recursive: true });
      await coldRun(['plan'], bare);
      expect(fs.existsSync(path.join(bare, '.csp-cache'))).toBe(false);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('does not cache a stack holding a link (its target could change unseen)', async () => {
    const linked = makeRepo();
    try {
      fs.symlinkSync(path.join(linked, 'stacks/docker/scs/README.md'), path.join(linked, 'stacks/docker/scs/LINK.md'));
      expect(await snapshotInputs([path.join(linked, 'stacks')], linked)).toBeUndefined();
      await coldRun(['plan'], linked);
      expect(await lookupPlan(['plan'], linked, {})).toBeUndefined();
    } finally {
      fs.rmSync(linked, { recursive: true, force: true });
    }
  });

  it('checks files changed within RACY_MS by content, and trusts their stat once they are old', async () => {
    const file = path.join(root, 'stacks/docker/scs/stack.yaml');
    fs.appendFileSync(file, '\n');
    const now = Date.now();
    const young = await snapshotInputs([path.join(root, 'stacks')], root, now);
    expect(Object.keys(young?.racy ?? {})).toEqual([file]);
    const old = await snapshotInputs([path.join(root, 'stacks')], root, now + RACY_MS + 1000);
    expect(old?.racy).toEqual({});
    // A hit after RACY_MS drops the checked racy files from the entry.
    const answer: PlanAnswer = { writes: [[1, 'x']], code: 0 };
    expect(await storePlan(['plan', 'racy'], root, {}, young!, answer)).toBe(true);
    expect(await lookupPlan(['plan', 'racy'], root, {}, now)).toEqual(answer);
    const racyOf = () =>
      fs.readdirSync(planCacheDir(root)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(planCacheDir(root), f), 'utf8')) as { key: string; racy: object }).find((e) => e.key.includes('"racy"'))?.racy;
    expect(Object.keys(racyOf() ?? {})).toEqual([file]);
    expect(await lookupPlan(['plan', 'racy'], root, {}, now + RACY_MS + 1000)).toEqual(answer);
    expect(racyOf()).toEqual({});
  });

  it.each<[string, (file: string) => void]>([
    ['a same-size edit with its mtime put back (ctime)', (file) => {
      const st = fs.statSync(file);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/scs/, 'scz'));
      fs.utimesSync(file, st.atime, st.mtime);
    }],
    ['a same-size, same-times replacement (inode)', (file) => {
      const st = fs.statSync(file);
      fs.writeFileSync(`${file}.new`, fs.readFileSync(file, 'utf8').replace(/scs/, 'scz'));
      fs.utimesSync(`${file}.new`, st.atime, st.mtime);
      fs.renameSync(`${file}.new`, file);
    }],
    ['a file added beside it (the folder listing is read again)', (file) => fs.writeFileSync(path.join(path.dirname(file), 'new.yaml'), 'a: 1\n')],
    ['a file renamed beside it', (file) => fs.renameSync(path.join(path.dirname(file), 'stack.yaml'), path.join(path.dirname(file), 'stack2.yaml'))],
    ['a folder removed below it', (file) => fs.rmSync(path.join(path.dirname(file), 'cluster-addon/cni'), { recursive: true })],
    ['a file replaced by a folder', (file) => {
      fs.rmSync(path.join(path.dirname(file), 'clusteraddon.yaml'));
      fs.mkdirSync(path.join(path.dirname(file), 'clusteraddon.yaml'));
    }],
  ])('by stat alone (no racy file to check by content): %s is a miss', async (_name, change) => {
    const later = Date.now() + RACY_MS + 1000;
    const snapshot = await snapshotInputs([path.join(root, 'stacks')], root, later);
    expect(snapshot?.racy).toEqual({});
    expect(Object.keys(snapshot?.listings ?? {})).toContain(path.join(root, 'stacks/docker/scs'));
    const answer: PlanAnswer = { writes: [[1, 'stat']], code: 0 };
    await storePlan(['plan', 'stat'], root, {}, snapshot!, answer);
    expect(await lookupPlan(['plan', 'stat'], root, {}, later)).toEqual(answer);
    change(path.join(root, 'stacks/docker/scs/csctl.yaml'));
    expect(await lookupPlan(['plan', 'stat'], root, {}, later)).toBeUndefined();
  });

  it('learns the listings of folders young at the snapshot once they are old, and still sees a change after that', async () => {
    const now = Date.now();
    fs.writeFileSync(path.join(root, 'stacks/docker/scs/young.yaml'), 'a: 1\n');
    const snapshot = await snapshotInputs([path.join(root, 'stacks')], root, now);
    const scs = path.join(root, 'stacks/docker/scs');
    expect(Object.keys(snapshot!.listings)).not.toContain(scs);
    const answer: PlanAnswer = { writes: [[1, 'learn']], code: 0 };
    await storePlan(['plan', 'learn'], root, {}, snapshot!, answer);
    const listingsOf = () =>
      fs.readdirSync(planCacheDir(root)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(planCacheDir(root), f), 'utf8')) as { key: string; listings: object }).find((e) => e.key.includes('"learn"'))?.listings;
    const later = now + RACY_MS + 1000;
    expect(await lookupPlan(['plan', 'learn'], root, {}, later)).toEqual(answer);
    expect(Object.keys(listingsOf() ?? {})).toContain(scs);
    expect(await lookupPlan(['plan', 'learn'], root, {}, later)).toEqual(answer);
    fs.rmSync(path.join(root, 'stacks/docker/scs/young.yaml'));
    expect(await lookupPlan(['plan', 'learn'], root, {}, later)).toBeUndefined();
  });

  it('keeps at most MAX_ENTRIES answers', async () => {
    const snapshot = await snapshotInputs([path.join(root, 'releases')], root);
    for (let i = 0; i < 20; i += 1) await storePlan(['plan', `n${i}`], root, {}, snapshot!, { writes: [], code: 0 });
    expect(fs.readdirSync(planCacheDir(root)).filter((f) => f.endsWith('.json')).length).toBeLessThanOrEqual(16);
  });

  it("fingerprints csp's own files (package.json, bin, dist, schemas, dependency lock)", () => {
    expect(installRoots()).toEqual(['package.json', 'bin', 'dist', 'schemas', 'node_modules/.package-lock.json'].map((p) => path.join(repoRoot, p)));
  });
});
