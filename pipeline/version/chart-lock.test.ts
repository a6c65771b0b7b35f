import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { helmLockDigest, lockDigestOf } from './chart-lock.js';

// Chart.lock files written by real `helm dependency update` in the SCS stacks are the oracle.
const helmWritten = ['openstack/scs/cluster-addon/ccm', 'openstack/scs/cluster-addon/csi', 'openstack/scs/cluster-addon/cni', 'openstack/scs/cluster-addon/metrics-server', 'docker/scs/cluster-addon/cni', 'docker/scs/cluster-addon/metrics-server'];

describe('helmLockDigest', () => {
  it.each(helmWritten)('matches the digest helm wrote in %s/Chart.lock', async (dir) => {
    const chart = await fs.readFile(path.join(scsStacksDir, dir, 'Chart.yaml'), 'utf8');
    const lock = await fs.readFile(path.join(scsStacksDir, dir, 'Chart.lock'), 'utf8');
    expect(lockDigestOf(chart, lock)).toBe((parse(lock) as { digest: string }).digest);
  });

  it('matches the lock of the repository stack', async () => {
    const dir = path.join(repoRoot, 'stacks/docker/scs/cluster-addon/cni');
    const lock = await fs.readFile(path.join(dir, 'Chart.lock'), 'utf8');
    expect(lockDigestOf(await fs.readFile(path.join(dir, 'Chart.yaml'), 'utf8'), lock)).toBe((parse(lock) as { digest: string }).digest);
  });

  it.each<[string, object[], object[]]>([
    ['version changes the digest', [{ name: 'a', version: '1.0.1', repository: 'r' }], [{ name: 'a', version: '1.0.1', repository: 'r' }]],
    ['HTML characters are escaped as Go does', [{ name: 'a', version: '>=1.0.0 <2.0.0', repository: 'r' }], [{ name: 'a', version: '1.5.0', repository: 'r' }]],
  ])('%s', (_name, req, locked) => {
    const base = helmLockDigest([{ name: 'a', version: '1.0.0', repository: 'r' }], [{ name: 'a', version: '1.0.0', repository: 'r' }]);
    expect(helmLockDigest(req, locked)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(helmLockDigest(req, locked)).not.toBe(base);
  });

  it('is undefined without dependency lists', () => {
    expect(lockDigestOf('name: x\n', 'dependencies: []\n')).toBeUndefined();
    expect(lockDigestOf('dependencies: [\n', 'x')).toBeUndefined();
  });
});
