/**
 * `csp verify --files DIR` on the assets of a release published with a real key (as downloaded from a GitHub
 * release): the untouched folder verifies; every kind of tampering fails with its own code.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleRelease, type TestRelease } from '../publish/__fixtures__/release.js';
import { openLayout } from '../publish/index.js';
import { runCli } from '../testing/cli.js';

let tmp: string;
let key: string;
let pub: string;
let otherPub: string;
let release: TestRelease;
let assets: string[];

const sha256 = (data: Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-verify-files-'));
  expect((await runCli(['keys', 'generate', '--out', 'keys/release'], tmp)).code).toBe(0);
  expect((await runCli(['keys', 'generate', '--out', 'keys/other'], tmp)).code).toBe(0);
  key = path.join(tmp, 'keys/release.key');
  pub = path.join(tmp, 'keys/release.pub');
  otherPub = path.join(tmp, 'keys/other.pub');
  release = await assembleRelease(path.join(tmp, 'out'));
  const published = await runCli(['publish', release.releaseDir, '--out', release.outDir, '--key', key], tmp);
  expect(published.code, published.stderr).toBe(0);
  // What `--to github` uploads: the release folder's files (assets, SHA256SUMS and its signature).
  assets = (await fs.readdir(release.releaseDir)).sort();
  expect(assets).toContain('SHA256SUMS.sigstore.json');
});

afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

/** A fresh copy of the release assets, as if downloaded from the GitHub release. */
async function download(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(tmp, 'download-'));
  for (const name of assets) await fs.copyFile(path.join(release.releaseDir, name), path.join(dir, name));
  return dir;
}

interface FailedJson {
  ok: false;
  error: { code: string; message: string };
  problems?: { code: string; name: string }[];
}

async function verifyFails(dir: string, args: string[] = ['--key', pub]): Promise<{ code: number; stderr: string; json: FailedJson }> {
  const text = await runCli(['verify', '--files', dir, ...args], tmp);
  expect(text.code, text.stdout).toBe(1);
  const json = await runCli(['verify', '--files', dir, ...args, '--json'], tmp);
  expect(json.code).toBe(1);
  const parsed = JSON.parse(json.stdout) as FailedJson;
  expect(parsed.ok).toBe(false);
  expect(text.stderr).toContain(parsed.error.code);
  return { code: text.code, stderr: text.stderr, json: parsed };
}

const classFile = (): string => [...release.files.keys()].find((n) => n.includes('cluster-class'))!;

describe('csp verify --files', () => {
  it('verifies an untouched download: signer, the signed SHA256SUMS and every asset with its digest', async () => {
    const dir = await download();
    const res = await runCli(['verify', '--files', dir, '--key', pub, '--json'], tmp);
    expect(res.code, res.stderr).toBe(0);
    const result = JSON.parse(res.stdout) as { ok: boolean; signer: string; sumsDigest: string; files: { name: string; digest: string; size: number }[] };
    expect(result.ok).toBe(true);
    expect(result.signer).toMatch(/^key /);
    expect(result.sumsDigest).toBe(`sha256:${sha256(release.files.get('SHA256SUMS')!)}`);
    const expected = [...release.files].filter(([name]) => name !== 'SHA256SUMS').map(([name, data]) => ({ name, digest: `sha256:${sha256(data)}`, size: data.length }));
    expect(result.files.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
    const text = await runCli(['verify', '--files', path.relative(tmp, dir), '--key', pub], tmp);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`verified ${dir}: SHA256SUMS ${result.sumsDigest}`);
    for (const f of expected) expect(text.stdout).toContain(`${f.digest}  ${f.name}`);
  });

  it('refuses a changed file (VERIFY_FILE_MISMATCH)', async () => {
    const dir = await download();
    const file = path.join(dir, classFile());
    const bytes = await fs.readFile(file);
    bytes[100] = bytes[100]! ^ 0xff;
    await fs.writeFile(file, bytes);
    const { stderr, json } = await verifyFails(dir);
    expect(json.error.code).toBe('VERIFY_FILE_MISMATCH');
    expect(json.problems).toEqual([{ code: 'VERIFY_FILE_MISMATCH', name: classFile(), message: expect.stringContaining(sha256(bytes)) }]);
    expect(stderr).toMatch(new RegExp(`VERIFY_FILE_MISMATCH .*${classFile().replace(/\./g, '\\.')} has sha256`));
  });

  it('refuses a missing file (VERIFY_FILE_MISSING)', async () => {
    const dir = await download();
    await fs.rm(path.join(dir, 'metadata.yaml'));
    const { json } = await verifyFails(dir);
    expect(json.error.code).toBe('VERIFY_FILE_MISSING');
    expect(json.problems).toEqual([expect.objectContaining({ code: 'VERIFY_FILE_MISSING', name: 'metadata.yaml' })]);
  });

  it('refuses an extra file (VERIFY_FILE_UNLISTED)', async () => {
    const dir = await download();
    await fs.writeFile(path.join(dir, 'install.sh'), '#!/bin/sh\necho pwned\n');
    const { json } = await verifyFails(dir);
    expect(json.error.code).toBe('VERIFY_FILE_UNLISTED');
    expect(json.problems).toEqual([expect.objectContaining({ code: 'VERIFY_FILE_UNLISTED', name: 'install.sh' })]);
  });

  it('reports every file problem at once, with the most serious code first', async () => {
    const dir = await download();
    await fs.writeFile(path.join(dir, 'metadata.yaml'), 'changed\n');
    await fs.rm(path.join(dir, 'hashes.json'));
    await fs.writeFile(path.join(dir, 'extra.yaml'), 'x: 1\n');
    const { json } = await verifyFails(dir);
    expect(json.error.code).toBe('VERIFY_FILE_MISMATCH');
    expect(json.problems!.map((p) => [p.code, p.name]).sort()).toEqual([
      ['VERIFY_FILE_MISMATCH', 'metadata.yaml'],
      ['VERIFY_FILE_MISSING', 'hashes.json'],
      ['VERIFY_FILE_UNLISTED', 'extra.yaml'],
    ]);
  });

  it('refuses SHA256SUMS edited after signing, even when it matches a replaced file (VERIFY_SUMS_SIGNATURE_INVALID)', async () => {
    const dir = await download();
    const forged = Buffer.from('apiVersion: forged\n');
    await fs.writeFile(path.join(dir, 'metadata.yaml'), forged);
    const sums = (await fs.readFile(path.join(dir, 'SHA256SUMS'), 'utf8')).replace(/^[0-9a-f]{64}(?= {2}metadata\.yaml$)/m, sha256(forged));
    expect(sums).toContain(`${sha256(forged)}  metadata.yaml`);
    await fs.writeFile(path.join(dir, 'SHA256SUMS'), sums);
    const { stderr, json } = await verifyFails(dir);
    expect(json.error.code).toBe('VERIFY_SUMS_SIGNATURE_INVALID');
    expect(stderr).toMatch(/VERIFY_SUMS_SIGNATURE_INVALID .*SIGNATURE_ERROR|VERIFY_SUMS_SIGNATURE_INVALID .*VERIFY_SIGNATURE_INVALID/);
  });

  it('refuses a signature by another key (VERIFY_SUMS_SIGNATURE_INVALID)', async () => {
    const { json } = await verifyFails(await download(), ['--key', otherPub]);
    expect(json.error.code).toBe('VERIFY_SUMS_SIGNATURE_INVALID');
  });

  it('refuses a folder without the signature bundle (VERIFY_SUMS_UNSIGNED) or without SHA256SUMS (VERIFY_SUMS_MISSING)', async () => {
    const unsigned = await download();
    await fs.rm(path.join(unsigned, 'SHA256SUMS.sigstore.json'));
    expect((await verifyFails(unsigned)).json.error.code).toBe('VERIFY_SUMS_UNSIGNED');
    const noSums = await download();
    await fs.rm(path.join(noSums, 'SHA256SUMS'));
    expect((await verifyFails(noSums)).json.error.code).toBe('VERIFY_SUMS_MISSING');
  });

  it('refuses another attestation by the same key put in place of the SHA256SUMS signature', async () => {
    // The OCI signature referrer is public and signed with the same key, but it signs the manifest, not SHA256SUMS.
    const store = await openLayout(release.layoutDir);
    const [referrer] = await store.referrers(release.digest);
    const manifest = JSON.parse((await store.manifest(referrer!.digest))!.toString()) as { layers: { digest: string }[] };
    const dsseBundle = await fs.readFile(store.blobPath(manifest.layers[0]!.digest));
    expect(JSON.parse(dsseBundle.toString())).toHaveProperty('dsseEnvelope');
    const dir = await download();
    await fs.writeFile(path.join(dir, 'SHA256SUMS.sigstore.json'), dsseBundle);
    const { stderr, json } = await verifyFails(dir);
    expect(json.error.code).toBe('VERIFY_SUMS_SIGNATURE_INVALID');
    expect(stderr).toContain('DSSE envelope');
  });

  it('rejects bad arguments and unreadable folders as user errors', async () => {
    const dir = await download();
    for (const [argv, code] of [
      [['verify', '--files', dir], 'CLI_BAD_ARGUMENTS'],
      [['verify', 'out/oci-layout:x', '--files', dir, '--key', pub], 'CLI_BAD_ARGUMENTS'],
      [['verify', '--files', dir, '--key', key], 'KEY_IS_PRIVATE'],
      [['verify', '--files', path.join(tmp, 'nowhere'), '--key', pub], 'VERIFY_FILES_DIR_INVALID'],
    ] as const) {
      const res = await runCli([...argv], tmp);
      expect(res.code, `${argv.join(' ')}: ${res.stderr}`).toBe(1);
      expect(res.stderr).toContain(code);
    }
  });
});
