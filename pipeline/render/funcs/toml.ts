/**
 * TOML encoding of a map as BurntSushi/toml's Encoder writes it (Helm's `toToml`): plain keys first,
 * then arrays of tables and sub-tables, keys sorted. Not checked against Go (BurntSushi is not packaged).
 */
import { GoNumber, GoStruct, isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { formatFloat } from './go-format.js';
import { compareBytes } from './list-funcs.js';

function quoteKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k);
}

function tomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || cp === 0x7f) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function scalar(v: GoValue): string {
  if (typeof v === 'string') return tomlString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof GoNumber) return v.kind === 'float32' ? floatText(Number(v.value)) : v.value.toString();
  if (typeof v === 'number') return floatText(v);
  if (Array.isArray(v)) return `[${v.filter((x) => x !== null && x !== undefined).map(scalar).join(', ')}]`;
  if (v instanceof GoStruct) return tomlString(v.format ? v.format() : '');
  throw new Error(`toml: cannot encode ${typeof v}`);
}

function floatText(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f > 0 ? 'inf' : '-inf';
  const s = formatFloat(f, 'f');
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const isTable = (v: GoValue): v is GoMap => isGoMap(v);
const isTableArray = (v: GoValue): v is GoMap[] => Array.isArray(v) && v.length > 0 && v.every(isTable);

function encodeTable(m: GoMap, path: string[], out: string[]): void {
  const keys = Object.keys(m).sort(compareBytes);
  const indent = '  '.repeat(Math.max(0, path.length - 1));
  for (const k of keys) {
    const v = m[k];
    if (v === null || v === undefined || isTable(v) || isTableArray(v)) continue;
    out.push(`${indent}${quoteKey(k)} = ${scalar(v)}`);
  }
  for (const k of keys) {
    const v = m[k];
    const sub = [...path, quoteKey(k)];
    if (isTableArray(v)) {
      for (const t of v) {
        out.push('', `${'  '.repeat(path.length)}[[${sub.join('.')}]]`);
        encodeTable(t, sub, out);
      }
    } else if (isTable(v)) {
      out.push('', `${'  '.repeat(path.length)}[${sub.join('.')}]`);
      encodeTable(v, sub, out);
    }
  }
}

/** Encodes a map as TOML text (BurntSushi layout: two-space indented sub-tables). */
export function encodeToml(v: GoValue): string {
  if (!isTable(v)) throw new Error('toml: top-level values must be Go maps or structs');
  const out: string[] = [];
  encodeTable(v, [], out);
  const text = out.join('\n').replace(/^\n/, '');
  return text === '' ? '' : `${text}\n`;
}
