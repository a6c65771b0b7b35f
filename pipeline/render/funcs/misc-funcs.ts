/**
 * Sprig's remaining context-free functions: URLs (net/url subset), random strings and uuidv4 from the
 * injected random source, `getHostByName` (offline: ""), `hello`, `shuffle`.
 */
import type { FuncMap, GoMap, GoValue } from '../template/values.js';
import { argInt, argStr, fn } from './define.js';
import { goKindName } from './go-types.js';
import { checkString } from './budget.js';

function escapePath(p: string): string {
  return p.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function unescape(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** net/url Parse for well-formed URLs, as Sprig's urlParse reports it. */
export function urlParse(v: string): GoMap {
  let rest = v;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = unescape(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = (sm[1] ?? '').toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let opaque = '';
  let host = '';
  let userinfo = '';
  if (scheme !== '' && !rest.startsWith('/')) {
    opaque = rest;
    rest = '';
  } else if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    let authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      userinfo = authority.slice(0, at);
      authority = authority.slice(at + 1);
    }
    host = authority;
  }
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:[0-9]*$/, '');
  return { scheme, host, hostname, path: unescape(rest), query, opaque, fragment, userinfo };
}

function dictString(d: GoMap, key: string): string {
  const v = d[key];
  if (v === undefined) return '';
  if (typeof v !== 'string') {
    throw new Error(`unable to parse ${key} key, must be of type string, but ${goKindName(v)} found`);
  }
  return v;
}

/** url.URL.String() for the parts Sprig's urlJoin sets. */
export function urlJoin(d: GoMap): string {
  const [scheme, host, path, query, opaque, fragment, userinfo] = ['scheme', 'host', 'path', 'query', 'opaque', 'fragment', 'userinfo'].map(
    (k) => dictString(d, k),
  ) as [string, string, string, string, string, string, string];
  let out = scheme ? `${scheme}:` : '';
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += '//';
      if (userinfo) out += `${userinfo}@`;
      out += host;
    }
    if (path && !path.startsWith('/') && host) out += '/';
    out += escapePath(path);
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${escapePath(fragment)}`;
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random-string, uuid, url and network family; every random choice comes from `random`. */
export function miscFuncs(random: () => number): FuncMap {
  const pick = (name: string, alphabet: string, count: GoValue): string => {
    const n = argInt(count);
    if (n < 0) return '';
    checkString(name, n);
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)] ?? '';
    return out;
  };
  let ascii = '';
  for (let c = 32; c < 127; c++) ascii += String.fromCharCode(c);
  return {
    hello: fn([], () => 'Hello!'),
    randAlphaNum: fn(['int'], (n) => pick('randAlphaNum', ALNUM, n)),
    randAlpha: fn(['int'], (n) => pick('randAlpha', ALNUM.slice(0, 52), n)),
    randNumeric: fn(['int'], (n) => pick('randNumeric', '0123456789', n)),
    randAscii: fn(['int'], (n) => pick('randAscii', ascii, n)),
    shuffle: fn(['string'], (s) => {
      const runes = [...argStr(s)];
      for (let i = runes.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [runes[i], runes[j]] = [runes[j] ?? '', runes[i] ?? ''];
      }
      return runes.join('');
    }),
    uuidv4: fn([], () => {
      const b = Array.from({ length: 16 }, () => Math.floor(random() * 256));
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }),
    getHostByName: fn(['string'], () => ''),
    urlParse: fn(['string'], (s) => urlParse(argStr(s))),
    urlJoin: fn(['map[string]interface{}'], (d) => urlJoin((d ?? {}) as GoMap)),
  };
}
