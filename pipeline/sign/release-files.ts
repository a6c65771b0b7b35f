/**
 * Verifying a folder of downloaded release assets (e.g. a GitHub release): `SHA256SUMS.sigstore.json` must be a
 * message signature of `SHA256SUMS` under the policy, every listed file must be there with its digest, and nothing
 * else may be in the folder. File problems are collected and reported together in one error.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PipelineError, UserInputError } from '../core/errors.js';
import { parseBundle, verifyBundle, type VerifyPolicy } from './sigstore.js';

export const SUMS_NAME = 'SHA256SUMS';
export const SUMS_BUNDLE_NAME = `${SUMS_NAME}.sigstore.json`;
const MAX_SIDE_FILE_BYTES = 16 * 1024 * 1024;

/** Which release folder to check, under which policy. */
export interface VerifyReleaseFilesInput {
  dir: string;
  policy: VerifyPolicy;
  loadTrustedRoot?: () => Promise<unknown>;
}

/** What verification established. */
export interface VerifyReleaseFilesResult {
  dir: string;
  /** Certificate SAN (keyless) or `key <hint>`. */
  signer: string;
  /** sha256 of the signed SHA256SUMS bytes. */
  sumsDigest: string;
  files: { name: string; digest: string; size: number }[];
}

export type ReleaseFileProblemCode = 'VERIFY_FILE_MISMATCH' | 'VERIFY_FILE_MISSING' | 'VERIFY_FILE_UNLISTED';

/** One file that does not agree with the signed SHA256SUMS. */
export interface ReleaseFileProblem {
  code: ReleaseFileProblemCode;
  name: string;
  message: string;
}

/** Files differ from the signed list; `code` is the most serious problem's, `problems` has all of them. */
export class ReleaseFilesMismatch extends UserInputError {
  readonly problems: ReleaseFileProblem[];

  constructor(dir: string, problems: ReleaseFileProblem[]) {
    const code = SEVERITY.find((c) => problems.some((p) => p.code === c)) ?? 'VERIFY_FILE_MISMATCH';
    const shown = problems.slice(0, 5).map((p) => p.message);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
    super(code, `${problems.length} file problem${problems.length === 1 ? '' : 's'} in ${dir}: ${shown.join('; ')}${more}`, {
      details: problems.map((p) => `${p.code} ${p.name}`).join(', ') + '. Download the release assets again from their source; a file that differs from the signed SHA256SUMS was changed, replaced or added after signing.',
    });
    this.problems = problems;
  }
}

const SEVERITY: ReleaseFileProblemCode[] = ['VERIFY_FILE_MISMATCH', 'VERIFY_FILE_MISSING', 'VERIFY_FILE_UNLISTED'];

/** Checks the SHA256SUMS signature, then every file against it; throws on the first failed stage with its reason. */
export async function verifyReleaseFiles(input: VerifyReleaseFilesInput): Promise<VerifyReleaseFilesResult> {
  const dir = input.dir;
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new UserInputError('VERIFY_FILES_DIR_INVALID', `cannot read folder ${dir}`, { details: 'Pass the folder holding the downloaded release assets (SHA256SUMS, SHA256SUMS.sigstore.json and the files).', cause: error });
  });
  const byName = new Map(entries.map((e) => [e.name, e]));
  if (!byName.get(SUMS_NAME)?.isFile()) {
    throw new UserInputError('VERIFY_SUMS_MISSING', `${path.join(dir, SUMS_NAME)} is ${byName.has(SUMS_NAME) ? 'not a regular file' : 'missing'}`, { details: 'Download the SHA256SUMS asset of the release too; it lists every file with its digest.' });
  }
  if (!byName.get(SUMS_BUNDLE_NAME)?.isFile()) {
    throw new UserInputError('VERIFY_SUMS_UNSIGNED', `${path.join(dir, SUMS_BUNDLE_NAME)} is ${byName.has(SUMS_BUNDLE_NAME) ? 'not a regular file' : 'missing'}: SHA256SUMS is not signed`, {
      details: 'Download the SHA256SUMS.sigstore.json asset too; a release published without --key/--keyless has none and cannot be trusted.',
    });
  }
  // Verify and parse the very same bytes (no re-read between the signature check and the file checks).
  const sums = await readSmall(path.join(dir, SUMS_NAME));
  const bundle = await readSmall(path.join(dir, SUMS_BUNDLE_NAME));
  const signer = await verifySumsSignature(bundle, sums, input);
  const listed = parseSha256Sums(sums.toString('utf8'));

  const problems: ReleaseFileProblem[] = [];
  const files: VerifyReleaseFilesResult['files'] = [];
  for (const { name, hex } of listed) {
    const file = path.join(dir, name);
    const stat = await fsp.lstat(file).catch(() => null);
    if (!stat) {
      problems.push({ code: 'VERIFY_FILE_MISSING', name, message: `${name} is listed in SHA256SUMS but missing` });
      continue;
    }
    if (!stat.isFile()) {
      problems.push({ code: 'VERIFY_FILE_MISMATCH', name, message: `${name} is ${stat.isSymbolicLink() ? 'a link' : 'not a regular file'}` });
      continue;
    }
    const got = await hashFile(file);
    if (got.hex !== hex) {
      problems.push({ code: 'VERIFY_FILE_MISMATCH', name, message: `${name} has sha256 ${got.hex}, SHA256SUMS says ${hex}` });
      continue;
    }
    files.push({ name, digest: `sha256:${hex}`, size: got.size });
  }
  const names = new Set([SUMS_NAME, SUMS_BUNDLE_NAME, ...listed.map((l) => l.name)]);
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!names.has(e.name)) problems.push({ code: 'VERIFY_FILE_UNLISTED', name: e.name, message: `${e.name} is not listed in SHA256SUMS` });
  }
  if (problems.length > 0) throw new ReleaseFilesMismatch(dir, problems);
  return { dir, signer, sumsDigest: `sha256:${crypto.createHash('sha256').update(sums).digest('hex')}`, files };
}

/** The bundle must be a message signature (not some other DSSE attestation by the same signer) over `sums`. */
async function verifySumsSignature(bundleBytes: Buffer, sums: Buffer, input: VerifyReleaseFilesInput): Promise<string> {
  try {
    const kind = parseBundle(bundleBytes).content.$case;
    if (kind !== 'messageSignature') {
      throw new UserInputError('VERIFY_BUNDLE_INVALID', `${SUMS_BUNDLE_NAME} holds a ${kind === 'dsseEnvelope' ? 'DSSE envelope' : String(kind)}, not a message signature of SHA256SUMS`, {
        details: 'An attestation signed by the same key does not vouch for SHA256SUMS.',
      });
    }
    return (await verifyBundle(bundleBytes, input.policy, sums, input.loadTrustedRoot)).signer;
  } catch (error) {
    if (error instanceof PipelineError && ['VERIFY_SIGNATURE_INVALID', 'VERIFY_BUNDLE_INVALID', 'VERIFY_KEY_MISMATCH'].includes(error.code)) {
      throw new UserInputError('VERIFY_SUMS_SIGNATURE_INVALID', `${SUMS_BUNDLE_NAME} does not verify SHA256SUMS (${error.code}): ${error.message}`, {
        details: `${error.details ?? ''} Nothing in the folder can be trusted; download the release again.`.trim(),
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Parses `<64 hex>  <name>` lines (also sha256sum's binary form `<hex> *<name>`); names must be plain file names,
 * each listed once. A signed but malformed list is refused as a whole.
 */
export function parseSha256Sums(text: string): { name: string; hex: string }[] {
  const out: { name: string; hex: string }[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const invalid = (line: number, problem: string) =>
    new UserInputError('VERIFY_SUMS_INVALID', `SHA256SUMS line ${line} ${problem}`, { details: 'The signed SHA256SUMS is malformed; it cannot vouch for any file.' });
  lines.forEach((line, i) => {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) throw invalid(i + 1, 'is not "<sha256 hex>  <file name>"');
    const hex = m[1]!;
    const name = m[2]!;
    if (!isPlainName(name)) throw invalid(i + 1, `names ${JSON.stringify(name)}, not a plain file name`);
    if (seen.has(name)) throw invalid(i + 1, `lists ${name} a second time`);
    seen.add(name);
    out.push({ name, hex: hex.toLowerCase() });
  });
  if (out.length === 0) throw new UserInputError('VERIFY_SUMS_INVALID', 'SHA256SUMS lists no files', { details: 'A release has at least one asset; the signed list is empty.' });
  return out;
}

function isPlainName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\u0000-\u001f\u007f]/.test(name) && !/^[a-zA-Z]:/.test(name);
}

async function readSmall(file: string): Promise<Buffer> {
  const stat = await fsp.stat(file);
  if (stat.size > MAX_SIDE_FILE_BYTES) {
    throw new UserInputError('VERIFY_SUMS_INVALID', `${file} is ${stat.size} bytes`, { details: 'SHA256SUMS and its Sigstore bundle are small; refusing to load this one.' });
  }
  return fsp.readFile(file);
}

async function hashFile(file: string): Promise<{ hex: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hex: hash.digest('hex'), size };
}
