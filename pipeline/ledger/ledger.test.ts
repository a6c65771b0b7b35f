import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ValidationFailed } from '../core/errors.js';
import { parseReleaseName } from '../version/index.js';
import { addPublication, compareRecord, latestInLine, loadLedgerIndex, readRecord, readRecordOrThrow, serializeRecord, writeRecord, type LedgerIndex } from './ledger.js';
import type { ReleaseRecord } from './record.js';

function indexOf(names: string[]): LedgerIndex {
  return { dir: '/l', issues: [], entries: names.map((name) => ({ file: `/l/${name}.yaml`, name, parsed: parseReleaseName(name) ?? (() => { throw new Error(name); })() })) };
}

describe('latestInLine', () => {
  const line = { provider: 'docker', stack: 'scs', major: 1, minor: 32, channel: 'stable' };
  it.each<[string, string[], Partial<typeof line>, string | undefined]>([
    ['empty ledger', [], {}, undefined],
    ['v10 beats v9 (integer major)', ['docker-scs-1-32-v9', 'docker-scs-1-32-v10', 'docker-scs-1-32-v2'], {}, 'docker-scs-1-32-v10'],
    ['other minor ignored', ['docker-scs-1-31-v5', 'docker-scs-1-32-v1'], {}, 'docker-scs-1-32-v1'],
    ['other stack and provider ignored', ['docker-other-1-32-v7', 'openstack-scs-1-32-v8', 'docker-scs-1-32-v3'], {}, 'docker-scs-1-32-v3'],
    ['channels do not mix', ['docker-scs-1-32-v0-sha-abcdefg', 'docker-scs-1-32-v1'], {}, 'docker-scs-1-32-v1'],
    ['hash channel', ['docker-scs-1-32-v0-sha-abcdefg', 'docker-scs-1-32-v1'], { channel: 'sha' }, 'docker-scs-1-32-v0-sha-abcdefg'],
    ['patch compares as a string, as CSO does', ['docker-scs-1-32-v0-beta-10', 'docker-scs-1-32-v0-beta-9'], { channel: 'beta' }, 'docker-scs-1-32-v0-beta-9'],
  ])('%s', (_name, names, over, expected) => {
    expect(latestInLine(indexOf(names), { ...line, ...over })?.name).toBe(expected);
  });
});

const record = (name: string, digest = 'a'): ReleaseRecord => ({
  apiVersion: 'csp.scs.community/v1alpha1',
  kind: 'ClusterStackRelease',
  name,
  provider: 'docker',
  stack: 'scs',
  kubernetesVersion: 'v1.32.5',
  mode: 'stable',
  channel: 'stable',
  versions: { clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' },
  hashes: { clusterStack: 'abc', clusterAddonDir: 'def' },
  files: [{ name: 'metadata.yaml', digest: `sha256:${digest.repeat(64)}`, size: 3 }],
  manifestDigest: `sha256:${'b'.repeat(64)}`,
  sourceFiles: { 'z.yaml': 'c'.repeat(64), 'a.yaml': 'd'.repeat(64) },
});

describe('ledger files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-ledger-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('writes, reads back, and treats an identical record as unchanged', async () => {
    expect(await writeRecord(dir, record('docker-scs-1-32-v1'))).toBe('added');
    expect(await writeRecord(dir, record('docker-scs-1-32-v1'))).toBe('unchanged');
    const back = await readRecordOrThrow(path.join(dir, 'docker-scs-1-32-v1.yaml'));
    expect(back.versions).toEqual({ clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' });
    expect(Object.keys(back.sourceFiles ?? {})).toEqual(['a.yaml', 'z.yaml']);
    expect(serializeRecord(back)).toBe(await fs.readFile(path.join(dir, 'docker-scs-1-32-v1.yaml'), 'utf8'));
  });

  it('reads hand-written YAML records as well as the JSON csp writes', async () => {
    const file = path.join(dir, 'docker-scs-1-32-v5.yaml');
    await fs.writeFile(file, stringify(record('docker-scs-1-32-v5')));
    expect((await readRecordOrThrow(file)).name).toBe('docker-scs-1-32-v5');
    await fs.rm(file);
  });

  it('refuses another bundle under a taken name unless forced', async () => {
    expect(await compareRecord(dir, record('docker-scs-1-32-v1', 'e'))).toBe('different');
    expect(await compareRecord(dir, { ...record('docker-scs-1-32-v1'), published: [{ target: 'oci', ref: 'r/x:docker-scs-1-32-v1' }] })).toBe('same');
    expect(await compareRecord(dir, record('docker-scs-1-32-v2'))).toBe('absent');
    await expect(writeRecord(dir, record('docker-scs-1-32-v1', 'e'))).rejects.toMatchObject({ code: 'LEDGER_RECORD_EXISTS' });
    expect(await writeRecord(dir, record('docker-scs-1-32-v1', 'e'), { force: true })).toBe('replaced');
  });

  it('rejects records that break the schema before writing', async () => {
    const bad = { ...record('docker-scs-1-32-v3'), versions: { clusterStack: 'v3', clusterAddon: 'v1-x', nodeImage: 'v1' } };
    await expect(writeRecord(dir, bad)).rejects.toBeInstanceOf(ValidationFailed);
    await expect(fs.stat(path.join(dir, 'docker-scs-1-32-v3.yaml'))).rejects.toThrow();
  });

  it('reports a hand-edited record with its position, and skips unparsable file names', async () => {
    const file = path.join(dir, 'docker-scs-1-32-v4.yaml');
    await fs.writeFile(file, stringify(record('docker-scs-1-32-v4')).replace('nodeImage: v1', 'nodeImage: v1\n  extra: 1'));
    const { record: r, issues } = await readRecord(file);
    expect(r).toBeUndefined();
    expect(issues[0]).toMatchObject({ code: 'SCHEMA_UNKNOWN_KEY', location: { file, line: 13 } });
    await fs.writeFile(path.join(dir, 'docker-my-scs-1-32-v1.yaml'), 'x: 1\n');
    const index = await loadLedgerIndex(dir);
    expect(index.issues.map((i) => i.code)).toEqual(['LEDGER_NAME_UNPARSABLE']);
    expect(index.entries.map((e) => e.name)).toEqual(['docker-scs-1-32-v1', 'docker-scs-1-32-v4']);
  });

  it('adds publication refs once, keeping the bundle part of the record', async () => {
    await writeRecord(dir, record('docker-scs-1-32-v6'));
    const ref = { target: 'oci' as const, ref: 'registry.example/cs:docker-scs-1-32-v6', digest: `sha256:${'b'.repeat(64)}` };
    await addPublication(dir, 'docker-scs-1-32-v6', { published: [ref], signatures: [{ kind: 'sigstore-bundle', ref: 'sha256-x' }] });
    const twice = await addPublication(dir, 'docker-scs-1-32-v6', { published: [ref] });
    expect(twice.published).toEqual([ref]);
    expect(twice.signatures).toHaveLength(1);
    expect(await compareRecord(dir, record('docker-scs-1-32-v6'))).toBe('same');
    await expect(addPublication(dir, 'docker-scs-1-32-v99', { published: [ref] })).rejects.toBeInstanceOf(ValidationFailed);
  });

  it('reads a missing ledger folder as empty', async () => {
    expect((await loadLedgerIndex(path.join(dir, 'nope'))).entries).toEqual([]);
  });
});
