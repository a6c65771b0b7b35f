import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GoStruct } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { buildGoOracle, runGoOracle } from '../../testing/go-funcs/oracle.js';
import { seededRandom, sprigFuncs } from './sprig.js';

const fixedNow = new Date('2024-01-01T00:00:00Z');

function call(f: ReturnType<typeof sprigFuncs>, name: string, ...args: GoValue[]): GoValue {
  const fn = f[name];
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(...args);
}

function certOf(v: GoValue): { Cert: string; Key: string } {
  if (!(v instanceof GoStruct)) throw new Error('not a certificate struct');
  return { Cert: String(v.fields.Cert), Key: String(v.fields.Key) };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('crypto functions', () => {
  let binary = '';
  beforeAll(async () => {
    binary = await buildGoOracle();
  });

  it('genCA and genSignedCert produce a verifiable chain that Go x509 parses', async () => {
    const f = sprigFuncs({ now: () => fixedNow });
    const ca = certOf(call(f, 'genCA', 'my-ca', 365n));
    const leaf = certOf(call(f, 'genSignedCert', 'svc', ['10.0.0.1', '::1'], ['svc.example', 'svc'], 30n, call(f, 'genCA', 'x', 1n)));
    const signed = certOf(call(f, 'genSignedCert', 'svc', ['10.0.0.1'], ['svc.example'], 30n, new GoStruct('sprig.certificate', ca)));
    const caCert = new X509Certificate(ca.Cert);
    const leafCert = new X509Certificate(signed.Cert);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=my-ca');
    expect(new Date(caCert.validTo).getTime() - new Date(caCert.validFrom).getTime()).toBe(365 * 86_400_000);
    expect(leafCert.ca).toBe(false);
    expect(leafCert.issuer).toBe('CN=my-ca');
    expect(leafCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.subjectAltName).toBe('DNS:svc.example, IP Address:10.0.0.1');
    expect(new X509Certificate(leaf.Cert).subjectAltName).toContain('IP Address:0:0:0:0:0:0:0:1');
    expect(leafCert.checkPrivateKey(createPrivateKey(signed.Key))).toBe(true);
    expect(signed.Key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    // Go's buildCustomCert parses both PEMs with crypto/x509.
    const results = await runGoOracle(binary, [
      { fn: 'buildCustomCert', args: [b64(signed.Cert), b64(signed.Key)] },
      { fn: 'buildCustomCert', args: [b64(ca.Cert), b64(ca.Key)] },
    ]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
  });

  it('seeded renders repeat keys and certificates exactly; unseeded ones differ', () => {
    const make = () => sprigFuncs({ now: () => fixedNow, random: seededRandom('r'), keySeed: 'k' });
    const [a, b] = [make(), make()];
    const caA = certOf(call(a, 'genCA', 'ca', 10n));
    const caB = certOf(call(b, 'genCA', 'ca', 10n));
    expect(caA).toEqual(caB);
    expect(call(a, 'genPrivateKey', 'ecdsa')).toBe(call(b, 'genPrivateKey', 'ecdsa'));
    const c = sprigFuncs({ now: () => fixedNow });
    expect(certOf(call(c, 'genCA', 'ca', 10n)).Key).not.toBe(caA.Key);
  });

  it.each([
    ['ecdsa', 'EC PRIVATE KEY', 'ec'],
    ['ed25519', 'PRIVATE KEY', 'ed25519'],
  ])('genPrivateKey %s writes a %s block', (typ, block, kind) => {
    const pem = String(call(sprigFuncs({ keySeed: 's' }), 'genPrivateKey', typ));
    expect(pem.startsWith(`-----BEGIN ${block}-----\n`)).toBe(true);
    expect(createPublicKey(createPrivateKey(pem)).asymmetricKeyType).toBe(kind);
  });

  it('genPrivateKey rejects unknown types like Sprig and self-signed certs carry SANs', () => {
    const f = sprigFuncs({ keySeed: 's', now: () => fixedNow });
    expect(call(f, 'genPrivateKey', 'foo')).toBe('Unknown type foo');
    const key = String(call(f, 'genPrivateKey', 'ecdsa'));
    const self = certOf(call(f, 'genSelfSignedCertWithKey', 'me', [], ['me.local'], 5n, key));
    const x = new X509Certificate(self.Cert);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.subjectAltName).toBe('DNS:me.local');
    expect(() => call(f, 'genSelfSignedCert', 'me', ['not-an-ip'], [], 5n)).toThrow('error parsing ip: not-an-ip');
  });

  it('encryptAES output decrypts in Go, and Go and TS agree on derivePassword', async () => {
    const f = sprigFuncs({ random: seededRandom('iv') });
    const secret = String(call(f, 'encryptAES', 'pass', 'hello AES wörld'));
    expect(call(f, 'decryptAES', 'pass', secret)).toBe('hello AES wörld');
    const [go] = await runGoOracle(binary, [{ fn: 'decryptAES', args: ['pass', secret] }]);
    expect(go?.value).toEqual({ t: 'string', v: 'hello AES wörld' });
  });

  it('buildCustomCert rejects bad input with Sprig messages', () => {
    const f = sprigFuncs();
    expect(() => call(f, 'buildCustomCert', '!!', 'x')).toThrow('unable to decode base64 certificate');
    expect(() => call(f, 'buildCustomCert', b64('no pem'), b64('x'))).toThrow('unable to decode certificate');
  });
});
