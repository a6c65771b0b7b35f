import { describe, expect, it } from 'vitest';
import { generateKey, keyPem, seededBytes, seededKey } from './keys.js';
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
