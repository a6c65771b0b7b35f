/**
 * JSON values of `--set-json` as Go's encoding/json reads them into `interface{}`: numbers become float64
 * (out of range is an error), objects `map[string]interface{}`, arrays `[]interface{}`. A json.Decoder reads
 * one document and stops right after it, so `a=1,b=2` leaves `,b=2` for strvals.
 */
import type { GoMap, GoValue } from '../template/values.js';

/** A --set-json value that encoding/json rejects (Helm discards the detail and names the whole flag value). */
export class JsonValueError extends Error {}

/** A JSON value Go accepts but nested too deeply for the JavaScript stack. */
export class JsonTooDeepError extends Error {}

/** unicode.IsSpace. */
export function isUnicodeSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
}

/** encoding/json's maxNestingDepth. */
const MAX_DEPTH = 10000;

const isJsonSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Scans one JSON value starting at `i` (no leading space); returns the index after it or throws. Iterative. */
function scanValue(s: string, i: number): number {
  const open: string[] = [];
  let j = i;
  for (;;) {
    const c = s[j];
    if (c === '{' || c === '[') {
      if (open.length + 1 > MAX_DEPTH) throw new JsonValueError('exceeded max depth');
      open.push(c);
      j = skipSpace(s, j + 1);
      if (s[j] !== (c === '{' ? '}' : ']')) {
        if (c === '{') j = objectKey(s, j);
        continue;
      }
      open.pop();
      j++;
    } else if (c === '"') j = scanString(s, j);
    else {
      const word = ['true', 'false', 'null'].find((w) => s.startsWith(w, j));
      j = word ? j + word.length : scanNumber(s, j);
    }
    // After a value: close containers or move to the next element.
    for (;;) {
      const top = open[open.length - 1];
      if (top === undefined) return j;
      j = skipSpace(s, j);
      if (s[j] === (top === '{' ? '}' : ']')) {
        open.pop();
        j++;
        continue;
      }
      if (s[j] !== ',') throw new JsonValueError(`invalid character at offset ${j} after ${top === '{' ? 'object key:value pair' : 'array element'}`);
      j = skipSpace(s, j + 1);
      if (top === '{') j = objectKey(s, j);
      break;
    }
  }
}

/** `"key" :` and the spaces after it; returns where the value starts. */
function objectKey(s: string, j: number): number {
  if (s[j] !== '"') throw new JsonValueError(`invalid character at offset ${j} looking for beginning of object key string`);
  j = skipSpace(s, scanString(s, j));
  if (s[j] !== ':') throw new JsonValueError(`invalid character at offset ${j} after object key`);
  return skipSpace(s, j + 1);
}

/** Go's number grammar; a number may end anywhere its grammar allows (`01` is 0, then `1` stays unread). */
function scanNumber(s: string, i: number): number {
  const fail = (j: number): never => {
    throw new JsonValueError(s[j] === undefined ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(s[j])} in numeric literal`);
  };
  let j = i;
  if (s[j] === '-') j++;
  if (s[j] === '0') j++;
  else if (/[1-9]/.test(s[j] ?? '')) while (/[0-9]/.test(s[j] ?? '')) j++;
  else if (j === i) throw new JsonValueError(s[j] === undefined ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(s[j])} looking for beginning of value`);
  else fail(j);
  if (s[j] === '.') {
    j++;
    if (!/[0-9]/.test(s[j] ?? '')) fail(j);
    while (/[0-9]/.test(s[j] ?? '')) j++;
  }
  if (s[j] === 'e' || s[j] === 'E') {
    j++;
    if (s[j] === '+' || s[j] === '-') j++;
    if (!/[0-9]/.test(s[j] ?? '')) fail(j);
    while (/[0-9]/.test(s[j] ?? '')) j++;
  }
  return j;
}

function skipSpace(s: string, i: number): number {
  while (isJsonSpace(s[i])) i++;
  return i;
}

function scanString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) throw new JsonValueError('invalid character in string literal');
    if (c === 0x5c) {
      const e = s[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) throw new JsonValueError('invalid character in \\u hexadecimal character escape');
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else throw new JsonValueError('invalid character in string escape code');
    }
  }
  throw new JsonValueError('unexpected end of JSON input');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** JSON.parse output as Go values: lone surrogates become U+FFFD as in Go, ±Inf numbers are errors. */
function toGoJson(v: unknown): GoValue {
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\ufffd');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new JsonValueError('cannot unmarshal number into Go value of type float64');
    return v;
  }
  if (v === null || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toGoJson);
  const out: GoMap = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    Object.defineProperty(out, k.replace(LONE_SURROGATE, '\ufffd'), { value: toGoJson(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function convert(text: string): GoValue {
  try {
    return toGoJson(JSON.parse(text));
  } catch (e) {
    if (e instanceof RangeError) throw new JsonTooDeepError('JSON value nested too deeply for csp');
    throw e;
  }
}

/** json.Decoder.Decode on `s`: the first JSON value and how many runes of `s` it used. */
export function decodeJsonPrefix(s: string): { value: GoValue; runes: number } {
  const start = skipSpace(s, 0);
  if (start === s.length) throw new JsonValueError('EOF');
  const end = scanValue(s, start);
  const text = s.slice(0, end);
  return { value: convert(text), runes: Array.from(text).length };
}

/** json.Unmarshal into map[string]interface{}: `s` must be exactly one JSON object (spaces around allowed). */
export function unmarshalJsonObject(s: string): GoMap {
  const start = skipSpace(s, 0);
  if (s[start] !== '{') throw new JsonValueError('not a JSON object');
  const end = scanValue(s, start);
  if (skipSpace(s, end) !== s.length) throw new JsonValueError(`invalid character after top-level value`);
  return convert(s) as GoMap;
}
