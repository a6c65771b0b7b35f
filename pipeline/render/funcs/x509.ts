/**
 * Minimal DER encoding and X.509 v3 certificate creation mirroring Go's x509.CreateCertificate for the
 * templates Sprig builds (CN subject, SANs, key usages, basic constraints, subject/authority key ids).
 */
import { X509Certificate, createHash, createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A DER TLV. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);

/** DER INTEGER from a non-negative or negative bigint (two's complement, minimal). */
export function derInt(n: bigint): Buffer {
  let hex = (n < 0n ? -n : n).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (n < 0n) {
    const width = bytes.length + 1;
    const two = (1n << BigInt(width * 8)) + n;
    bytes = Buffer.from(two.toString(16).padStart(width * 2, '0'), 'hex');
    while (bytes.length > 1 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0x80) !== 0) bytes = bytes.subarray(1);
  } else if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    for (let x = p >>> 7; x > 0; x >>>= 7) stack.unshift(0x80 | (x & 0x7f));
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function derString(s: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

function derTime(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  const year = d.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

function bitString(bytes: Buffer, unused = 0): Buffer {
  return tlv(0x03, Buffer.from([unused]), bytes);
}

function keyUsageBits(bits: number[]): Buffer {
  let v = 0;
  for (const b of bits) v |= 1 << (15 - b);
  let bytes = Buffer.from([v >> 8, v & 0xff]);
  if (bytes[1] === 0) bytes = bytes.subarray(0, 1);
  const last = bytes[bytes.length - 1] ?? 0;
  let unused = 0;
  while (unused < 8 && (last & (1 << unused)) === 0) unused++;
  return bitString(bytes, unused);
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

function name(cn: string): Buffer {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), derString(cn))));
}

/** Parses an IPv4/IPv6 literal the way net.ParseIP does (IPv4 as 4 bytes in certificates); undefined if invalid. */
export function parseIp(s: string): Buffer | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255) || s.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return Buffer.from(parts);
  }
  if (!s.includes(':')) return undefined;
  try {
    const u = new URL(`http://[${s}]/`);
    const host = u.hostname.slice(1, -1);
    const [head = '', tail = ''] = host.includes('::') ? host.split('::') : [host, ''];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex');
  } catch {
    return undefined;
  }
}

export interface CertTemplate {
  cn: string;
  ips: Buffer[];
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  serial: bigint;
  isCA: boolean;
}

export interface Issuer {
  cn: string;
  key: KeyObject;
  subjectKeyId?: Buffer;
}

function signatureAlgorithm(key: KeyObject): { alg: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), tlv(0x05)), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { alg: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'secp521r1') return { alg: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    }
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), hash: null };
    default:
      throw new Error(`x509: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

/** Builds and signs a certificate; returns the DER and the subject key id it carries (if any). */
export function createCertificate(t: CertTemplate, subjectKey: KeyObject, issuer: Issuer): { der: Buffer; subjectKeyId?: Buffer } {
  const spki = createPublicKey(subjectKey).export({ type: 'spki', format: 'der' });
  const { alg, hash } = signatureAlgorithm(issuer.key);
  const publicKeyBits = spkiBits(spki);
  const subjectKeyId = t.isCA ? createHash('sha1').update(publicKeyBits).digest() : undefined;
  const exts: Buffer[] = [
    ext('2.5.29.15', true, keyUsageBits(t.isCA ? [0, 2, 5] : [0, 2])),
    ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    ext('2.5.29.19', true, t.isCA ? seq(tlv(0x01, Buffer.from([0xff]))) : seq()),
  ];
  if (subjectKeyId) exts.push(ext('2.5.29.14', false, tlv(0x04, subjectKeyId)));
  if (issuer.subjectKeyId && issuer.cn !== t.cn) exts.push(ext('2.5.29.35', false, seq(tlv(0x80, issuer.subjectKeyId))));
  if (t.dnsNames.length > 0 || t.ips.length > 0) {
    const names = [...t.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...t.ips.map((ip) => tlv(0x87, ip))];
    exts.push(ext('2.5.29.17', false, seq(...names)));
  }
  const tbs = seq(
    tlv(0xa0, derInt(2n)),
    derInt(t.serial),
    alg,
    name(issuer.cn),
    seq(derTime(t.notBefore), derTime(t.notAfter)),
    name(t.cn),
    spki,
    tlv(0xa3, seq(...exts)),
  );
  const signature = sign(hash, tbs, issuer.key);
  return { der: seq(tbs, alg, bitString(signature)), subjectKeyId };
}

function spkiBits(spki: Buffer): Buffer {
  // SubjectPublicKeyInfo = SEQUENCE { algorithm, BIT STRING }: return the BIT STRING contents minus the pad byte.
  const cert = spki;
  let i = 1;
  i += (cert[i] ?? 0) & 0x80 ? ((cert[i] ?? 0) & 0x7f) + 1 : 1;
  const algLenByte = cert[i + 1] ?? 0;
  const algLen = algLenByte & 0x80 ? parseLen(cert, i + 1) : { len: algLenByte, hdr: 1 };
  i += 1 + algLen.hdr + algLen.len;
  const bsLen = parseLen(cert, i + 1);
  return cert.subarray(i + 1 + bsLen.hdr + 1, i + 1 + bsLen.hdr + bsLen.len);
}

function parseLen(b: Buffer, at: number): { len: number; hdr: number } {
  const first = b[at] ?? 0;
  if (first < 0x80) return { len: first, hdr: 1 };
  const n = first & 0x7f;
  let v = 0;
  for (let k = 1; k <= n; k++) v = v * 256 + (b[at + k] ?? 0);
  return { len: v, hdr: n + 1 };
}

/** PEM armour with 64-character lines, as Go's pem.Encode writes it. */
export function pemEncode(type: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

/** Reads the CN and subject key id back from a PEM certificate (for signing with a CA). */
export function describeCertificate(pem: string): { cn: string; subjectKeyId?: Buffer } {
  const cert = new X509Certificate(pem);
  const cn = /CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
  const ski = cert.toLegacyObject().ext_key_usage;
  void ski;
  const der = cert.raw;
  const marker = Buffer.concat([oid('2.5.29.14')]);
  const at = der.indexOf(marker);
  let subjectKeyId: Buffer | undefined;
  if (at >= 0) {
    const octet = at + marker.length;
    const outer = parseLen(der, octet + 1);
    const inner = parseLen(der, octet + 1 + outer.hdr + 1);
    const start = octet + 1 + outer.hdr + 1 + inner.hdr;
    subjectKeyId = der.subarray(start, start + inner.len);
  }
  return { cn, subjectKeyId };
}
