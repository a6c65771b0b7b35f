import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/paths.js';
import { fingerprint, matchesFingerprint, type Listing } from './plan-fingerprint.js';

/** Differential: the in-place check agrees with comparing a freshly built fingerprint, for every kind of change. */
describe('matchesFingerprint == comparing fingerprints', () => {
  let root: string;
  let roots: string[];
  const skip = () => path.join(root, '.csp-cache/plan');
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-fingerprint-'));
    fs.cpSync(path.join(repoRoot, 'stacks/docker/scs'), path.join(root, 'stacks/docker/scs'), { recursive: true });
    fs.mkdirSync(path.join(root, '.csp-cache/plan'), { recursive: true });
    fs.writeFileSync(path.join(root, 'lock.json'), '{}\n');
    roots = [path.join(root, 'stacks'), path.join(root, 'releases'), path.join(root, 'lock.json'), root];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each<[string, (r: string) => void, boolean]>([
    ['nothing', () => undefined, true],
    ['a file in the plan cache folder (skipped)', (r) => fs.writeFileSync(path.join(r, '.csp-cache/plan/x.json'), '{}'), true],
    ['a file edited', (r) => fs.appendFileSync(path.join(r, 'stacks/docker/scs/csctl.yaml'), '#\n'), false],
    ['a file added', (r) => fs.writeFileSync(path.join(r, 'stacks/docker/scs/new.yaml'), ''), false],
    ['a file removed', (r) => fs.rmSync(path.join(r, 'stacks/docker/scs/README.md')), false],
    ['a folder removed', (r) => fs.rmSync(path.join(r, 'stacks/docker/scs/cluster-addon'), { recursive: true }), false],
    ['a file root edited', (r) => fs.appendFileSync(path.join(r, 'lock.json'), ' '), false],
    ['a missing root created', (r) => fs.mkdirSync(path.join(r, 'releases')), false],
    ['a file root removed', (r) => fs.rmSync(path.join(r, 'lock.json')), false],
    ['a file replaced by a folder', (r) => {
      fs.rmSync(path.join(r, 'stacks/docker/scs/stack.yaml'));
      fs.mkdirSync(path.join(r, 'stacks/docker/scs/stack.yaml'));
    }, false],
  ])('%s', (_name, change, same) => {
    const listings: Record<string, Listing> = {};
    const expected = fingerprint(roots, { skip: skip(), onListing: (dir, _st, listing) => (listings[dir] = listing) });
    expect(expected).toBeDefined();
    change(root);
    const fresh = fingerprint(roots, { skip: skip() });
    const equal = fresh?.paths === expected!.paths && fresh.stats === expected!.stats;
    expect(equal).toBe(same);
    expect(matchesFingerprint(roots, expected!, { skip: skip(), listings })).toBe(same);
    // Without recorded listings it may not decide (the caller then compares a full fingerprint), never wrongly.
    expect([undefined, same]).toContain(matchesFingerprint(roots, expected!, { skip: skip(), listings: {} }));
    if (same) expect(matchesFingerprint(roots, expected!, { skip: skip(), listings: {} })).toBeUndefined();
  });
});
