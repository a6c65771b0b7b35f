/**
 * Private keys for Sprig's crypto functions: system-random by default; with a key seed, derived
 * deterministically (RSA primes found by a seeded Miller-Rabin search, EC/Ed25519 scalars from the seed),
 * so seeded renders produce identical keys and certificates across processes.
 */
import { checkPrimeSync, createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { derInt, oid, pemEncode, seq, tlv } from './x509.js';

export type KeyKind = 'rsa' | 'ecdsa' | 'ed25519';

/** A stream of seeded bytes: SHA-256 of `seed:label:counter`. */
export function seededBytes(seed: string, label: string): (n: number) => Buffer {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (n) => {
    while (pool.length < n) pool = Buffer.concat([pool, createHash('sha256').update(`${seed}:${label}:${counter++}`).digest()]);
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return out;
  };
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const SMALL_PRIMES: number[] = [];
for (let n = 3; SMALL_PRIMES.length < 300; n += 2) if (SMALL_PRIMES.every((p) => n % p !== 0)) SMALL_PRIMES.push(n);

/**
 * The seeded candidate stream's contract (kept since the first release, so seeded keys never change): after
 * trial division by the first 300 odd primes, 20 Miller-Rabin rounds, each taking its base from the next 32
 * seeded bytes and stopping at the first round that proves the candidate composite. This is that algorithm in
 * JavaScript; `isProbablePrime` gets the same answer and consumes the same bytes with OpenSSL's test.
 */
export function isProbablePrimeReference(n: bigint, bytes: (k: number) => Buffer): boolean {
  if (!passesTrialDivision(n)) return n < 2000n && SMALL_PRIMES.includes(Number(n));
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (let round = 0; round < 20; round++) {
    const a = (BigInt(`0x${bytes(32).toString('hex')}`) % (n - 3n)) + 2n;
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let k = 1; k < r; k++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function passesTrialDivision(n: bigint): boolean {
  for (const p of SMALL_PRIMES) if (n % BigInt(p) === 0n) return false;
  return true;
}

/**
 * `isProbablePrimeReference` with OpenSSL's primality test (about 50× faster than BigInt modPow). A prime
 * passes all 20 rounds (20 × 32 bytes); a composite is, for the 512-bit-and-larger candidates of key
 * generation, proved composite by the first random base (a strong liar has probability below 2^-40), so it
 * consumes 32 bytes. The test in keys.test.ts checks both against each other on real candidate streams.
 */
function isProbablePrime(n: bigint, bytes: (k: number) => Buffer): boolean {
  if (!passesTrialDivision(n)) return false;
  if (!checkPrimeSync(n)) {
    bytes(32);
    return false;
  }
  for (let round = 0; round < 20; round++) bytes(32);
  return true;
}

/** The first probable prime of the seeded candidate stream (top two bits and the low bit set). */
export function seededPrime(bits: number, bytes: (k: number) => Buffer, test: (n: bigint, bytes: (k: number) => Buffer) => boolean = isProbablePrime): bigint {
  for (;;) {
    let c = BigInt(`0x${bytes(bits / 8).toString('hex')}`);
    c |= (3n << BigInt(bits - 2)) | 1n;
    if (test(c, bytes)) return c;
  }
}

function seededRsa(bits: number, bytes: (k: number) => Buffer): KeyObject {
  const e = 65537n;
  for (;;) {
    const p = seededPrime(bits / 2, bytes);
    const q = seededPrime(bits / 2, bytes);
    if (p === q) continue;
    const phi = (p - 1n) * (q - 1n);
    if (phi % e === 0n) continue;
    const n = p * q;
    const d = modInverse(e, phi);
    const der = seq(derInt(0n), derInt(n), derInt(e), derInt(d), derInt(p), derInt(q), derInt(d % (p - 1n)), derInt(d % (q - 1n)), derInt(modInverse(q, p)));
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * Seeded keys already derived in this process, by (kind, bits, seed, label): a seeded key is a pure
 * function of those, and the RSA prime search dominates a build (every bundle of a repository renders the
 * same seeded TLS templates). Bounded, oldest first out.
 */
const seededKeys = new Map<string, KeyObject>();
const SEEDED_KEYS_MAX = 512;

/** A seeded key for (kind, bits, seed, label), derived once per process and then reused. */
export function seededKey(kind: KeyKind, rsaBits: number, seed: string, label: string): KeyObject {
  const id = createHash('sha256').update(JSON.stringify([kind, kind === 'rsa' ? rsaBits : 0, seed, label])).digest('hex');
  const hit = seededKeys.get(id);
  if (hit) return hit;
  const key = generateKey(kind, rsaBits, seededBytes(seed, label));
  if (seededKeys.size >= SEEDED_KEYS_MAX) seededKeys.delete(seededKeys.keys().next().value as string);
  seededKeys.set(id, key);
  return key;
}

/** Generates a key: random, or derived from `bytes` when given. */
export function generateKey(kind: KeyKind, rsaBits: number, bytes?: (n: number) => Buffer): KeyObject {
  if (!bytes) {
    if (kind === 'rsa') return generateKeyPairSync('rsa', { modulusLength: rsaBits }).privateKey;
    if (kind === 'ecdsa') return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    return generateKeyPairSync('ed25519').privateKey;
  }
  if (kind === 'rsa') return seededRsa(rsaBits, bytes);
  if (kind === 'ecdsa') {
    const d = (BigInt(`0x${bytes(40).toString('hex')}`) % (P256_N - 1n)) + 1n;
    const scalar = Buffer.from(d.toString(16).padStart(64, '0'), 'hex');
    const der = seq(derInt(1n), tlv(0x04, scalar), tlv(0xa0, oid('1.2.840.10045.3.1.7')));
    return createPrivateKey({ key: der, format: 'der', type: 'sec1' });
  }
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), bytes(32)]);
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** PEM of a private key in the block type Go's pemBlockForKey uses. */
export function keyPem(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ type: 'pkcs1', format: 'pem' }).toString();
    case 'ec':
      return key.export({ type: 'sec1', format: 'pem' }).toString();
    default:
      return pemEncode('PRIVATE KEY', key.export({ type: 'pkcs8', format: 'der' }));
  }
}

/** parsePrivateKeyPEM from Sprig's crypto.go, with its error texts. */
export function parsePrivateKeyPem(pem: string): KeyObject {
  const m = /-----BEGIN ([^-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw new Error('no PEM data in input');
  const type = m[1] ?? '';
  const der = Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64');
  const formats: Record<string, 'pkcs8' | 'pkcs1' | 'sec1'> = { 'PRIVATE KEY': 'pkcs8', 'RSA PRIVATE KEY': 'pkcs1', 'EC PRIVATE KEY': 'sec1' };
  const format = formats[type];
  if (!format) {
    if (!type.endsWith(' PRIVATE KEY')) throw new Error(`no private key data in PEM block of type ${type}`);
    throw new Error(`invalid private key type ${type}`);
  }
  try {
    return createPrivateKey({ key: der, format: 'der', type: format });
  } catch (e) {
    const label = format === 'pkcs8' ? 'decoding PEM as PKCS#8' : format === 'pkcs1' ? 'parsing RSA private key from PEM' : 'parsing EC private key from PEM';
    throw new Error(`${label}: ${(e as Error).message}`);
  }
}
