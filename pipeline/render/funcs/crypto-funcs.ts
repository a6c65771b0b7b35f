/**
 * Sprig crypto functions (crypto.go): hashes live in encoding-funcs; here are key and certificate
 * generation (genCA, genSignedCert, ...), buildCustomCert, derivePassword, bcrypt/htpasswd, AES and randBytes.
 * Randomness (serials, IVs, seeded keys) comes from the injected source so seeded renders repeat.
 */
import { createCipheriv, createDecipheriv, createHmac, scryptSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { GoStruct } from '../template/values.js';
import type { FuncMap, GoValue } from '../template/values.js';
import { argInt, argStr, fn } from './define.js';
import { goBase64Decode } from './encoding-funcs.js';
import { strval } from './go-format.js';
import { generateKey, keyPem, parsePrivateKeyPem, seededKey } from './keys.js';
import type { KeyKind } from './keys.js';
import { checkString } from './budget.js';
import { fromUtf8, utf8 } from './text.js';
import { createCertificate, describeCertificate, parseIp, pemEncode } from './x509.js';

export interface CryptoOptions {
  random: () => number;
  now: () => Date;
  keySeed?: string;
}

/** Sprig's `certificate` struct value ({Cert, Key}). */
export function certificateValue(cert: string, key: string): GoStruct {
  return new GoStruct('sprig.certificate', { Cert: cert, Key: key });
}

const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const TEMPLATE_CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Master Password derivation as Sprig's derivePassword (scrypt N=32768, r=8, p=2, then HMAC-SHA256). */
export function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const seed = Buffer.from('com.lyndir.masterpassword');
  const userB = Buffer.from(utf8(user));
  const siteB = Buffer.from(utf8(site));
  const salt = Buffer.concat([seed, u32(userB.length), userB]);
  const key = scryptSync(Buffer.from(utf8(password)), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const mac = createHmac('sha256', key).update(Buffer.concat([seed, u32(siteB.length), siteB, u32(counter)])).digest();
  const tpl = templates[(mac[0] ?? 0) % templates.length] ?? '';
  return [...tpl].map((c, i) => {
    const chars = TEMPLATE_CHARS[c] ?? '';
    return chars[(mac[i + 1] ?? 0) % chars.length] ?? '';
  }).join('');
}

function bcryptHash(input: string): string {
  let lib: { hashSync: (s: string, rounds: number) => string };
  try {
    lib = createRequire(import.meta.url)('bcryptjs') as typeof lib;
  } catch {
    throw new Error('bcrypt is not available: the bcryptjs package is not installed');
  }
  return lib.hashSync(input, 10).replace(/^\$2b\$/, '$2a$');
}

function listOfStrings(v: GoValue, what: 'ip' | 'dns'): string[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`internal: expected []interface{}`);
  return v.map((x) => {
    if (typeof x === 'string') return x;
    throw new Error(what === 'ip' ? `error parsing ip: ${strval(x)} is not a string` : `error processing alternate dns name: ${strval(x)} is not a string`);
  });
}

function certFields(v: GoValue): { Cert: string; Key: string } {
  if (v instanceof GoStruct && v.typeName === 'sprig.certificate') {
    return { Cert: String(v.fields.Cert ?? ''), Key: String(v.fields.Key ?? '') };
  }
  throw new Error('wrong type for value; expected sprig.certificate');
}

/** Crypto family of Sprig's function map. */
export function cryptoFuncs(options: CryptoOptions): FuncMap {
  let keyIndex = 0;
  const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(options.random() * 256)));
  const newKey = (kind: KeyKind, bits: number): KeyObject =>
    options.keySeed === undefined ? generateKey(kind, bits) : seededKey(kind, bits, options.keySeed, `${kind}:${keyIndex++}`);

  const certificate = (cn: GoValue, ips: GoValue, dns: GoValue, days: GoValue, isCA: boolean, key: KeyObject, ca?: { Cert: string; Key: string }) => {
    const ipList = listOfStrings(ips, 'ip').map((s) => {
      const b = parseIp(s);
      if (!b) throw new Error(`error parsing ip: ${s}`);
      return b;
    });
    const dnsNames = listOfStrings(dns, 'dns');
    const now = options.now();
    const serialBytes = randomBytes(16);
    const template = {
      cn: argStr(cn),
      ips: ipList,
      dnsNames,
      notBefore: now,
      notAfter: new Date(now.getTime() + argInt(days) * 86_400_000),
      serial: BigInt(`0x${serialBytes.toString('hex')}`),
      isCA,
    };
    let issuer: { cn: string; key: KeyObject; subjectKeyId?: Buffer };
    if (ca) {
      let info: { cn: string; subjectKeyId?: Buffer };
      try {
        info = describeCertificate(ca.Cert);
      } catch (e) {
        if (!ca.Cert.includes('-----BEGIN')) throw new Error('unable to decode certificate');
        throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`);
      }
      let caKey: KeyObject;
      try {
        caKey = parsePrivateKeyPem(ca.Key);
      } catch (e) {
        throw new Error(`error parsing private key: ${(e as Error).message}`);
      }
      issuer = { cn: info.cn, key: caKey, subjectKeyId: info.subjectKeyId };
    } else issuer = { cn: template.cn, key };
    const { der } = createCertificate(template, key, issuer);
    return certificateValue(pemEncode('CERTIFICATE', der), keyPem(key));
  };
  const withKey = (pem: GoValue): KeyObject => {
    try {
      return parsePrivateKeyPem(argStr(pem));
    } catch (e) {
      throw new Error(`parsing private key: ${(e as Error).message}`);
    }
  };

  return {
    bcrypt: fn(['string'], (s) => bcryptHash(argStr(s))),
    htpasswd: fn(['string', 'string'], (u, p) => {
      const user = argStr(u);
      if (user.includes(':')) return `invalid username: ${user}`;
      return `${user}:${bcryptHash(argStr(p))}`;
    }),
    genPrivateKey: fn(['string'], (t) => {
      const typ = argStr(t);
      if (typ === 'dsa') throw new Error('dsa keys are not supported by csp (Sprig genPrivateKey "dsa")');
      const kinds: Record<string, KeyKind> = { '': 'rsa', rsa: 'rsa', ecdsa: 'ecdsa', ed25519: 'ed25519' };
      const kind = kinds[typ];
      if (!kind) return `Unknown type ${typ}`;
      return keyPem(newKey(kind, 4096));
    }),
    derivePassword: fn(['uint32', 'string', 'string', 'string', 'string'], (c, t, p, u, s) =>
      derivePassword(Number(c instanceof Object && 'value' in c ? c.value : c), argStr(t), argStr(p), argStr(u), argStr(s)),
    ),
    buildCustomCert: fn(['string', 'string'], (c, k) => {
      let cert: Uint8Array;
      let key: Uint8Array;
      try {
        cert = goBase64Decode(argStr(c));
      } catch {
        throw new Error('unable to decode base64 certificate');
      }
      try {
        key = goBase64Decode(argStr(k));
      } catch {
        throw new Error('unable to decode base64 private key');
      }
      const certPem = fromUtf8(cert);
      if (!/-----BEGIN [^-]+-----/.test(certPem)) throw new Error('unable to decode certificate');
      try {
        describeCertificate(certPem);
      } catch (e) {
        throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
      }
      try {
        parsePrivateKeyPem(fromUtf8(key));
      } catch (e) {
        throw new Error(`error parsing private key: ${(e as Error).message}`);
      }
      return certificateValue(certPem, fromUtf8(key));
    }),
    genCA: fn(['string', 'int'], (cn, days) => certificate(cn, null, null, days, true, newKey('rsa', 2048))),
    genCAWithKey: fn(['string', 'int', 'string'], (cn, days, pem) => certificate(cn, null, null, days, true, withKey(pem))),
    genSelfSignedCert: fn(['string', '[]interface{}', '[]interface{}', 'int'], (cn, ips, dns, days) =>
      certificate(cn, ips, dns, days, false, newKey('rsa', 2048)),
    ),
    genSelfSignedCertWithKey: fn(['string', '[]interface{}', '[]interface{}', 'int', 'string'], (cn, ips, dns, days, pem) =>
      certificate(cn, ips, dns, days, false, withKey(pem)),
    ),
    genSignedCert: fn(['string', '[]interface{}', '[]interface{}', 'int', 'interface{}'], (cn, ips, dns, days, ca) =>
      certificate(cn, ips, dns, days, false, newKey('rsa', 2048), certFields(ca)),
    ),
    genSignedCertWithKey: fn(['string', '[]interface{}', '[]interface{}', 'int', 'interface{}', 'string'], (cn, ips, dns, days, ca, pem) =>
      certificate(cn, ips, dns, days, false, withKey(pem), certFields(ca)),
    ),
    encryptAES: fn(['string', 'string'], (pw, text) => {
      const plain = Buffer.from(utf8(argStr(text)));
      if (plain.length === 0) return '';
      const key = Buffer.alloc(32);
      Buffer.from(utf8(argStr(pw))).copy(key, 0, 0, 32);
      const pad = 16 - (plain.length % 16);
      const content = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([iv, cipher.update(content), cipher.final()]).toString('base64');
    }),
    decryptAES: fn(['string', 'string'], (pw, data) => {
      const b64 = argStr(data);
      if (b64 === '') return '';
      const key = Buffer.alloc(32);
      Buffer.from(utf8(argStr(pw))).copy(key, 0, 0, 32);
      const crypt = Buffer.from(goBase64Decode(b64));
      if (crypt.length < 16) throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
      const body = crypt.subarray(16);
      if (body.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
      const decipher = createDecipheriv('aes-256-cbc', key, crypt.subarray(0, 16)).setAutoPadding(false);
      const out = Buffer.concat([decipher.update(body), decipher.final()]);
      const last = out[out.length - 1] ?? 0;
      if (out.length === 0) throw new Error('runtime error: index out of range [-1]');
      if (last > out.length) throw new Error(`runtime error: slice bounds out of range [:${out.length - last}]`);
      return fromUtf8(out.subarray(0, out.length - last));
    }),
    randBytes: fn(['int'], (n) => {
      checkString('randBytes', Math.ceil((argInt(n) * 4) / 3));
      return randomBytes(Math.max(0, argInt(n))).toString('base64');
    }),
  };
}
