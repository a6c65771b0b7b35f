import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerIndex, ReleaseRecord } from '../ledger/index.js';
import { parseReleaseName } from '../version/index.js';
import { computeStackHashes } from '../version/index.js';
import { indexByInput, readRawStack, unchangedFromLedger, type RawStack } from './fast-path.js';

const rec = (name: string, kubernetesVersion: string, over: Partial<ReleaseRecord> = {}): ReleaseRecord => ({
  apiVersion: 'csp.scs.community/v1alpha1',
  kind: 'ClusterStackRelease',
  name,
  provider: 'docker',
  stack: 'scs',
  kubernetesVersion,
  mode: 'stable',
  channel: 'stable',
  versions: { clusterStack: 'v2', clusterAddon: 'v1', nodeImage: 'v1' },
  hashes: { clusterStack: 'h', clusterAddonDir: 'a' },
  files: [],
  input: { hash: 'raw1', targets: ['1.31.9', '1.32.5'] },
  ...over,
});

function ledgerOf(records: ReleaseRecord[]): { index: LedgerIndex; byInput: ReturnType<typeof indexByInput> } {
  const index: LedgerIndex = { dir: '/releases', issues: [], entries: records.map((r) => ({ file: `/releases/${r.name}.yaml`, name: r.name, parsed: parseReleaseName(r.name) ?? (() => { throw new Error(r.name); })() })) };
  return { index, byInput: indexByInput(new Map(records.map((r) => [r.name, r]))) };
}

const raw = (hash: string, plain = true): RawStack => ({ files: new Map(), hash, plain });
const both = [rec('docker-scs-1-31-v2', 'v1.31.9'), rec('docker-scs-1-32-v2', 'v1.32.5')];

describe('unchangedFromLedger', () => {
  it.each<[string, RawStack, ReleaseRecord[], { mode?: 'stable' | 'hash' | 'custom'; k8s?: string }, string[] | undefined]>([
    ['every target recorded from the same input', raw('raw1'), both, {}, ['docker-scs-1-31-v2', 'docker-scs-1-32-v2']],
    ['the folder changed', raw('raw2'), both, {}, undefined],
    ['a link in the folder: let the full plan report it', raw('raw1', false), both, {}, undefined],
    ['one target never built', raw('raw1'), [both[1] as ReleaseRecord], {}, undefined],
    ['only the built target asked for', raw('raw1'), [both[1] as ReleaseRecord], { k8s: '1.32' }, ['docker-scs-1-32-v2']],
    ['a later release exists from other content', raw('raw1'), [...both, rec('docker-scs-1-32-v3', 'v1.32.5', { input: { hash: 'raw9', targets: ['1.32.5'] } })], {}, undefined],
    ['other mode', raw('raw1'), both, { mode: 'hash' }, undefined],
    ['custom mode always plans fully', raw('raw1'), both, { mode: 'custom' }, undefined],
    ['records without input', raw('raw1'), both.map((r) => ({ ...r, input: undefined })), {}, undefined],
  ])('%s', (_name, stack, records, opts, expected) => {
    const { index, byInput } = ledgerOf(records);
    const plans = unchangedFromLedger({ raw: stack, stackDir: '/s', display: 's', mode: opts.mode ?? 'stable', k8s: opts.k8s, index, byInput });
    expect(plans?.map((p) => p.releaseName)).toEqual(expected);
    for (const p of plans ?? []) expect(p).toMatchObject({ action: 'none', versions: { clusterStack: 'v2' }, unchanged: ['clusterClass', 'clusterAddon', 'nodeImage', 'stack'] });
  });
});

describe('readRawStack', () => {
  it('hashes a folder exactly as csctl hashes the whole stack', async () => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'csp-raw-')), 'stack');
    await fs.mkdir(path.join(dir, 'cluster-class/templates'), { recursive: true });
    await fs.writeFile(path.join(dir, 'cluster-class/templates/a.yaml'), 'a');
    await fs.writeFile(path.join(dir, '.hidden'), 'h');
    await fs.writeFile(path.join(dir, 'Z'), 'z');
    const got = await readRawStack(dir);
    expect(got.plain).toBe(true);
    expect(got.hash).toBe((await computeStackHashes(dir)).clusterStack);
    expect([...got.files.keys()]).toEqual(['.hidden', 'Z', 'cluster-class/templates/a.yaml']);
    await fs.symlink('Z', path.join(dir, 'link'));
    expect((await readRawStack(dir)).plain).toBe(false);
    await fs.rm(path.dirname(dir), { recursive: true });
  });
});
