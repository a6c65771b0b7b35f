/**
 * Sprig encoding and path functions: base64/base32 (decode errors returned as text, as Sprig does),
 * hashes, and Go's `path` package (`base`, `dir`, `clean`, `ext`, `isAbs`, plus the `os*` variants).
 */
import { createHash } from 'node:crypto';
import type { FuncMap } from '../template/values.js';
import { argStr, fn } from './define.js';
import { fromUtf8, utf8 } from './text.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base64.StdEncoding.DecodeString with Go's "illegal base64 data at input byte N" errors. */
export function goBase64Decode(s: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0) {
    const at = clean.length - (clean.length % 4);
    let bad = at;
    for (let k = 0; k < clean.length; k++) if (!B64.includes(clean[k] ?? '') && clean[k] !== '=') bad = Math.min(bad, k);
    throw new Error(`illegal base64 data at input byte ${bad}`);
  }
  for (let k = 0; k < clean.length; k++) {
    const c = clean[k] ?? '';
    if (c === '=') {
      const rest = clean.slice(k);
      const ok = k >= clean.length - 2 && k % 4 >= 2 && /^=+$/.test(rest) && (rest.length === 1 || k % 4 === 2);
      if (!ok) throw new Error(`illegal base64 data at input byte ${k}`);
      break;
    }
    if (!B64.includes(c)) throw new Error(`illegal base64 data at input byte ${k}`);
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

function base32Encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = [...b.subarray(i, i + 5)];
    const n = chunk.length;
    while (chunk.length < 5) chunk.push(0);
    let bits = 0n;
    for (const x of chunk) bits = (bits << 8n) | BigInt(x);
    let part = '';
    for (let k = 7; k >= 0; k--) part += B32[Number((bits >> BigInt(k * 5)) & 31n)] ?? '';
    const keep = [0, 2, 4, 5, 7, 8][n] ?? 8;
    out += part.slice(0, keep) + '='.repeat(8 - keep);
  }
  return out;
}

function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 8 !== 0) throw new Error(`illegal base32 data at input byte ${clean.length - (clean.length % 8)}`);
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 8) {
    const block = clean.slice(i, i + 8);
    const pad = block.length - block.replace(/=+$/, '').length;
    const dataLen = 8 - pad;
    const n = [0, -1, 1, -1, 2, 3, -1, 4, 5][dataLen] ?? -1;
    if (n < 0 || (pad > 0 && i + 8 < clean.length)) throw new Error(`illegal base32 data at input byte ${i + dataLen}`);
    let bits = 0n;
    for (let k = 0; k < 8; k++) {
      const c = block[k] ?? '=';
      const v = c === '=' ? 0 : B32.indexOf(c);
      if (v < 0 || (c === '=' && k < dataLen)) throw new Error(`illegal base32 data at input byte ${i + k}`);
      bits = (bits << 5n) | BigInt(v);
    }
    for (let k = 0; k < (n === 0 ? 5 : n); k++) out.push(Number((bits >> BigInt(32 - k * 8)) & 255n));
  }
  return new Uint8Array(out);
}

/** path.Clean: lexical shortest equivalent of a slash-separated path. */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
    } else parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}

function pathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return pathClean(p.slice(0, i + 1));
}

function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** Encoding, hash and path family of Sprig's function map. */
export function encodingFuncs(): FuncMap {
  const hash = (alg: string) => fn(['string'], (s) => createHash(alg).update(utf8(argStr(s))).digest('hex'));
  const paths = {
    base: fn(['string'], (s) => pathBase(argStr(s))),
    dir: fn(['string'], (s) => pathDir(argStr(s))),
    clean: fn(['string'], (s) => pathClean(argStr(s))),
    ext: fn(['string'], (s) => pathExt(argStr(s))),
    isAbs: fn(['string'], (s) => argStr(s).startsWith('/')),
  };
  return {
    b64enc: fn(['string'], (s) => Buffer.from(utf8(argStr(s))).toString('base64')),
    b64dec: fn(['string'], (s) => {
      try {
        return fromUtf8(goBase64Decode(argStr(s)));
      } catch (e) {
        return (e as Error).message;
      }
    }),
    b32enc: fn(['string'], (s) => base32Encode(utf8(argStr(s)))),
    b32dec: fn(['string'], (s) => {
      try {
        return fromUtf8(base32Decode(argStr(s)));
      } catch (e) {
        return (e as Error).message;
      }
    }),
    sha1sum: hash('sha1'),
    sha256sum: hash('sha256'),
    adler32sum: fn(['string'], (s) => String(adler32(utf8(argStr(s))))),
    ...paths,
    osBase: paths.base,
    osClean: paths.clean,
    osDir: paths.dir,
    osExt: paths.ext,
    osIsAbs: paths.isAbs,
  };
}
