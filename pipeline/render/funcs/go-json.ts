/**
 * Go encoding/json over GoValues: Marshal (sorted map keys, HTML escaping, Go float format, []byte as
 * base64) and Unmarshal into interface{} (numbers become float64) with Go's error texts.
 */
import { GoNumber, GoStruct } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { formatFloat, jsonFloat } from './go-format.js';
import { compareBytes } from './list-funcs.js';

const marshalers = new WeakMap<GoStruct, () => GoValue>();

/** Registers what json.Marshal produces for a struct that implements json.Marshaler (time.Time, *semver.Version). */
export function setJsonValue(s: GoStruct, value: () => GoValue): GoStruct {
  marshalers.set(s, value);
  return s;
}

export interface MarshalOptions {
  escapeHTML?: boolean;
  indent?: string;
}

/** A JSON string literal as Go writes it. */
export function jsonQuote(s: string, escapeHTML = true): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (escapeHTML && (ch === '<' || ch === '>' || ch === '&'))) {
      out += `\\u00${cp.toString(16).padStart(2, '0')}`;
    } else if (cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

function float32Json(x: number): string {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return formatFloat(x, 'e', 32).replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return formatFloat(x, 'f', 32);
}

function marshalValue(v: GoValue, opts: MarshalOptions, depth: number): string {
  const nl = (d: number): string => (opts.indent === undefined ? '' : `\n${opts.indent.repeat(d)}`);
  const colon = opts.indent === undefined ? ':' : ': ';
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonQuote(v, opts.escapeHTML ?? true);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${formatFloat(v)}`);
      return jsonFloat(v);
    case 'function':
      throw new Error('json: unsupported type: func(...interface {}) interface {}');
  }
  if (v instanceof GoNumber) {
    if (v.kind !== 'float32') return v.value.toString();
    const f = Number(v.value);
    if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloat(f, 'g', 32)}`);
    return float32Json(f);
  }
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
  if (v instanceof GoStruct) {
    const custom = marshalers.get(v);
    if (custom) return marshalValue(custom(), opts, depth);
    return marshalObject(Object.entries(v.fields), opts, depth, nl, colon);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl(depth + 1) + marshalValue(x, opts, depth + 1)).join(',')}${nl(depth)}]`;
  }
  const map = v as GoMap;
  const keys = Object.keys(map).sort(compareBytes);
  return marshalObject(
    keys.map((k) => [k, map[k]]),
    opts,
    depth,
    nl,
    colon,
  );
}

function marshalObject(
  entries: [string, GoValue][],
  opts: MarshalOptions,
  depth: number,
  nl: (d: number) => string,
  colon: string,
): string {
  if (entries.length === 0) return '{}';
  const body = entries.map(
    ([k, x]) => nl(depth + 1) + jsonQuote(k, opts.escapeHTML ?? true) + colon + marshalValue(x, opts, depth + 1),
  );
  return `{${body.join(',')}${nl(depth)}}`;
}

/** json.Marshal (escapeHTML true) or MarshalIndent / an Encoder without HTML escaping. Throws Go's error. */
export function goJsonMarshal(v: GoValue, opts: MarshalOptions = {}): string {
  return marshalValue(v, opts, 0);
}

class JsonSyntaxError extends Error {}

/** json.Unmarshal into interface{}: objects → maps, arrays → []interface{}, numbers → float64. */
export function goJsonUnmarshal(text: string): GoValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const describe = (c: string): string => (c === "'" ? "'\\''" : c === '"' ? "'\"'" : `'${c}'`);
  const fail = (context: string): never => {
    if (i >= text.length) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${describe(text[i] ?? '')} ${context}`);
  };
  const value = (): GoValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: GoMap = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const key = str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        out[key] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const out: GoValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    for (const [lit, val] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (c === lit[0]) {
        for (let k = 0; k < lit.length; k++, i++) {
          // At the end of input Go's scanner feeds a space, so a cut literal reports ' '.
          if (i >= text.length) throw new JsonSyntaxError(`invalid character ' ' in literal ${lit} (expecting '${lit[k]}')`);
          if (text[i] !== lit[k]) fail(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        return val;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0] === '') fail('looking for beginning of value');
    const numText = m?.[0] ?? '';
    i += numText.length;
    const n = Number(numText);
    if (!Number.isFinite(n)) throw new JsonSyntaxError(`json: cannot unmarshal number ${numText} into Go value of type float64`);
    return n;
  };
  const str = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('in string literal');
      const c = text[i] ?? '';
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (simple[e] !== undefined) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        i++;
        fail('in string escape code');
      }
      if (c < ' ') fail('in string literal');
      out += c;
      i++;
    }
  };
  const result = value();
  ws();
  if (i < text.length) fail('after top-level value');
  return result;
}
