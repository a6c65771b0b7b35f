import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { generateKey, isProbablePrimeReference, keyPem, seededBytes, seededKey, seededPrime } from './keys.js';
import type { KeyKind } from './keys.js';

describe('seededKey', () => {
  it.each<[KeyKind, number]>([
    ['rsa', 1024],
    ['ecdsa', 0],
    ['ed25519', 0],
  ])('%s: the memoised key is the key derived from the seeded stream, and is derived once', (kind, bits) => {
    const direct = keyPem(generateKey(kind, bits, seededBytes('seed-a', `${kind}:0`)));
    const first = seededKey(kind, bits, 'seed-a', `${kind}:0`);
    expect(keyPem(first)).toBe(direct);
    expect(seededKey(kind, bits, 'seed-a', `${kind}:0`)).toBe(first);
  });

  it('keys differ by seed, label and RSA size', () => {
    const pems = [
      seededKey('rsa', 1024, 'seed-a', 'rsa:0'),
      seededKey('rsa', 1024, 'seed-b', 'rsa:0'),
      seededKey('rsa', 1024, 'seed-a', 'rsa:1'),
      seededKey('rsa', 1536, 'seed-a', 'rsa:0'),
    ].map(keyPem);
    expect(new Set(pems).size).toBe(4);
  });
});

describe('seeded RSA', () => {
  // Digests of keys derived by the original all-JavaScript Miller-Rabin search: seeded keys never change.
  it.each([
    [2048, 'csp-build', 'rsa:0', 'dcc592aabd1fcf5c0a183c6590b3b1939e87f7c6a60797c007e296f3863888e3'],
    [1024, 'k', 'rsa:0', 'bafa056c713626d0e93e0d80bc7b07e673cd6eaaffbdadeeae969dce7e9e11e3'],
  ])('RSA-%i seed %s label %s is the recorded key', (bits, seed, label, digest) => {
    const pem = keyPem(generateKey('rsa', bits, seededBytes(seed, label)));
    expect(createHash('sha256').update(pem).digest('hex')).toBe(digest);
  });

  it.each(Array.from({ length: 12 }, (_, i) => [`seed-${i}`]))('%s: OpenSSL and the reference test find the same prime and leave the stream in the same place', (seed) => {
    const native = seededBytes(seed, 'p');
    const reference = seededBytes(seed, 'p');
    expect(seededPrime(512, native).toString(16)).toBe(seededPrime(512, reference, isProbablePrimeReference).toString(16));
    expect(native(16).toString('hex')).toBe(reference(16).toString('hex'));
  });
});
