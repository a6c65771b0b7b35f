/** Signing keys: ECDSA P-256 key pairs as PKCS#8 / SPKI PEM, loading with clear errors, and a stable key hint. */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';

/** A generated key pair in PEM form. */
export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A new ECDSA P-256 key pair (private key PKCS#8, public key SPKI). */
export function generateKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Writes `PREFIX.key` (mode 0600, never overwritten) and `PREFIX.pub`; returns both paths. */
export async function writeKeyPair(prefix: string, pair: KeyPairPem): Promise<{ privateKeyFile: string; publicKeyFile: string }> {
  const privateKeyFile = `${prefix}.key`;
  const publicKeyFile = `${prefix}.pub`;
  for (const file of [privateKeyFile, publicKeyFile]) {
    if (await fs.lstat(file).then(() => true, () => false)) {
      throw new UserInputError('KEY_EXISTS', `${file} already exists`, { details: 'Refusing to overwrite a key; choose another --out prefix or remove the old files deliberately.' });
    }
  }
  await fs.mkdir(path.dirname(privateKeyFile), { recursive: true });
  const handle = await fs.open(privateKeyFile, 'wx', 0o600);
  try {
    await handle.writeFile(pair.privateKeyPem);
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
  await fs.writeFile(publicKeyFile, pair.publicKeyPem, { flag: 'wx', mode: 0o644 });
  return { privateKeyFile, publicKeyFile };
}

/** Parses a PEM private key and checks it is ECDSA P-256 (the only kind csp signs with). */
export function parsePrivateKey(pem: string, source = 'the private key'): crypto.KeyObject {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(pem);
  } catch (error) {
    throw new UserInputError('KEY_INVALID', `${source} is not a PEM private key`, { details: 'Create one with csp keys generate --out PREFIX and pass PREFIX.key.', cause: error });
  }
  assertP256(key, source);
  return key;
}

/** Parses a PEM public key (SPKI) and checks it is ECDSA P-256. */
export function parsePublicKey(pem: string, source = 'the public key'): crypto.KeyObject {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(pem);
  } catch (error) {
    throw new UserInputError('KEY_INVALID', `${source} is not a PEM public key`, { details: 'Pass the PREFIX.pub written by csp keys generate.', cause: error });
  }
  assertP256(key, source);
  return key;
}

function assertP256(key: crypto.KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new UserInputError('KEY_UNSUPPORTED', `${source} is ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}, not ECDSA P-256`.trim(), {
      details: 'csp signs with ECDSA P-256 keys; create one with csp keys generate.',
    });
  }
}

/** Reads a key file, turning a missing file into a user error. */
export async function readKeyFile(file: string, what: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch((error: unknown) => {
    throw new UserInputError('KEY_FILE_MISSING', `cannot read ${what} ${file}`, { details: 'Check the path given to --key.', cause: error });
  });
}

/** Base64 sha256 of the SPKI DER: the key hint (selection only, never a security decision). */
export function keyHint(publicKey: crypto.KeyObject): string {
  return crypto.createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
}
