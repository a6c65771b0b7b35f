/** verifyReleaseFiles on folders signed with signBlob: strict SHA256SUMS parsing, links, and check order. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSha256Sums } from '../bundle/index.js';
import { generateKeyPair, parsePrivateKey } from './keys.js';
import { parseSha256Sums, verifyReleaseFiles } from './release-files.js';
import { signBlob, type SigningMode, type VerifyPolicy } from './sigstore.js';

const pair = generateKeyPair();
const mode: SigningMode = { kind: 'key', privateKey: parsePrivateKey(pair.privateKeyPem) };
const policy: VerifyPolicy = { kind: 'key', publicKeyPem: pair.publicKeyPem };
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-release-files-'));
});

afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

/** A folder with `files`, SHA256SUMS (given text, or built from the files) and its signature. */
async function signedFolder(files: Record<string, string>, sumsText?: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(tmp, 'rel-'));
  for (const [name, data] of Object.entries(files)) await fs.writeFile(path.join(dir, name), data);
  const sums = Buffer.from(sumsText ?? buildSha256Sums(Object.entries(files).map(([name, data]) => ({ name, data: Buffer.from(data) }))));
  await fs.writeFile(path.join(dir, 'SHA256SUMS'), sums);
  await fs.writeFile(path.join(dir, 'SHA256SUMS.sigstore.json'), await signBlob(sums, mode));
  return dir;
}

describe('parseSha256Sums', () => {
  const hex = 'ab'.repeat(32);
  it('reads text and binary (`*name`) lines and lower-cases digests', () => {
    expect(parseSha256Sums(`${hex.toUpperCase()}  a.tgz\n${hex} *b.yaml\n`)).toEqual([{ name: 'a.tgz', hex }, { name: 'b.yaml', hex }]);
  });

  it.each([
    ['a short digest', `${hex.slice(2)}  a.tgz\n`, /line 1 is not/],
    ['a path', `${hex}  ../a.tgz\n`, /line 1 names "..\/a.tgz"/],
    ['a sub folder', `${hex}  x  \n${hex}  dir/a.tgz\n`, /line 2 names "dir\/a.tgz"/],
    ['a CRLF line', `${hex}  a.tgz\r\n`, /line 1 is not/],
    ['a duplicate', `${hex}  a.tgz\n${hex}  a.tgz\n`, /line 2 lists a.tgz a second time/],
    ['an empty list', '', /lists no files/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseSha256Sums(text)).toThrow(expect.objectContaining({ code: 'VERIFY_SUMS_INVALID', message: expect.stringMatching(message) }));
  });
});

describe('verifyReleaseFiles', () => {
  it('accepts a signed folder and returns each file with digest and size', async () => {
    const dir = await signedFolder({ 'a.yaml': 'a: 1\n', 'b.tgz': 'bytes' });
    const result = await verifyReleaseFiles({ dir, policy });
    expect(result.files.map((f) => [f.name, f.size])).toEqual([['a.yaml', 5], ['b.tgz', 5]]);
    expect(result.signer).toMatch(/^key /);
  });

  it('refuses a signed list that names a path outside the folder, before touching any file', async () => {
    await fs.writeFile(path.join(tmp, 'outside.yaml'), 'a: 1\n');
    const sums = buildSha256Sums([{ name: '../outside.yaml', data: Buffer.from('a: 1\n') }]);
    const dir = await signedFolder({}, sums);
    await expect(verifyReleaseFiles({ dir, policy })).rejects.toMatchObject({ code: 'VERIFY_SUMS_INVALID', exitCode: 1 });
  });

  it('refuses a link in place of a listed file even when its target has the listed content', async () => {
    const dir = await signedFolder({ 'a.yaml': 'a: 1\n' });
    await fs.writeFile(path.join(tmp, 'same.yaml'), 'a: 1\n');
    await fs.rm(path.join(dir, 'a.yaml'));
    await fs.symlink(path.join(tmp, 'same.yaml'), path.join(dir, 'a.yaml'));
    await expect(verifyReleaseFiles({ dir, policy })).rejects.toMatchObject({ code: 'VERIFY_FILE_MISMATCH', problems: [{ code: 'VERIFY_FILE_MISMATCH', name: 'a.yaml', message: 'a.yaml is a link' }] });
  });

  it('checks the signature before the files: a bad signature wins over missing files', async () => {
    const dir = await signedFolder({ 'a.yaml': 'a: 1\n' });
    await fs.rm(path.join(dir, 'a.yaml'));
    await expect(verifyReleaseFiles({ dir, policy })).rejects.toMatchObject({ code: 'VERIFY_FILE_MISSING' });
    await expect(verifyReleaseFiles({ dir, policy: { kind: 'key', publicKeyPem: generateKeyPair().publicKeyPem } })).rejects.toMatchObject({ code: 'VERIFY_SUMS_SIGNATURE_INVALID' });
  });

  it('refuses a damaged bundle as an invalid signature, and a sub folder as an unlisted entry', async () => {
    const damaged = await signedFolder({ 'a.yaml': 'a: 1\n' });
    await fs.writeFile(path.join(damaged, 'SHA256SUMS.sigstore.json'), '{"mediaType": "nope"}');
    await expect(verifyReleaseFiles({ dir: damaged, policy })).rejects.toMatchObject({ code: 'VERIFY_SUMS_SIGNATURE_INVALID', message: expect.stringContaining('VERIFY_BUNDLE_INVALID') });
    const nested = await signedFolder({ 'a.yaml': 'a: 1\n' });
    await fs.mkdir(path.join(nested, 'more'));
    await expect(verifyReleaseFiles({ dir: nested, policy })).rejects.toMatchObject({ code: 'VERIFY_FILE_UNLISTED', problems: [{ code: 'VERIFY_FILE_UNLISTED', name: 'more' }] });
  });
});
