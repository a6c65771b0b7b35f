/**
 * TOML encoding of a map as BurntSushi/toml's Encoder writes it (Helm's `toToml`): plain keys first,
 * then arrays of tables and sub-tables, keys sorted. Checked against Debian's BurntSushi/toml 1.2.0 in the
 * differential tests.
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

/** Emulates BurntSushi's Encoder writer: `newline()` writes only once something has been written. */
class TomlWriter {
  text = '';
  write(s: string): void {
    this.text += s;
  }
  newline(): void {
    if (this.text !== '') this.text += '\n';
  }
}

/** BurntSushi/toml 1.2 eMap: direct keys first, then tables and arrays of tables, each sorted; nil skipped. */
function encodeTable(m: GoMap, path: string[], w: TomlWriter): void {
  const keys = Object.keys(m).sort(compareBytes);
  const direct = keys.filter((k) => !isTable(m[k]) && !isTableArray(m[k]));
  const sub = keys.filter((k) => isTable(m[k]) || isTableArray(m[k]));
  for (const k of direct) {
    const v = m[k];
    if (v === null || v === undefined) continue;
    w.write(`${'  '.repeat(path.length)}${quoteKey(k)} = ${scalar(v)}`);
    w.newline();
  }
  for (const k of sub) {
    const v = m[k];
    const key = [...path, quoteKey(k)];
    const indent = '  '.repeat(key.length - 1);
    if (isTableArray(v)) {
      for (const t of v) {
        w.newline();
        w.write(`${indent}[[${key.join('.')}]]`);
        w.newline();
        encodeTable(t, key, w);
      }
    } else if (isTable(v)) {
      if (key.length === 1) w.newline();
      w.write(`${indent}[${key.join('.')}]`);
      w.newline();
      encodeTable(v, key, w);
    }
  }
}

/** Encodes a map as TOML text exactly as BurntSushi/toml 1.2's Encoder (Helm's `toToml`) writes it. */
export function encodeToml(v: GoValue): string {
  if (!isTable(v)) throw new Error('toml: top-level values must be Go maps or structs');
  const w = new TomlWriter();
  encodeTable(v, [], w);
  return w.text;
}
